//! Video replication between real ferrotube instances: a server follow brings the videos of
//! A to B (and C) with files and torrents pointing at A; updates and deletions follow; a
//! receiver that was down gets them after it comes back; an Undo stops them; a channel
//! subscription brings them too.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::BIN;
use ferrotube_test_support::media::{self, published_with_torrents, upload_ok, wait_for};
use ferrotube_test_support::{Options, TestServer, send};

fn fast_retries() -> Options {
    Options::default()
        .env("FERROTUBE_JOBS__BACKOFF_BASE", "1 second")
        .env("FERROTUBE_TRANSCODING__ENABLED", "false")
}

async fn eventually<F, Fut>(secs: u64, what: &str, mut check: F) -> Value
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<Value>>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn follow_server(follower: &TestServer, target: &TestServer) {
    let token = follower.root_token().await;
    let (status, body) = send(
        follower
            .client
            .post(follower.api("/server/following"))
            .bearer_auth(&token)
            .json(&json!({ "hosts": [target.host] })),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    eventually(30, "the follow to be accepted", || async {
        let list = follower.get_json("/api/v1/server/following").await;
        (list["data"][0]["state"] == "accepted").then_some(list)
    })
    .await;
}

/// The remote copy of `name` on `server`, once it is there.
async fn remote_copy(server: &TestServer, name: &str, secs: u64) -> Value {
    let what = format!("{name} on {}", server.host);
    let deadline = Instant::now() + Duration::from_secs(secs);
    let check = || async {
        let list = server
            .get_json("/api/v1/videos?isLocal=false&count=100")
            .await;
        let found = list["data"]
            .as_array()?
            .iter()
            .find(|v| v["name"] == name)?
            .clone();
        let uuid = found["uuid"].as_str()?.to_string();
        let v = server.get_json(&format!("/api/v1/videos/{uuid}")).await;
        v["files"][0]["magnetUri"]
            .as_str()
            .is_some_and(|m| m.contains("btih"))
            .then_some(v)
    };
    loop {
        if let Some(v) = check().await {
            return v;
        }
        if Instant::now() > deadline {
            let list = server
                .get_json("/api/v1/videos?isLocal=false&count=100")
                .await;
            panic!(
                "timed out waiting for {what}\nlist: {list}\n{}",
                server.log_text()
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn published_videos_replicate_with_updates_and_deletes_to_two_followers() {
    let a = TestServer::start_with(BIN, fast_retries()).await;
    let b = TestServer::start_with(BIN, fast_retries()).await;
    let c = TestServer::start_with(BIN, fast_retries()).await;
    follow_server(&b, &a).await;
    follow_server(&c, &a).await;

    let token = a.root_token().await;
    let uuid = upload_ok(
        &a,
        &token,
        &media::tiny_video(),
        "Federated video",
        &[("tags[]", "fed"), ("category", "15")],
    )
    .await;
    let local = wait_for(&a, &token, &uuid, published_with_torrents).await;
    for other in [&b, &c] {
        let v = remote_copy(other, "Federated video", 60).await;
        assert_eq!(v["isLocal"], false);
        assert_eq!(v["uuid"], local["uuid"]);
        assert_eq!(v["url"], local["url"]);
        assert_eq!(v["account"]["host"], a.host.as_str());
        assert_eq!(v["channel"]["name"], "root_channel");
        assert_eq!(v["tags"], json!(["fed"]));
        assert_eq!(v["category"]["id"], 15);
        let (theirs, ours) = (&v["files"][0], &local["files"][0]);
        // Files, torrents and the WebSeed point at the origin; the infohash is the origin's.
        assert_eq!(theirs["fileUrl"], ours["fileUrl"]);
        assert_eq!(theirs["torrentUrl"], ours["torrentUrl"]);
        let hash = |m: &Value| {
            m["magnetUri"]
                .as_str()
                .and_then(|m| m.split("btih:").nth(1))
                .map(|h| h[..40].to_string())
        };
        assert_eq!(hash(theirs), hash(ours));
        // The thumbnail is fetched from A on first use and served by the follower.
        let thumb = v["thumbnailPath"].as_str().unwrap_or_default();
        let res = other
            .client
            .get(format!("{}{thumb}", other.url))
            .send()
            .await
            .ok()
            .unwrap_or_else(|| panic!("thumbnail"));
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("image/jpeg")
        );
        // The follower's private tracker knows the origin's infohash.
        let Some(h) = hash(theirs) else {
            panic!("no infohash")
        };
        let bytes: Vec<u8> = (0..20)
            .map(|i| u8::from_str_radix(&h[i * 2..i * 2 + 2], 16).unwrap_or(0))
            .collect();
        let enc: String = bytes.iter().map(|b| format!("%{b:02X}")).collect();
        let announce = format!(
            "{}/tracker/announce?info_hash={enc}&peer_id=-FT0001-abcdefghijkl&port=6881&uploaded=0&downloaded=0&left=0&compact=1",
            other.url
        );
        let body = other
            .client
            .get(&announce)
            .send()
            .await
            .ok()
            .map(|r| r.bytes());
        let Some(body) = body else { panic!("announce") };
        let body = body.await.unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&body).contains("failure reason"),
            "{}",
            String::from_utf8_lossy(&body)
        );
    }

    // An update travels.
    let (status, _) = send(
        a.client
            .put(a.api(&format!("/videos/{uuid}")))
            .bearer_auth(&token)
            .json(&json!({"name": "Federated video, renamed"})),
    )
    .await;
    assert_eq!(status, 204);
    for other in [&b, &c] {
        remote_copy(other, "Federated video, renamed", 60).await;
    }
    // Private: it is withdrawn; public again: it comes back.
    let (status, _) = send(
        a.client
            .put(a.api(&format!("/videos/{uuid}")))
            .bearer_auth(&token)
            .json(&json!({"privacy": 3})),
    )
    .await;
    assert_eq!(status, 204);
    eventually(60, "the withdrawal on B", || async {
        (b.get_json("/api/v1/videos?isLocal=false").await["total"] == 0).then_some(Value::Null)
    })
    .await;
    let (status, _) = send(
        a.client
            .put(a.api(&format!("/videos/{uuid}")))
            .bearer_auth(&token)
            .json(&json!({"privacy": 1})),
    )
    .await;
    assert_eq!(status, 204);
    remote_copy(&b, "Federated video, renamed", 60).await;
    // A delete travels.
    let (status, _) = send(
        a.client
            .delete(a.api(&format!("/videos/{uuid}")))
            .bearer_auth(&token),
    )
    .await;
    assert_eq!(status, 204);
    for other in [&b, &c] {
        eventually(60, "the deletion", || async {
            (other.get_json("/api/v1/videos?isLocal=false").await["total"] == 0)
                .then_some(Value::Null)
        })
        .await;
    }
}

#[tokio::test]
async fn a_follower_that_was_down_gets_the_video_and_undo_stops_deliveries() {
    let a = TestServer::start_with(BIN, fast_retries()).await;
    let mut b = TestServer::start_with(BIN, fast_retries()).await;
    follow_server(&b, &a).await;
    b.stop();
    let token = a.root_token().await;
    let uuid = upload_ok(
        &a,
        &token,
        &media::tiny_video(),
        "Sent while B was down",
        &[],
    )
    .await;
    wait_for(&a, &token, &uuid, published_with_torrents).await;
    // A process killed mid-way loses nothing: A restarts with its deliveries queued.
    let mut a = a;
    a.stop();
    a.spawn().await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    b.spawn().await;
    remote_copy(&b, "Sent while B was down", 90).await;

    // B unfollows: A stops sending.
    let btoken = b.root_token().await;
    let (status, _) = send(
        b.client
            .delete(b.api(&format!("/server/following/{}", a.host)))
            .bearer_auth(&btoken),
    )
    .await;
    assert_eq!(status, 204);
    eventually(30, "A to drop B's follow", || async {
        (a.get_json("/api/v1/server/followers").await["total"] == 0).then_some(Value::Null)
    })
    .await;
    let token = a.root_token().await;
    let uuid = upload_ok(&a, &token, &media::tiny_video(), "After the unfollow", &[]).await;
    wait_for(&a, &token, &uuid, published_with_torrents).await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    let list = b.get_json("/api/v1/videos?isLocal=false&count=100").await;
    let names: Vec<&str> = list["data"]
        .as_array()
        .map(|d| d.iter().filter_map(|v| v["name"].as_str()).collect())
        .unwrap_or_default();
    assert!(!names.contains(&"After the unfollow"), "{names:?}");
}

#[tokio::test]
async fn a_channel_subscription_brings_its_videos() {
    let a = TestServer::start_with(BIN, fast_retries()).await;
    let b = TestServer::start_with(BIN, fast_retries()).await;
    let viewer = b.create_user("viewer", "viewer-password").await;
    let handle = format!("root_channel@{}", a.host);
    let (status, body) = send(
        b.client
            .post(b.api("/users/me/subscriptions"))
            .bearer_auth(&viewer)
            .json(&json!({ "uri": handle })),
    )
    .await;
    assert!(status == 204 || status == 200, "{status} {body}");
    eventually(30, "the subscription to be accepted", || async {
        let (_, list) = send(
            b.client
                .get(b.api("/users/me/subscriptions"))
                .bearer_auth(&viewer),
        )
        .await;
        (list["total"] == 1).then_some(list)
    })
    .await;
    eventually(30, "A to count the channel follower", || async {
        let c = a.get_json("/api/v1/video-channels/root_channel").await;
        (c["followersCount"] == 1).then_some(c)
    })
    .await;
    let token = a.root_token().await;
    let uuid = upload_ok(&a, &token, &media::tiny_video(), "For subscribers", &[]).await;
    wait_for(&a, &token, &uuid, published_with_torrents).await;
    let v = remote_copy(&b, "For subscribers", 60).await;
    assert_eq!(v["channel"]["host"], a.host.as_str());
}

#[tokio::test]
async fn search_resolves_remote_videos_and_channels_for_users() {
    let a = TestServer::start_with(BIN, fast_retries()).await;
    let b = TestServer::start_with(BIN, fast_retries()).await;
    let token = a.root_token().await;
    let uuid = upload_ok(&a, &token, &media::tiny_video(), "Found by URL", &[]).await;
    let local = wait_for(&a, &token, &uuid, published_with_torrents).await;
    let url = local["url"].as_str().unwrap_or_default().to_string();

    // Anonymous callers do not make the server fetch anything.
    let (status, anon) = send(
        b.client
            .get(b.api("/search/videos"))
            .query(&[("search", url.as_str())]),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(anon["total"], 0);
    let viewer = b.create_user("viewer", "viewer-password").await;
    let (status, found) = send(
        b.client
            .get(b.api("/search/videos"))
            .bearer_auth(&viewer)
            .query(&[("search", url.as_str())]),
    )
    .await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["total"], 1);
    assert_eq!(found["data"][0]["uuid"], local["uuid"]);
    assert_eq!(found["data"][0]["isLocal"], false);
    // Now known: listed, with files at the origin.
    let v = remote_copy(&b, "Found by URL", 30).await;
    assert_eq!(v["files"][0]["fileUrl"], local["files"][0]["fileUrl"]);

    let handle = format!("root_channel@{}", a.host);
    let (status, channels) = send(
        b.client
            .get(b.api("/search/video-channels"))
            .bearer_auth(&viewer)
            .query(&[("search", handle.as_str())]),
    )
    .await;
    assert_eq!(status, 200, "{channels}");
    assert_eq!(channels["total"], 1);
    assert_eq!(channels["data"][0]["host"], a.host.as_str());
    let channel_url = format!("{}/video-channels/root_channel", a.url);
    let (_, by_url) = send(
        b.client
            .get(b.api("/search/video-channels"))
            .bearer_auth(&viewer)
            .query(&[("search", channel_url.as_str())]),
    )
    .await;
    assert_eq!(by_url["total"], 1);
    let (_, local_text) = send(
        b.client
            .get(b.api("/search/video-channels"))
            .query(&[("search", "main root")]),
    )
    .await;
    assert!(
        local_text["total"].as_i64().unwrap_or(0) >= 1,
        "{local_text}"
    );
    let (status, _) = send(b.client.get(b.api("/search/video-channels"))).await;
    assert_eq!(status, 400);
}

/// A remote video not fetched for two days is fetched again when read; gone at its origin,
/// it is deleted here too.
#[tokio::test]
async fn stale_remote_videos_are_refreshed_and_gone_ones_deleted() {
    let a = TestServer::start_with(BIN, fast_retries()).await;
    let b = TestServer::start_with(BIN, fast_retries()).await;
    let token = a.root_token().await;
    let uuid = upload_ok(&a, &token, &media::tiny_video(), "Soon gone", &[]).await;
    let local = wait_for(&a, &token, &uuid, published_with_torrents).await;
    let viewer = b.create_user("viewer", "viewer-password").await;
    let url = local["url"].as_str().unwrap_or_default().to_string();
    let (_, found) = send(
        b.client
            .get(b.api("/search/videos"))
            .bearer_auth(&viewer)
            .query(&[("search", url.as_str())]),
    )
    .await;
    assert_eq!(found["total"], 1);
    // A renames it (B does not follow A: no Update reaches B) and then B's copy goes stale.
    let (status, _) = send(
        a.client
            .put(a.api(&format!("/videos/{uuid}")))
            .bearer_auth(&token)
            .json(&json!({"name": "Renamed at the origin"})),
    )
    .await;
    assert_eq!(status, 204);
    let (pg, conn) = tokio_postgres::connect(
        &format!("host=127.0.0.1 port=5432 user=postgres dbname={}", b.db),
        tokio_postgres::NoTls,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(conn);
    let age =
        "UPDATE videos SET last_fetched_at = now() - interval '3 days' WHERE is_local = false";
    pg.batch_execute(age)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (status, _) = send(b.client.get(b.api(&format!("/videos/{uuid}")))).await;
    assert_eq!(status, 200);
    remote_copy(&b, "Renamed at the origin", 30).await;
    // Deleted at the origin: the next stale read removes it here.
    let (status, _) = send(
        a.client
            .delete(a.api(&format!("/videos/{uuid}")))
            .bearer_auth(&token),
    )
    .await;
    assert_eq!(status, 204);
    pg.batch_execute(age)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (status, _) = send(b.client.get(b.api(&format!("/videos/{uuid}")))).await;
    assert_eq!(status, 200);
    eventually(30, "the stale copy to be deleted", || async {
        let (status, _) = send(b.client.get(b.api(&format!("/videos/{uuid}")))).await;
        (status == 404).then_some(Value::Null)
    })
    .await;
}

/// A remote Like and Dislike count on the local video; their Undo removes them.
#[tokio::test]
async fn remote_likes_and_dislikes_are_counted_and_undone() {
    let remote = crate::federation::mastodon().await;
    let a = TestServer::start_with(BIN, fast_retries()).await;
    let token = a.root_token().await;
    let uuid = upload_ok(&a, &token, &media::tiny_video(), "Liked", &[]).await;
    let local = wait_for(&a, &token, &uuid, published_with_torrents).await;
    let video_url = local["url"].as_str().unwrap_or_default().to_string();
    let like = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}#likes/1", remote.url), "type": "Like", "actor": remote.url, "object": video_url,
    });
    let res = remote
        .post(&a, "/inbox", &like, &remote.url, |_, _| {})
        .await;
    assert_eq!(res.status(), 204);
    let deadline = Instant::now() + Duration::from_secs(30);
    while a.get_json(&format!("/api/v1/videos/{uuid}")).await["likes"] != 1 {
        assert!(
            Instant::now() < deadline,
            "the like was not counted:\n{}",
            a.log_text()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The same actor changes its mind: one dislike, no like.
    let dislike = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}#dislikes/1", remote.url), "type": "Dislike", "actor": remote.url, "object": video_url,
    });
    let res = remote
        .post(&a, "/inbox", &dislike, &remote.url, |_, _| {})
        .await;
    assert_eq!(res.status(), 204);
    eventually(30, "the dislike", || async {
        let v = a.get_json(&format!("/api/v1/videos/{uuid}")).await;
        (v["likes"] == 0 && v["dislikes"] == 1).then_some(v)
    })
    .await;
    let undo = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}#dislikes/1/undo", remote.url), "type": "Undo", "actor": remote.url, "object": dislike,
    });
    let res = remote
        .post(&a, "/inbox", &undo, &remote.url, |_, _| {})
        .await;
    assert_eq!(res.status(), 204);
    eventually(30, "the undo", || async {
        let v = a.get_json(&format!("/api/v1/videos/{uuid}")).await;
        (v["dislikes"] == 0).then_some(v)
    })
    .await;
}

