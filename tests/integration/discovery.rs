//! WebFinger, host-meta, NodeInfo, actor documents and collections, compared with what a real
//! PeerTube answered.

use serde_json::{Value, json};

use crate::BIN;
use ferrotube_test_support::reference;
use ferrotube_test_support::shape::assert_same_shape;
use ferrotube_test_support::{Options, TestServer, assert_invalid_field, assert_problem, send};

/// alice with the display name and channel of the captures.
async fn anchor_server() -> TestServer {
    let s = TestServer::start_with(
        BIN,
        Options::default()
            .env("FERROTUBE_SIGNUP__ENABLED", "true")
            .env("FERROTUBE_SIGNUP__REQUIRES_APPROVAL", "false"),
    )
    .await;
    let (status, body) = send(s.client.post(s.api("/users/register")).json(&json!({
        "username": "alice", "password": "alice-password", "email": "alice@anchor.invalid",
        "displayName": "Alice Anchor",
        "channel": { "name": "alice_videos", "displayName": "Alice Videos" },
    })))
    .await;
    assert_eq!(status, 204, "{body}");
    s
}

#[tokio::test]
async fn webfinger_matches_peertube() {
    let s = anchor_server().await;
    for (name, capture) in [
        ("alice", "webfinger-account-alice.json"),
        ("alice_videos", "webfinger-channel-alice_videos.json"),
        ("peertube", "webfinger-server-peertube.json"),
    ] {
        let res = s
            .client
            .get(format!(
                "{}/.well-known/webfinger?resource=acct:{name}@{}",
                s.url, s.host
            ))
            .header("Accept", "application/jrd+json")
            .send()
            .await;
        let Ok(res) = res else {
            panic!("webfinger request failed")
        };
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/json; charset=utf-8")
        );
        let body: Value = res.json().await.unwrap_or(Value::Null);
        let theirs = reference::load_for_host(&format!("live-captures/{capture}"), &s.host);
        assert_eq!(body, theirs, "{name}");
        assert_eq!(
            body["aliases"][0],
            format!("{}/accounts/{name}", s.url)
                .replace("/accounts/alice_videos", "/video-channels/alice_videos")
        );
    }
    // A URL resource is refused as PeerTube refuses it, body for body.
    let resource = format!("http://{}/accounts/alice", s.host);
    let (status, body) = send(
        s.client
            .get(format!("{}/.well-known/webfinger", s.url))
            .query(&[("resource", resource.as_str())]),
    )
    .await;
    assert_invalid_field(status, &body, "resource");
    let theirs = reference::load_for_host("live-captures/webfinger-by-url-alice.json", &s.host);
    assert_eq!(body, theirs);
    let (status, body) = send(s.client.get(format!("{}/.well-known/webfinger", s.url))).await;
    assert_invalid_field(status, &body, "resource");
    let (status, body) = send(s.client.get(format!(
        "{}/.well-known/webfinger?resource=acct:alice@elsewhere.example",
        s.url
    )))
    .await;
    assert_invalid_field(status, &body, "resource");
    let (status, body) = send(s.client.get(format!(
        "{}/.well-known/webfinger?resource=acct:nobody@{}",
        s.url, s.host
    )))
    .await;
    assert_problem(status, &body, 404);
    let theirs = reference::load("live-captures/webfinger-unknown.json");
    assert_eq!(body, theirs);
}

