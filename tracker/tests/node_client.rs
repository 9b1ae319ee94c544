//! End to end with a real client: bittorrent-tracker's `Client` (what WebTorrent uses), in
//! Node, announcing over WebSocket (offers and answers made by a stand-in WebRTC) and HTTP.
//! `scripts/test` installs it into `tests/node/node_modules`; without it the test is skipped.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::start;
use ferrotube_tracker::{InfoHash, TrackerConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bittorrent_tracker_client_announces_scrapes_and_relays() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/node");
    assert!(
        dir.join("node_modules/bittorrent-tracker").is_dir(),
        "bittorrent-tracker is not installed (scripts/test installs it)"
    );
    let server = start(TrackerConfig::default()).await;
    let ws_hash = [0x5A; 20];
    let http_hash = [0x6B; 20];
    server.registry.insert(InfoHash(ws_hash));
    server.registry.insert(InfoHash(http_hash));

    let run = tokio::process::Command::new("node")
        .args(["--import", "./register.mjs", "e2e.mjs"])
        .arg(format!("http://{}", server.addr))
        .args([
            hex::encode(ws_hash),
            hex::encode(http_hash),
            hex::encode([0x7C; 20]),
        ])
        .current_dir(&dir)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("the Node client finishes within 60 s")
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("all checks passed"));
}
