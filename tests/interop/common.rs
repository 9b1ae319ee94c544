//! What the interop tests share: a ferrotube and a PeerTube that follow each other, polling, and
//! propagation times printed for the record.

use std::future::Future;
use std::time::{Duration, Instant};

use ferrotube_test_support::peertube::PeerTube;
use ferrotube_test_support::{Instance, Options, TestServer, send};
use serde_json::{Value, json};

use crate::BIN;

/// ferrotube with quick retries and flushes; no transcoding, so uploads publish at once.
pub fn ferrotube_options() -> Options {
    Options::default()
        .env("FERROTUBE_JOBS__BACKOFF_BASE", "1 second")
        .env("FERROTUBE_TRANSCODING__ENABLED", "false")
        .env(
            "FERROTUBE_VIEWS__VIDEOS__LOCAL_BUFFER_UPDATE_INTERVAL",
            "1 second",
        )
}

/// PeerTube adds buffered views every 30 minutes by default: every 2 seconds here.
pub const PEERTUBE_CONFIG: &str =
    r#"{"views":{"videos":{"local_buffer_update_interval":"2 seconds"}}}"#;

/// Polls `check` until it answers, for at most `secs`; returns the answer and how long it took.
pub async fn eventually<T, F, Fut>(secs: u64, what: &str, mut check: F) -> (T, Duration)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let started = Instant::now();
    let deadline = started + Duration::from_secs(secs);
    loop {
        if let Some(v) = check().await {
            return (v, started.elapsed());
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Prints a propagation time; the closing figures are read from these lines.
pub fn report(step: &str, took: Duration) {
    eprintln!("interop-time {step}: {:.2} s", took.as_secs_f64());
}

/// `follower` follows `target`'s server and the follow is accepted on the follower's side.
pub async fn follow_server(follower: &Instance, target: &Instance) -> Duration {
    let token = follower.root_token().await;
    let started = Instant::now();
    let (status, body) = send(
        follower
            .client
            .post(follower.api("/server/following"))
            .bearer_auth(&token)
            .json(&json!({ "hosts": [target.host] })),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    let host = target.host.clone();
    eventually(30, "the server follow to be accepted", || async {
        let (_, list) = send(
            follower
                .client
                .get(follower.api("/server/following?count=100"))
                .bearer_auth(&token),
        )
        .await;
        list["data"]
            .as_array()?
            .iter()
            .any(|f| f["following"]["host"] == host && f["state"] == "accepted")
            .then_some(())
    })
    .await;
    started.elapsed()
}

/// A ferrotube and a PeerTube, each following the other's server.
pub struct Pair {
    pub ft: TestServer,
    pub pt: PeerTube,
}

impl Pair {
    pub async fn start() -> Pair {
        Self::start_with(ferrotube_options(), PEERTUBE_CONFIG).await
    }

    /// With other settings on either side (transcoding, HLS).
    pub async fn start_with(ft: Options, pt_config: &str) -> Pair {
        let (ft, pt) = tokio::join!(
            TestServer::start_with(BIN, ft),
            PeerTube::start(Some(pt_config))
        );
        let pair = Pair { ft, pt };
        report(
            "follow accepted, PeerTube → ferrotube",
            follow_server(&pair.pt, &pair.ft).await,
        );
        report(
            "follow accepted, ferrotube → PeerTube",
            follow_server(&pair.ft, &pair.pt).await,
        );
        pair
    }
}

/// The video `uuid` as `server` lists it among remote videos, once it is there.
pub async fn listed(server: &Instance, uuid: &str, secs: u64) -> (Value, Duration) {
    eventually(
        secs,
        &format!("{uuid} listed on {}", server.host),
        || async {
            let (status, list) = send(
                server
                    .client
                    .get(server.api("/videos?isLocal=false&count=100&sort=-publishedAt")),
            )
            .await;
            if status != 200 {
                return None;
            }
            list["data"]
                .as_array()?
                .iter()
                .find(|v| v["uuid"] == uuid)
                .cloned()
        },
    )
    .await
}

/// GETs `path` of `server` as JSON (status, body).
pub async fn get(server: &Instance, path: &str) -> (u16, Value) {
    send(server.client.get(server.api(path))).await
}
