//! Follows as PeerTube handles them: the outbox crawl after an Accept imports what the followed
//! actor published before (server follow and channel subscription), the subscription video
//! list, removing a follower (a Reject goes to it) and following a PeerTube server back.

use std::time::{Duration, Instant};

use ferrotube_test_support::media::{self, published_with_torrents, upload_ok, wait_for};
use ferrotube_test_support::mock_actor::MockActor;
use ferrotube_test_support::{Options, TestServer, assert_problem, send};
use serde_json::{Value, json};

use crate::BIN;
use crate::delivery::{follow_and_wait, until};

fn options() -> Options {
    Options::default()
        .env("FERROTUBE_JOBS__BACKOFF_BASE", "1 second")
        .env("FERROTUBE_TRANSCODING__ENABLED", "false")
}

async fn publish(server: &TestServer, token: &str, name: &str) -> Value {
    let uuid = upload_ok(server, token, &media::tiny_video(), name, &[]).await;
    wait_for(server, token, &uuid, published_with_torrents).await
}

fn names(list: &Value) -> Vec<String> {
    list["data"]
        .as_array()
        .map(|d| {
            d.iter()
                .filter_map(|v| v["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

async fn follow_host(follower: &TestServer, host: &str) {
    let token = follower.root_token().await;
    let (status, body) = send(
        follower
            .client
            .post(follower.api("/server/following"))
            .bearer_auth(&token)
            .json(&json!({ "hosts": [host] })),
    )
    .await;
    assert_eq!(status, 204, "{body}");
}

/// B follows A after A published: the Accept makes B crawl A's server outbox and import the
/// videos, which no Create or Announce brought.
#[tokio::test]
async fn an_accepted_server_follow_imports_the_existing_videos() {
    let a = TestServer::start_with(BIN, options()).await;
    let b = TestServer::start_with(BIN, options()).await;
    let token = a.root_token().await;
    for name in ["Published before 1", "Published before 2"] {
        publish(&a, &token, name).await;
    }
    let started = Instant::now();
    follow_host(&b, &a.host).await;
    let list = until(60, "the crawl to import both videos", &b, || async {
        let list = b.get_json("/api/v1/videos?isLocal=false&count=10").await;
        (list["total"] == 2).then_some(list)
    })
    .await;
    eprintln!(
        "outbox crawl: 2 videos imported {:?} after the follow",
        started.elapsed()
    );
    let mut got = names(&list);
    got.sort();
    assert_eq!(got, ["Published before 1", "Published before 2"]);
    assert_eq!(list["data"][0]["account"]["host"], a.host.as_str());
    let btoken = b.root_token().await;
    let (_, jobs) = send(
        b.client
            .get(b.api("/jobs/completed?jobType=activitypub-http-fetcher"))
            .bearer_auth(&btoken),
    )
    .await;
    assert_eq!(jobs["total"], 1, "{jobs}");
    assert_eq!(
        jobs["data"][0]["data"],
        json!({"uri": format!("{}/accounts/peertube/outbox", a.url), "type": "activity"})
    );
}

/// A user's subscription to a remote channel crawls the channel's outbox; the user's
/// subscription list of videos shows them, with PeerTube's paging and sorts.
#[tokio::test]
async fn a_remote_subscription_imports_the_channel_videos_into_the_subscription_list() {
    let a = TestServer::start_with(BIN, options()).await;
    let b = TestServer::start_with(BIN, options()).await;
    let token = a.root_token().await;
    for name in ["Channel video 1", "Channel video 2", "Channel video 3"] {
        publish(&a, &token, name).await;
    }
    let viewer = b.create_user("viewer", "viewer-password").await;
    let handle = format!("root_channel@{}", a.host);
    let (status, body) = send(
        b.client
            .post(b.api("/users/me/subscriptions"))
            .bearer_auth(&viewer)
            .json(&json!({ "uri": handle })),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    let get = |path: &str| {
        let req = b.client.get(b.api(path)).bearer_auth(&viewer);
        async move { send(req).await }
    };
    let list = until(60, "the subscription videos", &b, || async {
        let (status, list) = get("/users/me/subscriptions/videos").await;
        (status == 200 && list["total"] == 3).then_some(list)
    })
    .await;
    assert_eq!(
        names(&list),
        ["Channel video 3", "Channel video 2", "Channel video 1"],
        "newest first by default"
    );
    let (_, page) = get("/users/me/subscriptions/videos?sort=name&start=1&count=1").await;
    assert_eq!(page["total"], 3);
    assert_eq!(names(&page), ["Channel video 2"]);
    let (status, bad) = get("/users/me/subscriptions/videos?sort=nope").await;
    assert_eq!(status, 400, "{bad}");
    // Another user of B sees none of them; an anonymous caller gets 401.
    let other = b.create_user("other", "other-password").await;
    let (_, none) = send(
        b.client
            .get(b.api("/users/me/subscriptions/videos"))
            .bearer_auth(&other),
    )
    .await;
    assert_eq!(none["total"], 0, "{none}");
    let (status, _) = send(b.client.get(b.api("/users/me/subscriptions/videos"))).await;
    assert_eq!(status, 401);
    // The handle route still answers for a subscription.
    let (status, one) = get(&format!("/users/me/subscriptions/{handle}")).await;
    assert_eq!(status, 200, "{one}");
}

/// Subscribing to a local channel lists its videos, and only its.
#[tokio::test]
async fn local_subscriptions_list_only_the_followed_channels_videos() {
    let a = TestServer::start_with(BIN, options()).await;
    let token = a.root_token().await;
    publish(&a, &token, "By root").await;
    let viewer = a.create_user("viewer", "viewer-password").await;
    publish(&a, &viewer, "By the viewer").await;
    let (status, _) = send(
        a.client
            .post(a.api("/users/me/subscriptions"))
            .bearer_auth(&viewer)
            .json(&json!({ "uri": "root_channel" })),
    )
    .await;
    assert_eq!(status, 204);
    let (status, list) = send(
        a.client
            .get(a.api("/users/me/subscriptions/videos"))
            .bearer_auth(&viewer),
    )
    .await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(names(&list), ["By root"]);
    assert_eq!(list["total"], 1);
}

/// `DELETE /server/followers/{handle}`: the follower is removed and told with a Reject.
#[tokio::test]
async fn removing_a_follower_sends_it_a_reject() {
    let a = TestServer::start(BIN).await;
    let m = MockActor::start("fan").await;
    follow_and_wait(&m, &a, "/accounts/peertube", 1).await;
    assert_eq!(a.get_json("/api/v1/server/followers").await["total"], 1);
    let path = format!("/server/followers/{}", m.handle());
    let (status, body) = send(a.client.delete(a.api(&path))).await;
    assert_problem(status, &body, 401);
    let user = a.create_user("plain", "plain-password").await;
    let (status, body) = send(a.client.delete(a.api(&path)).bearer_auth(&user)).await;
    assert_problem(status, &body, 403);
    let token = a.root_token().await;
    let (status, body) = send(a.client.delete(a.api(&path)).bearer_auth(&token)).await;
    assert_eq!(status, 204, "{body}");
    assert_eq!(a.get_json("/api/v1/server/followers").await["total"], 0);
    let reject = until(20, "the Reject", &a, || async {
        m.posts().into_iter().find(|p| p.body["type"] == "Reject")
    })
    .await;
    assert_eq!(reject.path, "/users/fan/inbox");
    assert_eq!(reject.body["actor"], format!("{}/accounts/peertube", a.url));
    assert_eq!(reject.body["object"]["type"], "Follow");
    assert_eq!(reject.body["object"]["actor"], m.url.as_str());
    let (status, body) = send(a.client.delete(a.api(&path)).bearer_auth(&token)).await;
    assert_problem(status, &body, 404);
    assert_eq!(
        body["detail"],
        format!("Follower {} not found.", m.handle()).as_str()
    );
}

/// With `followings.instance.auto_follow_back.enabled`, a PeerTube server (its `peertube`
/// actor) that follows ours is followed back; without it, it is not.
#[tokio::test]
async fn a_following_server_is_followed_back_when_enabled() {
    let a = TestServer::start_with(
        BIN,
        options().env(
            "FERROTUBE_FOLLOWINGS__INSTANCE__AUTO_FOLLOW_BACK__ENABLED",
            "true",
        ),
    )
    .await;
    let b = TestServer::start_with(BIN, options()).await;
    let c = TestServer::start_with(BIN, options()).await;
    follow_host(&b, &a.host).await;
    let following = until(30, "A to follow B back", &a, || async {
        let list = a.get_json("/api/v1/server/following").await;
        (list["data"][0]["state"] == "accepted").then_some(list)
    })
    .await;
    assert_eq!(following["total"], 1);
    assert_eq!(following["data"][0]["following"]["host"], b.host.as_str());
    assert_eq!(following["data"][0]["following"]["name"], "peertube");
    // B does not follow back (its default), so A's follow of C stays one-way.
    follow_host(&a, &c.host).await;
    follow_host(&c, &b.host).await;
    until(30, "C's follow of B", &c, || async {
        let list = c.get_json("/api/v1/server/following").await;
        (list["data"][0]["state"] == "accepted").then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let b_following = b.get_json("/api/v1/server/following").await;
    assert_eq!(
        b_following["data"].as_array().map(|d| d
            .iter()
            .filter(|f| f["following"]["host"] == c.host.as_str())
            .count()),
        Some(0),
        "{b_following}"
    );
}

/// A remote video's likes are its origin's: read from its `likes` collection when it is
/// imported, and again at each Update.
#[tokio::test]
async fn remote_rates_are_read_from_the_origin() {
    let a = TestServer::start_with(BIN, options()).await;
    let b = TestServer::start_with(BIN, options()).await;
    let fans = MockActor::start_many(&["one", "two"]).await;
    let token = a.root_token().await;
    let video = publish(&a, &token, "Liked at the origin").await;
    let url = video["url"].as_str().unwrap_or_default().to_string();
    let uuid = video["uuid"].as_str().unwrap_or_default().to_string();
    let like = |fan: &MockActor| {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{}#likes/1", fan.url), "type": "Like", "actor": fan.url, "object": url,
        })
    };
    assert_eq!(
        crate::delivery::post_as(&fans[0], &a, "/inbox", &like(&fans[0])).await,
        204
    );
    until(20, "the like on A", &a, || async {
        (a.get_json(&format!("/api/v1/videos/{uuid}")).await["likes"] == 1).then_some(())
    })
    .await;
    follow_host(&b, &a.host).await;
    until(60, "the imported copy with its like", &b, || async {
        let (status, v) = send(b.client.get(b.api(&format!("/videos/{uuid}")))).await;
        (status == 200 && v["likes"] == 1).then_some(())
    })
    .await;
    assert_eq!(
        crate::delivery::post_as(&fans[1], &a, "/inbox", &like(&fans[1])).await,
        204
    );
    until(60, "the second like, through A's Update", &b, || async {
        let v = b.get_json(&format!("/api/v1/videos/{uuid}")).await;
        (v["likes"] == 2).then_some(())
    })
    .await;
}
