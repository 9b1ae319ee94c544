//! Deliveries that survive what PeerTube's do not: one POST per shared inbox whatever the number
//! of followers behind it, a per-host circuit breaker (a dead host's deliveries wait without
//! holding workers, a live host is served meanwhile, and the dead one gets everything once it
//! answers), unreachable hosts dropped and resumed by an activity of theirs, and pending follows
//! whose Follow is sent again.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use ferrotube_federation::signatures::http as sig;
use ferrotube_test_support::media::{self, published_with_torrents, upload_ok, wait_for};
use ferrotube_test_support::mock_actor::{InboxAnswer, MockActor};
use ferrotube_test_support::{Options, TestServer, send};
use serde_json::{Value, json};

use crate::BIN;

/// Polls `check` every 100 ms until it returns Some, or panics after `secs` with `log`.
pub(crate) async fn until<T, F, Fut>(secs: u64, what: &str, log: &TestServer, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}\n{}",
            log.log_text()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// POSTs `body` to `path` on `server`, HTTP-signed by `actor`; returns the status.
pub(crate) async fn post_as(
    actor: &MockActor,
    server: &TestServer,
    path: &str,
    body: &Value,
) -> u16 {
    let Ok(url) = reqwest::Url::parse(&format!("{}{path}", server.url)) else {
        panic!("url");
    };
    let bytes = body.to_string().into_bytes();
    let Ok(signed) = sig::sign_post(&url, &bytes, &actor.url, &actor.keys.private_pem) else {
        panic!("sign");
    };
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
        Ok(r) => r.status().as_u16(),
        Err(e) => panic!("POST {path}: {e}"),
    }
}

pub(crate) fn follow_of(actor: &MockActor, target: &str, n: u32) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}#follows/{n}", actor.url),
        "type": "Follow", "actor": actor.url, "object": target,
    })
}

/// `actor` follows `path` (an actor of `server`) and waits for the Accept.
pub(crate) async fn follow_and_wait(actor: &MockActor, server: &TestServer, path: &str, n: u32) {
    let target = format!("{}{path}", server.url);
    let status = post_as(
        actor,
        server,
        &format!("{path}/inbox"),
        &follow_of(actor, &target, n),
    )
    .await;
    assert_eq!(status, 204);
    until(20, "the Accept", server, || async {
        actor
            .posts()
            .iter()
            .any(|p| p.body["type"] == "Accept" && p.body["actor"] == target.as_str())
            .then_some(())
    })
    .await;
}

/// Activities of `kind` the host received, by id.
fn by_id(actor: &MockActor, kind: &str) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for p in actor.posts() {
        if p.body["type"] == kind {
            let id = p.body["id"].as_str().unwrap_or_default().to_string();
            *out.entry(id).or_insert(0) += 1;
        }
    }
    out
}

async fn publish(server: &TestServer, token: &str, name: &str) -> Value {
    let uuid = upload_ok(server, token, &media::tiny_video(), name, &[]).await;
    wait_for(server, token, &uuid, published_with_torrents).await
}

/// Two followers of the account and one of the channel, all on one host with one shared inbox:
/// the Create goes to that inbox once, each Announce once.
#[tokio::test]
async fn fan_out_is_one_delivery_per_shared_inbox() {
    let a = TestServer::start_with(
        BIN,
        Options::default().env("FERROTUBE_TRANSCODING__ENABLED", "false"),
    )
    .await;
    let actors = MockActor::start_many(&["ann", "bob", "cid"]).await;
    follow_and_wait(&actors[0], &a, "/accounts/root", 1).await;
    follow_and_wait(&actors[1], &a, "/accounts/root", 2).await;
    follow_and_wait(&actors[2], &a, "/video-channels/root_channel", 3).await;
    follow_and_wait(&actors[0], &a, "/accounts/peertube", 4).await;
    let token = a.root_token().await;
    let video = publish(&a, &token, "Shared inbox").await;
    let url = video["url"].as_str().unwrap_or_default().to_string();
    until(30, "the Create and both Announces", &a, || async {
        (by_id(&actors[0], "Create").len() == 1 && by_id(&actors[0], "Announce").len() == 2)
            .then_some(())
    })
    .await;
    // Later duplicates would show up now.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let posts = actors[0].posts();
    let video_posts: Vec<_> = posts
        .iter()
        .filter(|p| matches!(p.body["type"].as_str(), Some("Create" | "Announce")))
        .collect();
    assert_eq!(video_posts.len(), 3, "{video_posts:#?}");
    for p in &video_posts {
        assert_eq!(p.path, "/inbox", "broadcasts go to the shared inbox");
    }
    let create = by_id(&actors[0], "Create");
    assert_eq!(create.get(&format!("{url}/activity")), Some(&1));
    assert!(by_id(&actors[0], "Announce").values().all(|n| *n == 1));
}

