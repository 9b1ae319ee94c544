//! Federation between real ferrotube processes, and with a simulated Mastodon-style actor:
//! server follows, Accept round trips, Undo, signature refusals and retried deliveries.

use std::time::{Duration, Instant};

use axum::http::HeaderMap;
use ferrotube_federation::signatures::http as sig;
use ferrotube_test_support::mock_actor::MockActor;
use ferrotube_test_support::{Options, TestServer};
use serde_json::{Value, json};

use crate::BIN;

/// Polls `check` every 100 ms until it returns Some, or panics after `secs`.
async fn wait_for<T, F, Fut>(secs: u64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        if Instant::now() > deadline {
            panic!("timed out waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn follows(server: &TestServer, which: &str) -> Value {
    server.get_json(&format!("/api/v1/server/{which}")).await
}

fn first_state(list: &Value) -> Option<String> {
    list["data"][0]["state"].as_str().map(str::to_string)
}

async fn follow_host(follower: &TestServer, host: &str) {
    let token = follower.root_token().await;
    let res = follower
        .client
        .post(follower.api("/server/following"))
        .bearer_auth(&token)
        .json(&json!({ "hosts": [host] }))
        .send()
        .await;
    let status = res.map(|r| r.status()).ok();
    assert_eq!(status, Some(reqwest::StatusCode::NO_CONTENT));
}

#[tokio::test]
async fn server_follow_is_accepted_on_both_sides_and_undone() {
    let a = TestServer::start(BIN).await;
    let b = TestServer::start(BIN).await;
    follow_host(&b, &a.host).await;
    wait_for(20, "B's follow of A to be accepted", || async {
        let list = follows(&b, "following").await;
        (first_state(&list).as_deref() == Some("accepted")).then_some(())
    })
    .await;
    let following = follows(&b, "following").await;
    assert_eq!(following["total"], 1);
    assert_eq!(following["data"][0]["following"]["host"], a.host.as_str());
    assert_eq!(following["data"][0]["following"]["name"], "peertube");
    assert_eq!(following["data"][0]["follower"]["host"], b.host.as_str());
    let followers = follows(&a, "followers").await;
    assert_eq!(followers["total"], 1);
    assert_eq!(followers["data"][0]["state"], "accepted");
    assert_eq!(followers["data"][0]["follower"]["host"], b.host.as_str());
    assert_eq!(
        followers["data"][0]["follower"]["url"],
        format!("{}/accounts/peertube", b.url)
    );
    // The AP collections count it too.
    let coll = a.get_ap("/accounts/peertube/followers").await;
    let coll: Value = coll.json().await.unwrap_or(Value::Null);
    assert_eq!(coll["totalItems"], 1);

    let token = b.root_token().await;
    let res = b
        .client
        .delete(b.api(&format!("/server/following/{}", a.host)))
        .bearer_auth(&token)
        .send()
        .await;
    assert_eq!(
        res.map(|r| r.status()).ok(),
        Some(reqwest::StatusCode::NO_CONTENT)
    );
    assert_eq!(follows(&b, "following").await["total"], 0);
    wait_for(20, "A to drop B's follow", || async {
        (follows(&a, "followers").await["total"] == 0).then_some(())
    })
    .await;
}

#[tokio::test]
async fn delivery_is_retried_until_the_receiver_is_back() {
    let a = TestServer::start_with(
        BIN,
        Options::default()
            .env("FERROTUBE_FOLLOWERS__INSTANCE__MANUAL_APPROVAL", "true")
            .env("FERROTUBE_JOBS__BACKOFF_BASE", "1 second"),
    )
    .await;
    let mut b = TestServer::start(BIN).await;
    follow_host(&b, &a.host).await;
    wait_for(20, "a pending follower on A", || async {
        let list = follows(&a, "followers").await;
        (first_state(&list).as_deref() == Some("pending")).then_some(())
    })
    .await;
    assert_eq!(
        first_state(&follows(&b, "following").await).as_deref(),
        Some("pending")
    );
    b.stop();
    let token = a.root_token().await;
    let res = a
        .client
        .post(a.api(&format!("/server/followers/peertube@{}/accept", b.host)))
        .bearer_auth(&token)
        .send()
        .await;
    assert_eq!(
        res.map(|r| r.status()).ok(),
        Some(reqwest::StatusCode::NO_CONTENT)
    );
    // Let a few attempts fail, then bring B back.
    tokio::time::sleep(Duration::from_secs(3)).await;
    b.spawn().await;
    wait_for(40, "the Accept to reach B after its restart", || async {
        let list = follows(&b, "following").await;
        (first_state(&list).as_deref() == Some("accepted")).then_some(())
    })
    .await;
}

/// A Mastodon-style actor (`alice`, a key pair of its own): serves its Person document,
/// records what its inbox receives and signs what it posts with ferrotube's signer.
pub(crate) struct Mastodon {
    pub(crate) url: String,
    actor: MockActor,
}

pub(crate) async fn mastodon() -> Mastodon {
    remote_actor("alice", "Person").await
}

/// A remote actor of another type (an `Application` announces videos as PeerTube's do).
pub(crate) async fn remote_actor(username: &str, kind: &str) -> Mastodon {
    let actor = MockActor::start_as(username, kind).await;
    Mastodon {
        url: actor.url.clone(),
        actor,
    }
}

impl Mastodon {
    /// POSTs `body` to `inbox`, signed with `key_id`; `tamper` may change the bytes sent.
    pub(crate) async fn post(
        &self,
        server: &TestServer,
        path: &str,
        body: &Value,
        key_id: &str,
        tamper: impl FnOnce(&mut Vec<u8>, &mut sig::SignedHeaders),
    ) -> reqwest::Response {
        let Ok(url) = reqwest::Url::parse(&format!("{}{path}", server.url)) else {
            panic!("url");
        };
        let mut bytes = body.to_string().into_bytes();
        let Ok(mut signed) = sig::sign_post(&url, &bytes, key_id, &self.actor.keys.private_pem)
        else {
            panic!("sign");
        };
        tamper(&mut bytes, &mut signed);
        let mut req = server
            .client
            .post(url)
            .header("content-type", "application/activity+json")
            .body(bytes);
        for (k, v) in signed.pairs() {
            if k != "host" {
                req = req.header(k, v);
            }
        }
        match req.send().await {
            Ok(r) => r,
            Err(e) => panic!("POST {path}: {e}"),
        }
    }

    pub(crate) fn follow(&self, target: &str, n: u32) -> Value {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{}#follows/{n}", self.url),
            "type": "Follow",
            "actor": self.url,
            "object": target,
        })
    }

    pub(crate) fn received(&self) -> Vec<(HeaderMap, Value)> {
        self.actor.received()
    }

    /// Serves a file (an avatar) from the mock's host; its URL.
    pub(crate) fn serve_file(&self, path: &str, content_type: &str, bytes: Vec<u8>) -> String {
        self.actor.serve_file(path, content_type, bytes)
    }

    pub(crate) fn public_pem(&self) -> &str {
        &self.actor.keys.public_pem
    }
}

