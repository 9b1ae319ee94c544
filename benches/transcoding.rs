//! Transcoding figures on the release binary (`cargo bench --bench transcoding`):
//! - the full ladder of a 20 s 1080p input (144p to 1080p), with web videos and HLS, then HLS
//!   only, in seconds of video per second of wall time, per rendition (from the server's
//!   "rendition made" log lines) and for the whole ladder;
//! - upload to published of a 10 s 640x360 clip with a web video and HLS at one resolution.
//!
//! Everything on 127.0.0.1; ffmpeg's threads follow `transcoding.threads` (1, the default).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ferrotube_test_support::media::upload_ok;
use ferrotube_test_support::{Options, TestServer, send};

/// The server under test, as Cargo built it for this bench.
const BIN: &str = env!("CARGO_BIN_EXE_ferrotube");

fn clip(name: &str, size: &str, rate: u32, secs: u32) -> PathBuf {
    let path = std::env::temp_dir().join(format!("ferrotube-bench-{name}.mp4"));
    if path.is_file() {
        return path;
    }
    // testsrc2 moves and has detail, unlike a still pattern: closer to real footage.
    let status = std::process::Command::new("ffmpeg")
        .args(["-y", "-v", "error", "-f", "lavfi", "-i"])
        .arg(format!("testsrc2=size={size}:rate={rate}:duration={secs}"))
        .args(["-f", "lavfi", "-i"])
        .arg(format!("sine=frequency=440:duration={secs}"))
        .args(["-c:v", "libx264", "-preset", "fast", "-pix_fmt", "yuv420p"])
        .args(["-c:a", "aac", "-shortest"])
        .arg(&path)
        .status();
    assert!(
        status.is_ok_and(|s| s.success()),
        "ffmpeg could not make {name}"
    );
    path
}

/// Polls until the video is published with its HLS playlist; the time it took.
async fn until_published(s: &TestServer, token: &str, uuid: &str, started: Instant) -> Duration {
    let deadline = started + Duration::from_secs(1800);
    loop {
        let (_, v) = send(
            s.client
                .get(s.api(&format!("/videos/{uuid}")))
                .bearer_auth(token),
        )
        .await;
        let hls = v["streamingPlaylists"][0]["files"]
            .as_array()
            .is_some_and(|f| !f.is_empty());
        if v["state"]["id"] == 1 && hls {
            return started.elapsed();
        }
        assert!(v["state"]["id"] != 7, "transcoding failed: {v}");
        assert!(Instant::now() < deadline, "never published: {v}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `(resolution, seconds)` of each "rendition made" line of the server's log.
fn renditions(log: &str) -> Vec<(i64, f64)> {
    log.lines()
        .filter(|l| l.contains("rendition made"))
        .filter_map(|l| {
            let field = |k: &str| {
                l.split_whitespace()
                    .find_map(|w| w.strip_prefix(k))
                    .map(str::to_string)
            };
            Some((
                field("resolution=")?.parse().ok()?,
                field("seconds=")?.parse().ok()?,
            ))
        })
        .collect()
}

async fn ladder(input: &Path, secs: f64, web_videos: bool) {
    let mut options = Options::default().env(
        "FERROTUBE_TRANSCODING__WEB_VIDEOS__ENABLED",
        if web_videos { "true" } else { "false" },
    );
    for r in ["144P", "240P", "360P", "480P", "720P", "1080P"] {
        options = options.env(&format!("FERROTUBE_TRANSCODING__RESOLUTIONS__{r}"), "true");
    }
    let s = TestServer::start_with(BIN, options).await;
    let token = s.root_token().await;
    let started = Instant::now();
    let uuid = upload_ok(&s, &token, input, "Ladder benchmark", &[]).await;
    let took = until_published(&s, &token, &uuid, started).await;
    let what = if web_videos {
        "web video + HLS (remuxed) per rendition"
    } else {
        "HLS only"
    };
    println!("ladder of a {secs} s 1080p input, {what}, 1 thread:");
    let mut total = 0.0;
    for (resolution, wall) in renditions(&s.log_text()) {
        total += wall;
        println!(
            "  {resolution:>5}p  {wall:6.2} s  {:6.2} s of video per s",
            secs / wall
        );
    }
    println!(
        "  all renditions {total:.2} s: {:.2} s of input per s ({:.2} s of renditions per s); \
         upload to published {:.2} s",
        secs / total,
        secs * 6.0 / total,
        took.as_secs_f64()
    );
}

async fn one_resolution(input: &Path) {
    let s = TestServer::start(BIN).await;
    let token = s.root_token().await;
    let mut runs = Vec::new();
    for i in 0..3 {
        let started = Instant::now();
        let uuid = upload_ok(&s, &token, input, &format!("Publish benchmark {i}"), &[]).await;
        runs.push(
            until_published(&s, &token, &uuid, started)
                .await
                .as_secs_f64(),
        );
    }
    runs.sort_by(f64::total_cmp);
    println!(
        "10 s 640x360, web video + HLS at 360p: upload to published {:.2} s (median of 3; {:.2}–{:.2})",
        runs[1], runs[0], runs[2]
    );
}

#[tokio::main]
async fn main() {
    let small = clip("360p-10s", "640x360", 25, 10);
    one_resolution(&small).await;
    let big = clip("1080p-20s", "1920x1080", 30, 20);
    ladder(&big, 20.0, true).await;
    ladder(&big, 20.0, false).await;
}