fn breaker_options() -> Options {
    Options::default()
        .env("FERROTUBE_TRANSCODING__ENABLED", "false")
        .env("FERROTUBE_JOBS__BACKOFF_BASE", "1 second")
        .env("FERROTUBE_JOBS__CONCURRENCY__ACTIVITYPUB_HTTP_UNICAST", "2")
        .env("FERROTUBE_FEDERATION__DELIVERY__TIMEOUT", "2 seconds")
        .env(
            "FERROTUBE_FEDERATION__DELIVERY__HOST_FAILURES_BEFORE_PAUSE",
            "2",
        )
        .env("FERROTUBE_FEDERATION__DELIVERY__HOST_PAUSE", "2 seconds")
        .env(
            "FERROTUBE_FEDERATION__DELIVERY__HOST_PAUSE_MAX",
            "4 seconds",
        )
}

/// A host that hangs is paused after two failures: its deliveries wait (without holding one of
/// the two delivery workers, without counting attempts) while a live host gets everything; once
/// it answers again it gets every activity, each once.
#[tokio::test]
async fn a_dead_host_is_paused_without_blocking_a_live_one_and_resumes() {
    let a = TestServer::start_with(BIN, breaker_options()).await;
    let dead = MockActor::start("dead").await;
    let live = MockActor::start("live").await;
    follow_and_wait(&dead, &a, "/accounts/root", 1).await;
    follow_and_wait(&live, &a, "/accounts/root", 1).await;
    dead.answer_with(InboxAnswer::Hang);
    let token = a.root_token().await;
    let started = Instant::now();
    let mut urls = Vec::new();
    for n in 0..4 {
        let v = publish(&a, &token, &format!("While one host hangs {n}")).await;
        urls.push(format!(
            "{}/activity",
            v["url"].as_str().unwrap_or_default()
        ));
    }
    // Each video: a Create (the account's followers) and two Announces (all involved).
    let expected = urls.len() * 3;
    let count = |m: &MockActor| by_id(m, "Create").len() + by_id(m, "Announce").len();
    until(30, "the live host to get everything", &a, || async {
        (count(&live) == expected).then_some(())
    })
    .await;
    let live_done = started.elapsed();
    // Without the breaker every delivery to the dead host would have held a worker for its
    // 2 s timeout (and been retried); paused, it sees two failures and then one probe per pause.
    let tried = dead.inbox_attempts();
    assert!(
        tried < expected,
        "the dead host was tried {tried} times for {expected} deliveries"
    );
    let (status, delayed) = send(
        a.client
            .get(a.api("/jobs/delayed?jobType=activitypub-http-unicast&count=100"))
            .bearer_auth(&token),
    )
    .await;
    assert_eq!(status, 200, "{delayed}");
    let paused = delayed["data"]
        .as_array()
        .map(|d| {
            d.iter()
                .filter(|j| j["error"].as_str().is_some_and(|e| e.contains("paused")))
                .count()
        })
        .unwrap_or(0);
    assert!(
        paused > 0,
        "no delivery waits for the paused host: {delayed}"
    );

    dead.answer_with(InboxAnswer::Accepted);
    let back = Instant::now();
    until(
        40,
        "the dead host to get everything once back",
        &a,
        || async { (count(&dead) == expected).then_some(()) },
    )
    .await;
    eprintln!(
        "breaker: live host served in {live_done:?} while the other hung; \
         the other got its {expected} deliveries {:?} after answering again",
        back.elapsed()
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    for kind in ["Create", "Announce"] {
        let ids = by_id(&dead, kind);
        assert!(ids.values().all(|n| *n == 1), "{kind} twice: {ids:?}");
    }
    for url in &urls {
        assert_eq!(by_id(&dead, "Create").get(url), Some(&1));
    }
}

/// A host failing for longer than `host_unreachable_after` has its deliveries dropped; an
/// activity it sends brings it back.
#[tokio::test]
async fn an_unreachable_host_is_dropped_and_resumed_by_its_activity() {
    let a = TestServer::start_with(
        BIN,
        breaker_options()
            .env("FERROTUBE_FEDERATION__DELIVERY__HOST_PAUSE", "1 second")
            .env("FERROTUBE_FEDERATION__DELIVERY__HOST_PAUSE_MAX", "1 second")
            .env(
                "FERROTUBE_FEDERATION__DELIVERY__HOST_UNREACHABLE_AFTER",
                "3 seconds",
            ),
    )
    .await;
    let gone = MockActor::start("gone").await;
    follow_and_wait(&gone, &a, "/accounts/root", 1).await;
    gone.answer_with(InboxAnswer::Status(503));
    let token = a.root_token().await;
    publish(&a, &token, "Sent to a dead host").await;
    let failed = until(40, "the deliveries to be dropped", &a, || async {
        let (_, list) = send(
            a.client
                .get(a.api("/jobs/failed?jobType=activitypub-http-unicast"))
                .bearer_auth(&token),
        )
        .await;
        let dropped = list["data"].as_array().is_some_and(|d| {
            d.len() == 3
                && d.iter().all(|j| {
                    j["error"]
                        .as_str()
                        .is_some_and(|e| e.contains("unreachable"))
                })
        });
        dropped.then_some(list)
    })
    .await;
    assert_eq!(failed["total"], 3, "{failed}");
    // New deliveries fail at once, without a request.
    let before = gone.inbox_attempts();
    gone.answer_with(InboxAnswer::Accepted);
    publish(&a, &token, "Dropped at once").await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        gone.inbox_attempts(),
        before,
        "an unreachable host was tried"
    );
    // It speaks again: deliveries resume.
    let status = post_as(
        &gone,
        &a,
        "/accounts/root/inbox",
        &follow_of(&gone, &format!("{}/accounts/root", a.url), 2),
    )
    .await;
    assert_eq!(status, 204);
    let v = publish(&a, &token, "After it came back").await;
    let id = format!("{}/activity", v["url"].as_str().unwrap_or_default());
    until(30, "the Create after the host came back", &a, || async {
        by_id(&gone, "Create").contains_key(&id).then_some(())
    })
    .await;
}