/// Changes the signed bytes or headers after signing.
type Tamper = Box<dyn FnOnce(&mut Vec<u8>, &mut sig::SignedHeaders)>;

async fn followers_count(server: &TestServer, path: &str) -> i64 {
    server.get_json(path).await["followersCount"]
        .as_i64()
        .unwrap_or(-1)
}

#[tokio::test]
async fn a_mastodon_person_follows_an_account_and_a_channel() {
    let m = mastodon().await;
    let a = TestServer::start(BIN).await;
    for (n, (path, api)) in [
        ("/accounts/root", "/api/v1/accounts/root"),
        (
            "/video-channels/root_channel",
            "/api/v1/video-channels/root_channel",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let target = format!("{}{path}", a.url);
        let res = m
            .post(
                &a,
                &format!("{path}/inbox"),
                &m.follow(&target, n as u32),
                &m.url,
                |_, _| {},
            )
            .await;
        assert_eq!(res.status(), reqwest::StatusCode::NO_CONTENT);
        let (headers, accept) = wait_for(20, "an Accept in the mock inbox", || async {
            m.received()
                .into_iter()
                .find(|(_, v)| v["type"] == "Accept" && v["actor"] == target.as_str())
        })
        .await;
        assert_eq!(accept["object"]["type"], "Follow");
        assert_eq!(accept["object"]["actor"], m.url.as_str());
        assert_eq!(accept["object"]["object"], target.as_str());
        assert!(
            accept["id"]
                .as_str()
                .is_some_and(|i| i.starts_with(&format!("{}/accepts/follows/", a.url)))
        );
        let signature = headers
            .get("signature")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(signature.starts_with(&format!("keyId=\"{target}\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest\"")), "{signature}");
        assert_eq!(followers_count(&a, api).await, 1);
    }
}

#[tokio::test]
async fn bad_http_signatures_get_403_and_store_nothing() {
    let m = mastodon().await;
    let a = TestServer::start(BIN).await;
    let target = format!("{}/accounts/root", a.url);
    let path = "/accounts/root/inbox";
    let cases: Vec<(&str, Tamper, String)> = vec![
        (
            "bad signature",
            Box::new(|_, s| s.signature = s.signature.replace("signature=\"", "signature=\"AAAA")),
            m.url.clone(),
        ),
        (
            "bad digest",
            Box::new(|b, _| b.extend_from_slice(b" ")),
            m.url.clone(),
        ),
        (
            "unknown key",
            Box::new(|_, _| {}),
            m.url.replace("/users/alice", "/users/nobody"),
        ),
        (
            "unsigned digest",
            Box::new(|_, s| s.signature = s.signature.replace(" digest\"", "\"")),
            m.url.clone(),
        ),
    ];
    for (n, (what, tamper, key_id)) in cases.into_iter().enumerate() {
        let res = m
            .post(
                &a,
                path,
                &m.follow(&target, 100 + n as u32),
                &key_id,
                tamper,
            )
            .await;
        assert_eq!(res.status(), reqwest::StatusCode::FORBIDDEN, "{what}");
        let ct = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        assert!(ct.starts_with("application/problem+json"), "{what}: {ct}");
    }
    let res = a
        .client
        .post(format!("{}{path}", a.url))
        .json(&m.follow(&target, 9))
        .send()
        .await;
    assert_eq!(
        res.map(|r| r.status()).ok(),
        Some(reqwest::StatusCode::FORBIDDEN)
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(followers_count(&a, "/api/v1/accounts/root").await, 0);
    assert!(m.received().is_empty());
    // The same Follow, correctly signed, is accepted: the refusals stored nothing.
    let res = m
        .post(&a, path, &m.follow(&target, 100), &m.url, |_, _| {})
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::NO_CONTENT);
    wait_for(20, "the follower to be counted", || async {
        (followers_count(&a, "/api/v1/accounts/root").await == 1).then_some(())
    })
    .await;
    // The same Follow again (PeerTube reuses Follow ids when it follows anew) is accepted
    // again, as PeerTube does, and still counts once.
    let accepts = || {
        m.received()
            .iter()
            .filter(|(_, v)| v["type"] == "Accept")
            .count()
    };
    let before = accepts();
    let res = m
        .post(&a, path, &m.follow(&target, 100), &m.url, |_, _| {})
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::NO_CONTENT);
    wait_for(20, "a second Accept", || async {
        (accepts() > before).then_some(())
    })
    .await;
    assert_eq!(followers_count(&a, "/api/v1/accounts/root").await, 1);
}