#[tokio::test]
async fn host_meta_and_nodeinfo() {
    let s = anchor_server().await;
    let res = s
        .client
        .get(format!("{}/.well-known/host-meta", s.url))
        .send()
        .await;
    let Ok(res) = res else {
        panic!("host-meta failed")
    };
    assert_eq!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/xml; charset=utf-8")
    );
    let text = res.text().await.unwrap_or_default();
    let theirs = reference::text("live-captures/well-known-host-meta.xml");
    assert_eq!(
        text.trim(),
        theirs.replace("127.0.0.1:9001", &s.host).trim()
    );

    let links = s.get_json("/.well-known/nodeinfo").await;
    let theirs = reference::load_for_host("live-captures/well-known-nodeinfo.json", &s.host);
    assert_eq!(links, theirs);

    let res = s
        .client
        .get(format!("{}/nodeinfo/2.0.json", s.url))
        .send()
        .await;
    let Ok(res) = res else {
        panic!("nodeinfo failed")
    };
    assert_eq!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some(
            "application/json; charset=utf-8; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.0#\""
        )
    );
    let info: Value = res.json().await.unwrap_or(Value::Null);
    assert_eq!(info["software"]["name"], "ferrotube");
    assert_eq!(info["software"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(info["protocols"], json!(["activitypub"]));
    assert_eq!(info["openRegistrations"], true);
    assert_eq!(info["usage"]["users"]["total"], 2);
    assert_eq!(info["metadata"]["taxonomy"]["postsName"], "Videos");
    let theirs = reference::load("live-captures/nodeinfo-2.0.json");
    assert_same_shape(&info, &theirs, &[]);
    let (status, _) = send(s.client.get(format!("{}/nodeinfo/2.1.json", s.url))).await;
    assert_eq!(status, 404);
}

fn without(mut v: Value, keys: &[&str]) -> Value {
    if let Some(m) = v.as_object_mut() {
        for k in keys {
            m.remove(*k);
        }
    }
    v
}

#[tokio::test]
async fn actors_match_peertube_field_by_field() {
    let s = anchor_server().await;
    for (path, capture) in [
        ("/accounts/peertube", "ap-actor-server-application.json"),
        ("/accounts/alice", "ap-actor-account-person-alice.json"),
        ("/accounts/root", "ap-actor-account-person-root.json"),
        (
            "/video-channels/alice_videos",
            "ap-actor-channel-group-alice_videos.json",
        ),
    ] {
        let res = s.get_ap(path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(
            res.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/activity+json; charset=utf-8")
        );
        assert_eq!(
            res.headers()
                .get("access-control-allow-origin")
                .and_then(|v| v.to_str().ok()),
            Some("*")
        );
        let ours: Value = res.json().await.unwrap_or(Value::Null);
        let pem = ours["publicKey"]["publicKeyPem"]
            .as_str()
            .unwrap_or_default();
        assert!(
            pem.starts_with("-----BEGIN PUBLIC KEY-----\n")
                && pem.ends_with("-----END PUBLIC KEY-----\n")
        );
        let theirs = reference::load_for_host(&format!("live-captures/{capture}"), &s.host);
        assert_same_shape(&ours, &theirs, &[]);
        // Every value but the key and the date is the same as PeerTube's.
        let strip = |v: &Value| {
            let mut v = without(v.clone(), &["published"]);
            v["publicKey"]["publicKeyPem"] = Value::Null;
            v
        };
        assert_eq!(strip(&ours), strip(&theirs), "{path}");
    }
    // Aliases and the ld+json profile type.
    for path in ["/a/alice", "/account/alice"] {
        let v: Value = s.get_ap(path).await.json().await.unwrap_or(Value::Null);
        assert_eq!(v["type"], "Person", "{path}");
    }
    let v: Value = s
        .get_ap("/c/alice_videos")
        .await
        .json()
        .await
        .unwrap_or(Value::Null);
    assert_eq!(v["type"], "Group");
    let (status, v) = send(s.client.get(format!("{}/accounts/peertube", s.url)).header(
        "Accept",
        "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
    ))
    .await;
    assert_eq!(status, 200);
    let theirs = reference::load_for_host(
        "live-captures/ap-actor-server-application.ld-json-accept.json",
        &s.host,
    );
    assert_same_shape(&v, &theirs, &[]);
    // HTML and plain JSON get the web page, as PeerTube with its client answers.
    for accept in ["text/html", "application/json", "*/*"] {
        let res = match s
            .client
            .get(format!("{}/accounts/alice", s.url))
            .header("Accept", accept)
            .send()
            .await
        {
            Ok(r) => r,
            Err(e) => panic!("GET /accounts/alice: {e}"),
        };
        assert_eq!(res.status(), 200, "{accept}");
        let content_type = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        assert!(
            content_type.starts_with("text/html"),
            "{accept}: {content_type}"
        );
    }
    let res = s.get_ap("/accounts/nobody").await;
    assert_eq!(res.status(), 404);
    let res = s.get_ap("/video-channels/alice").await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn collections_page_as_peertube() {
    let s = anchor_server().await;
    for (path, capture) in [
        ("/accounts/peertube/followers", "ap-followers-server.json"),
        ("/accounts/peertube/following", "ap-following-server.json"),
        ("/accounts/alice/followers", "ap-followers-alice.json"),
        ("/accounts/alice/playlists", "ap-playlists-alice.json"),
        (
            "/video-channels/alice_videos/followers",
            "ap-followers-channel-alice_videos.json",
        ),
        (
            "/video-channels/alice_videos/following",
            "ap-following-channel-alice_videos.json",
        ),
        (
            "/video-channels/alice_videos/playlists",
            "ap-playlists-channel-alice_videos.json",
        ),
        (
            "/accounts/peertube/followers?page=1",
            "ap-followers-server-page1.json",
        ),
    ] {
        let res = s.get_ap(path).await;
        assert_eq!(res.status(), 200, "{path}");
        let ours: Value = res.json().await.unwrap_or(Value::Null);
        let theirs = reference::load_for_host(&format!("live-captures/{capture}"), &s.host);
        assert_eq!(ours, theirs, "{path}");
    }
    let outbox: Value = s
        .get_ap("/accounts/alice/outbox")
        .await
        .json()
        .await
        .unwrap_or(Value::Null);
    assert_eq!(outbox["type"], "OrderedCollection");
    assert_eq!(outbox["totalItems"], 0);

    // Twelve remote followers of alice: pages of 10 with next and prev links.
    let pg = tokio_postgres::connect(
        &format!("host=127.0.0.1 port=5432 user=postgres dbname={}", s.db),
        tokio_postgres::NoTls,
    )
    .await;
    let Ok((client, conn)) = pg else {
        panic!("no database")
    };
    tokio::spawn(conn);
    let sql = "WITH srv AS (INSERT INTO servers (host) VALUES ('remote.example') RETURNING id),
        a AS (INSERT INTO actors (actor_type, preferred_username, url, inbox_url, server_id)
              SELECT 'Person', 'r' || g, 'https://remote.example/accounts/r' || g,
                     'https://remote.example/accounts/r' || g || '/inbox', srv.id
              FROM generate_series(1, 12) g, srv RETURNING id)
        INSERT INTO actor_follows (actor_id, target_actor_id, state)
        SELECT a.id, (SELECT id FROM actors WHERE preferred_username = 'alice' AND server_id IS NULL), 'accepted'
        FROM a";
    if let Err(e) = client.batch_execute(sql).await {
        panic!("seeding follows: {e}");
    }
    let base = format!("{}/accounts/alice/followers", s.url);
    let top: Value = s
        .get_ap("/accounts/alice/followers")
        .await
        .json()
        .await
        .unwrap_or(Value::Null);
    assert_eq!(top["totalItems"], 12);
    assert_eq!(top["first"], format!("{base}?page=1"));
    let p1: Value = s
        .get_ap("/accounts/alice/followers?page=1")
        .await
        .json()
        .await
        .unwrap_or(Value::Null);
    assert_eq!(p1["orderedItems"].as_array().map(Vec::len), Some(10));
    assert_eq!(p1["next"], format!("{base}?page=2"));
    assert!(p1.get("prev").is_none());
    assert!(
        p1["orderedItems"][0]
            .as_str()
            .is_some_and(|u| u.starts_with("https://remote.example/accounts/r"))
    );
    let p2: Value = s
        .get_ap("/accounts/alice/followers?page=2")
        .await
        .json()
        .await
        .unwrap_or(Value::Null);
    assert_eq!(p2["orderedItems"].as_array().map(Vec::len), Some(2));
    assert_eq!(p2["prev"], format!("{base}?page=1"));
    assert!(p2.get("next").is_none());
    let p: Value = s
        .get_ap("/accounts/alice/followers?page=1&size=5")
        .await
        .json()
        .await
        .unwrap_or(Value::Null);
    assert_eq!(p["orderedItems"].as_array().map(Vec::len), Some(5));

    let (status, body) = send(
        s.client
            .get(format!("{base}?page=0"))
            .header("Accept", "application/activity+json"),
    )
    .await;
    assert_invalid_field(status, &body, "page");
    let (status, body) = send(
        s.client
            .get(format!("{base}?page=1&size=51"))
            .header("Accept", "application/activity+json"),
    )
    .await;
    assert_invalid_field(status, &body, "size");
    assert_eq!(s.get_ap("/accounts/alice/nothing").await.status(), 404);
    assert_eq!(s.get_ap("/accounts/nobody/followers").await.status(), 404);
}