/// Our Follow is sent again while it stays pending (the Accept may have been lost), a bounded
/// number of times; a late Accept settles it.
#[tokio::test]
async fn a_pending_follow_is_sent_again_until_accepted() {
    let b = TestServer::start_with(
        BIN,
        Options::default()
            .env(
                "FERROTUBE_FEDERATION__PENDING_FOLLOWS__RESEND_AFTER",
                "500 milliseconds",
            )
            .env(
                "FERROTUBE_FEDERATION__PENDING_FOLLOWS__RESEND_ATTEMPTS",
                "2",
            )
            .env(
                "FERROTUBE_FEDERATION__PENDING_FOLLOWS__CHECK_INTERVAL",
                "300 milliseconds",
            ),
    )
    .await;
    let target = MockActor::start("slow").await;
    let token = b.root_token().await;
    let (status, body) = send(
        b.client
            .post(b.api("/server/following"))
            .bearer_auth(&token)
            .json(&json!({ "handles": [target.handle()] })),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    let follows = || {
        target
            .posts()
            .into_iter()
            .filter(|p| p.body["type"] == "Follow")
            .collect::<Vec<_>>()
    };
    // The first Follow and its two re-sends (0.5 s, then 1 s later), then no more.
    until(20, "two re-sent Follows", &b, || async {
        (follows().len() == 3).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    let sent = follows();
    assert_eq!(sent.len(), 3, "re-sends are bounded");
    let id = sent[0].body["id"].clone();
    assert!(sent.iter().all(|p| p.body["id"] == id), "one Follow id");
    assert_eq!(
        b.get_json("/api/v1/server/following").await["data"][0]["state"],
        "pending"
    );
    let accept = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}#accepts/1", target.url), "type": "Accept", "actor": target.url,
        "object": sent[0].body,
    });
    assert_eq!(
        post_as(&target, &b, "/accounts/peertube/inbox", &accept).await,
        204
    );
    until(20, "the follow to be accepted", &b, || async {
        let list = b.get_json("/api/v1/server/following").await;
        (list["data"][0]["state"] == "accepted").then_some(())
    })
    .await;
}