/// A Mastodon-style follower of an account receives the Create(Video) in the shape Mastodon
/// renders (an HTML link first, the Markdown content, LD- and HTTP-signed).
#[tokio::test]
async fn a_mastodon_follower_receives_the_video() {
    let remote = crate::federation::mastodon().await;
    let a = TestServer::start_with(BIN, fast_retries()).await;
    let account = format!("{}/accounts/root", a.url);
    let res = remote
        .post(
            &a,
            "/accounts/root/inbox",
            &remote.follow(&account, 1),
            &remote.url,
            |_, _| {},
        )
        .await;
    assert_eq!(res.status(), 204);
    eventually(30, "the Accept", || async {
        remote
            .received()
            .iter()
            .any(|(_, v)| v["type"] == "Accept")
            .then_some(Value::Null)
    })
    .await;
    let token = a.root_token().await;
    let uuid = upload_ok(
        &a,
        &token,
        &media::tiny_video(),
        "For Mastodon",
        &[("description", "A *Markdown* description")],
    )
    .await;
    wait_for(&a, &token, &uuid, published_with_torrents).await;
    let create = eventually(60, "the Create", || async {
        remote
            .received()
            .into_iter()
            .find(|(_, v)| v["type"] == "Create")
            .map(|(h, v)| json!({"headers": h.contains_key("signature"), "body": v}))
    })
    .await;
    assert_eq!(create["headers"], true);
    let body = &create["body"];
    assert_eq!(body["actor"], account);
    assert_eq!(body["object"]["type"], "Video");
    assert_eq!(body["object"]["name"], "For Mastodon");
    assert_eq!(body["object"]["content"], "A *Markdown* description");
    assert_eq!(body["object"]["url"][0]["mediaType"], "text/html");
    assert!(
        body["object"]["icon"]
            .as_array()
            .is_some_and(|i| !i.is_empty())
    );
    assert_eq!(body["signature"]["type"], "RsaSignature2017");
    assert!(body["to"].as_array().is_some_and(|t| {
        t.iter()
            .any(|x| x == "https://www.w3.org/ns/activitystreams#Public")
    }));
}