#[tokio::test]
async fn a_user_subscribes_to_a_remote_channel_and_unsubscribes() {
    let a = TestServer::start(BIN).await;
    let b = TestServer::start(BIN).await;
    let token = b.root_token().await;
    let handle = format!("root_channel@{}", a.host);
    let res = b
        .client
        .post(b.api("/users/me/subscriptions"))
        .bearer_auth(&token)
        .json(&json!({ "uri": handle }))
        .send()
        .await;
    assert_eq!(
        res.map(|r| r.status()).ok(),
        Some(reqwest::StatusCode::NO_CONTENT)
    );
    wait_for(20, "A's channel to count B's root as follower", || async {
        (followers_count(&a, "/api/v1/video-channels/root_channel").await == 1).then_some(())
    })
    .await;
    let get = |path: String| {
        let client = b.client.clone();
        let token = token.clone();
        async move {
            match client.get(path).bearer_auth(&token).send().await {
                Ok(r) => (r.status(), r.json::<Value>().await.unwrap_or(Value::Null)),
                Err(e) => panic!("GET: {e}"),
            }
        }
    };
    let (status, list) = get(b.api("/users/me/subscriptions")).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert_eq!(list["total"], 1);
    assert_eq!(list["data"][0]["name"], "root_channel");
    assert_eq!(list["data"][0]["host"], a.host.as_str());
    assert_eq!(list["data"][0]["ownerAccount"]["name"], "root");
    let (_, exist) = get(b.api(&format!(
        "/users/me/subscriptions/exist?uris={handle}&uris=nobody_channel@{}",
        a.host
    )))
    .await;
    assert_eq!(exist[&handle], true);
    assert_eq!(exist[format!("nobody_channel@{}", a.host)], false);
    let (status, one) = get(b.api(&format!("/users/me/subscriptions/{handle}"))).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert_eq!(one["name"], "root_channel");

    let res = b
        .client
        .delete(b.api(&format!("/users/me/subscriptions/{handle}")))
        .bearer_auth(&token)
        .send()
        .await;
    assert_eq!(
        res.map(|r| r.status()).ok(),
        Some(reqwest::StatusCode::NO_CONTENT)
    );
    wait_for(20, "A's channel to lose the follower", || async {
        (followers_count(&a, "/api/v1/video-channels/root_channel").await == 0).then_some(())
    })
    .await;
    let (status, _) = get(b.api(&format!("/users/me/subscriptions/{handle}"))).await;
    assert_eq!(status, reqwest::StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_remote_person_updates_and_deletes_itself() {
    let m = mastodon().await;
    let a = TestServer::start(BIN).await;
    let target = format!("{}/accounts/root", a.url);
    let res = m
        .post(&a, "/inbox", &m.follow(&target, 1), &m.url, |_, _| {})
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::NO_CONTENT);
    let mock_host = m
        .url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap_or("")
        .to_string();
    let account_path = format!("/api/v1/accounts/alice@{mock_host}");
    wait_for(20, "the remote account to exist", || async {
        let r = a
            .client
            .get(format!("{}{account_path}", a.url))
            .send()
            .await
            .ok()?;
        r.status().is_success().then_some(())
    })
    .await;
    let mut person = json!({
        "id": m.url, "type": "Person", "preferredUsername": "alice", "name": "Alice Renamed",
        "inbox": format!("{}/inbox", m.url), "url": m.url,
        "publicKey": { "id": format!("{}#main-key", m.url), "owner": m.url, "publicKeyPem": m.public_pem() },
    });
    person["summary"] = json!("new bio");
    let update = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}#updates/1", m.url), "type": "Update", "actor": m.url, "object": person,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    });
    let res = m.post(&a, "/inbox", &update, &m.url, |_, _| {}).await;
    assert_eq!(res.status(), reqwest::StatusCode::NO_CONTENT);
    wait_for(20, "the new display name", || async {
        let v = a.get_json(&account_path).await;
        (v["displayName"] == "Alice Renamed").then_some(())
    })
    .await;
    let delete = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}#delete", m.url), "type": "Delete", "actor": m.url, "object": m.url,
    });
    let res = m.post(&a, "/inbox", &delete, &m.url, |_, _| {}).await;
    assert_eq!(res.status(), reqwest::StatusCode::NO_CONTENT);
    wait_for(20, "the remote account to be gone", || async {
        let r = a
            .client
            .get(format!("{}{account_path}", a.url))
            .send()
            .await
            .ok()?;
        (r.status() == reqwest::StatusCode::NOT_FOUND).then_some(())
    })
    .await;
    assert_eq!(followers_count(&a, "/api/v1/accounts/root").await, 0);
}

