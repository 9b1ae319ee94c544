//! ferrotube's delivery against a real PeerTube 6.3: the outbox crawl imports a PeerTube's
//! videos after the follow, and a PeerTube that was down gets everything published meanwhile,
//! once.

use std::time::{Duration, Instant};

use ferrotube_test_support::media::{self, published_with_torrents, upload_ok, wait_for};
use ferrotube_test_support::peertube::PeerTube;
use ferrotube_test_support::{Options, TestServer, send};
use serde_json::{Value, json};

use crate::BIN;

async fn eventually<T, F, Fut>(secs: u64, what: &str, logs: &dyn Fn() -> String, mut check: F) -> T
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
            logs()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The tail of a log, for failure messages.
fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

fn names(list: &Value) -> Vec<String> {
    let mut out: Vec<String> = list["data"]
        .as_array()
        .map(|d| {
            d.iter()
                .filter_map(|v| v["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn options() -> Options {
    Options::default()
        .env("FERROTUBE_TRANSCODING__ENABLED", "false")
        .env("FERROTUBE_JOBS__BACKOFF_BASE", "1 second")
}

/// ferrotube follows a PeerTube that already has a video: PeerTube's Accept makes ferrotube
/// crawl its outbox, and the video appears on ferrotube with its files.
#[tokio::test]
async fn a_peertube_video_published_before_the_follow_arrives_through_the_outbox_crawl() {
    let pt = PeerTube::start(None).await;
    let ft = TestServer::start_with(BIN, options()).await;
    let pt_token = pt.root_token().await;
    let uuid = upload_ok(
        &pt,
        &pt_token,
        &media::tiny_video(),
        "Published on PeerTube first",
        &[],
    )
    .await;
    let logs = || {
        format!(
            "--- ferrotube\n{}\n--- PeerTube\n{}",
            tail(&ft.log_text(), 60),
            tail(&pt.log_text(), 60)
        )
    };
    eventually(180, "PeerTube to publish its video", &logs, || async {
        let v = pt.get_json(&format!("/api/v1/videos/{uuid}")).await;
        (v["state"]["id"] == 1 && v["files"].as_array().is_some_and(|f| !f.is_empty()))
            .then_some(())
    })
    .await;

    let token = ft.root_token().await;
    let started = Instant::now();
    let (status, body) = send(
        ft.client
            .post(ft.api("/server/following"))
            .bearer_auth(&token)
            .json(&json!({ "hosts": [pt.host] })),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    eventually(60, "PeerTube's Accept", &logs, || async {
        let list = ft.get_json("/api/v1/server/following").await;
        (list["data"][0]["state"] == "accepted").then_some(())
    })
    .await;
    let accepted = started.elapsed();
    let video = eventually(60, "the crawl to bring the video", &logs, || async {
        let list = ft.get_json("/api/v1/videos?isLocal=false").await;
        list["data"]
            .as_array()?
            .iter()
            .find(|v| v["uuid"] == uuid.as_str())
            .cloned()
    })
    .await;
    let imported = started.elapsed();
    eprintln!(
        "interop: PeerTube accepted {accepted:?} after the follow; its video was imported by the \
         outbox crawl {imported:?} after the follow\n{}",
        ft.log_text()
            .lines()
            .filter(|l| l.contains("outbox crawled"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(video["name"], "Published on PeerTube first");
    assert_eq!(video["account"]["host"], pt.host.as_str());
    let full = ft.get_json(&format!("/api/v1/videos/{uuid}")).await;
    assert!(
        full["files"].as_array().is_some_and(|f| !f.is_empty()),
        "{full}"
    );
    let following = ft.get_json("/api/v1/server/following").await;
    assert_eq!(following["data"][0]["state"], "accepted");
}

fn breaker_options() -> Options {
    options()
        .env("FERROTUBE_FEDERATION__DELIVERY__HOST_PAUSE", "2 seconds")
        .env(
            "FERROTUBE_FEDERATION__DELIVERY__HOST_PAUSE_MAX",
            "5 seconds",
        )
}

/// A PeerTube follows ferrotube and is then down for a while (its node process killed, its
/// database kept). ferrotube publishes two videos and renames one meanwhile; its deliveries to
/// the dead host pause. Once PeerTube runs again it gets everything: both videos, listed once
/// each, the renamed one under its final name.
#[tokio::test]
async fn a_peertube_that_was_down_gets_everything_published_meanwhile_once() {
    let mut pt = PeerTube::start(None).await;
    let ft = TestServer::start_with(BIN, breaker_options()).await;
    let pt_token = pt.root_token().await;
    let (status, body) = send(
        pt.client
            .post(pt.api("/server/following"))
            .bearer_auth(&pt_token)
            .json(&json!({ "hosts": [ft.host] })),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    let pt_log = pt.log.clone();
    let logs = || {
        format!(
            "--- ferrotube\n{}\n--- PeerTube\n{}",
            tail(&ft.log_text(), 80),
            tail(&std::fs::read_to_string(&pt_log).unwrap_or_default(), 60)
        )
    };
    eventually(60, "PeerTube's follow to be accepted", &logs, || async {
        let list = pt.get_json("/api/v1/server/following").await;
        (list["data"][0]["state"] == "accepted").then_some(())
    })
    .await;

    pt.stop();
    assert!(!pt.is_running());
    let down = Instant::now();
    let token = ft.root_token().await;
    let first = upload_ok(
        &ft,
        &token,
        &media::tiny_video(),
        "Made while PeerTube was down",
        &[],
    )
    .await;
    wait_for(&ft, &token, &first, published_with_torrents).await;
    let second = upload_ok(&ft, &token, &media::tiny_video(), "Second while down", &[]).await;
    wait_for(&ft, &token, &second, published_with_torrents).await;
    let (status, _) = send(
        ft.client
            .put(ft.api(&format!("/videos/{first}")))
            .bearer_auth(&token)
            .json(&json!({ "name": "Renamed while PeerTube was down" })),
    )
    .await;
    assert_eq!(status, 204);
    // ferrotube notices: its deliveries to PeerTube wait for the host.
    eventually(60, "the deliveries to PeerTube to pause", &logs, || async {
        let (_, jobs) = send(
            ft.client
                .get(ft.api("/jobs/delayed?jobType=activitypub-http-unicast"))
                .bearer_auth(&token),
        )
        .await;
        jobs["data"]
            .as_array()?
            .iter()
            .any(|j| j["error"].as_str().is_some_and(|e| e.contains("paused")))
            .then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_secs(5)).await;

    let outage = down.elapsed();
    pt.restart().await;
    let back = Instant::now();
    let want = ["Renamed while PeerTube was down", "Second while down"];
    let list = eventually(90, "PeerTube to list both videos", &logs, || async {
        let list = pt.get_json("/api/v1/videos?isLocal=false&count=50").await;
        (names(&list) == want).then_some(list)
    })
    .await;
    let recovered = back.elapsed();
    eprintln!(
        "interop: PeerTube down {outage:?}; after its restart it listed both videos, renamed, in {recovered:?}"
    );
    // Nothing arrives twice: still one of each a moment later.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let again = pt.get_json("/api/v1/videos?isLocal=false&count=50").await;
    assert_eq!(names(&again), want, "{again}");
    assert_eq!(again["total"], 2, "{again}");
    let uuids: Vec<&str> = list["data"]
        .as_array()
        .map(|d| d.iter().filter_map(|v| v["uuid"].as_str()).collect())
        .unwrap_or_default();
    assert!(uuids.contains(&first.as_str()) && uuids.contains(&second.as_str()));
}