#[tokio::test]
async fn activities_signed_by_our_own_actor_get_409() {
    let a = TestServer::start(BIN).await;
    let conn = format!("host=127.0.0.1 port=5432 user=postgres dbname={}", a.db);
    let (client, connection) = match tokio_postgres::connect(&conn, tokio_postgres::NoTls).await {
        Ok(c) => c,
        Err(e) => panic!("postgres: {e}"),
    };
    tokio::spawn(connection);
    let row = client
        .query_one(
            "SELECT url, private_key_pem FROM actors \
             WHERE preferred_username = 'peertube' AND server_id IS NULL",
            &[],
        )
        .await;
    let (actor, pem): (String, String) = match row {
        Ok(r) => (r.get(0), r.get(1)),
        Err(e) => panic!("server actor: {e}"),
    };
    let body = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{actor}/follows/1"), "type": "Follow", "actor": actor,
        "object": format!("{}/accounts/root", a.url),
    });
    let Ok(url) = reqwest::Url::parse(&format!("{}/inbox", a.url)) else {
        panic!("url");
    };
    let bytes = body.to_string().into_bytes();
    let Ok(signed) = sig::sign_post(&url, &bytes, &actor, &pem) else {
        panic!("sign");
    };
    let mut req = a
        .client
        .post(url)
        .header("content-type", "application/activity+json")
        .body(bytes);
    for (k, v) in signed.pairs() {
        if k != "host" {
            req = req.header(k, v);
        }
    }
    let res = req.send().await.map(|r| r.status()).ok();
    assert_eq!(res, Some(reqwest::StatusCode::CONFLICT));
}

#[tokio::test]
async fn server_follows_are_rejected_when_instance_followers_are_disabled() {
    let m = mastodon().await;
    let a = TestServer::start_with(
        BIN,
        Options::default().env("FERROTUBE_FOLLOWERS__INSTANCE__ENABLED", "false"),
    )
    .await;
    let target = format!("{}/accounts/peertube", a.url);
    let res = m
        .post(
            &a,
            "/accounts/peertube/inbox",
            &m.follow(&target, 1),
            &m.url,
            |_, _| {},
        )
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::NO_CONTENT);
    let (_, reject) = wait_for(20, "a Reject in the mock inbox", || async {
        m.received()
            .into_iter()
            .find(|(_, v)| v["type"] == "Reject")
    })
    .await;
    assert_eq!(reject["actor"], target.as_str());
    assert_eq!(reject["object"]["type"], "Follow");
    assert_eq!(follows(&a, "followers").await["total"], 0);
}
