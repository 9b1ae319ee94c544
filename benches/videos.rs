//! Video benchmarks on the release binary, each as a ratio against a baseline measured in the
//! same run (`cargo bench --bench videos`):
//! - upload ingest of a 1 GB file (multipart and resumable) vs a plain disk copy;
//! - 1 MiB ranged HTTP reads vs 1 MiB positioned reads of the same file;
//! - `GET /api/v1/videos?count=15` with 10,000 videos vs `GET /api/v1/config`.
//!
//! Bounded in time and count; everything on 127.0.0.1.

use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use ferrotube_test_support::{Options, TestServer, send};
use serde_json::{Value, json};

/// The server under test, as Cargo built it for this bench.
const BIN: &str = env!("CARGO_BIN_EXE_ferrotube");

const MIB: u64 = 1024 * 1024;

fn big_file() -> PathBuf {
    let path = std::env::temp_dir().join("ferrotube-bench-1g.nut");
    if path.metadata().is_ok_and(|m| m.len() > 1_000_000_000) {
        return path;
    }
    // Raw 720p frames: about 1 GB in 30 s of video, quick to make, readable by ffprobe.
    let status = std::process::Command::new("ffmpeg")
        .args([
            "-y",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=1280x720:rate=25",
            "-t",
            "30",
        ])
        .args(["-c:v", "rawvideo", "-pix_fmt", "yuv420p"])
        .arg(&path)
        .status();
    assert!(
        status.is_ok_and(|s| s.success()),
        "ffmpeg could not make the 1 GB file"
    );
    path
}

fn rss_peak_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

fn mb_s(bytes: u64, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64()
}

async fn ingest(s: &TestServer, token: &str, file: &Path) -> (f64, f64) {
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    // Multipart, streamed from disk.
    let body = reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::with_capacity(
        tokio::fs::File::open(file)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        256 * 1024,
    ));
    let part = reqwest::multipart::Part::stream_with_length(body, size).file_name("bench.nut");
    let form = reqwest::multipart::Form::new()
        .text("name", "Ingest benchmark")
        .text("channelId", "1")
        .text("privacy", "1")
        .part("videofile", part);
    let t = Instant::now();
    let (status, v) = send(
        s.client
            .post(s.api("/videos/upload"))
            .bearer_auth(token)
            .multipart(form),
    )
    .await;
    let multipart = t.elapsed();
    assert_eq!(status, 200, "{v}");

    // Resumable, in 64 MiB chunks as PeerTube's web client may send.
    let t = Instant::now();
    let res = s
        .client
        .post(s.api("/videos/upload-resumable"))
        .bearer_auth(token)
        .header("X-Upload-Content-Length", size.to_string())
        .header("X-Upload-Content-Type", "video/x-nut")
        .json(&json!({"filename": "bench2.nut", "name": "Resumable benchmark", "channelId": 1, "privacy": 1}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let url = format!("http:{location}");
    let f = std::fs::File::open(file).unwrap_or_else(|e| panic!("{e}"));
    let chunk = 64 * MIB;
    let mut offset = 0;
    while offset < size {
        let len = chunk.min(size - offset);
        let mut buf = vec![0u8; len as usize];
        f.read_exact_at(&mut buf, offset)
            .unwrap_or_else(|e| panic!("{e}"));
        let r = s
            .client
            .put(&url)
            .bearer_auth(token)
            .header(
                "Content-Range",
                format!("bytes {offset}-{}/{size}", offset + len - 1),
            )
            .body(buf)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(r.status() == 308 || r.status() == 200, "{}", r.status());
        offset += len;
    }
    let resumable = t.elapsed();
    (mb_s(size, multipart), mb_s(size, resumable))
}

fn disk_copy(file: &Path) -> f64 {
    let dest = std::env::temp_dir().join("ferrotube-bench-copy.nut");
    let t = Instant::now();
    let n = std::fs::copy(file, &dest).unwrap_or(0);
    let f = std::fs::File::open(&dest).and_then(|f| f.sync_all());
    let _ = f;
    let d = t.elapsed();
    let _ = std::fs::remove_file(dest);
    mb_s(n, d)
}

async fn ranged_reads(s: &TestServer, url: &str, file: &Path, size: u64) -> (f64, f64) {
    let n = 1000u64;
    let offsets: Vec<u64> = (0..n).map(|i| (i * 7919 * MIB) % (size - MIB)).collect();
    // Baseline: positioned reads of the file itself.
    let f = std::fs::File::open(file).unwrap_or_else(|e| panic!("{e}"));
    let mut buf = vec![0u8; MIB as usize];
    let t = Instant::now();
    for o in &offsets {
        f.read_exact_at(&mut buf, *o)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let plain = mb_s(n * MIB, t.elapsed());
    // HTTP with four keep-alive clients.
    let offsets = Arc::new(offsets);
    let next = Arc::new(AtomicU64::new(0));
    let t = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let (client, url, offsets, next) = (
            s.client.clone(),
            url.to_string(),
            offsets.clone(),
            next.clone(),
        );
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(o) = offsets.get(i as usize) else {
                    break;
                };
                let r = client
                    .get(&url)
                    .header("Range", format!("bytes={o}-{}", o + MIB - 1))
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(r.status(), 206);
                let b = r.bytes().await.unwrap_or_default();
                assert_eq!(b.len() as u64, MIB);
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    (mb_s(n * MIB, t.elapsed()), plain)
}

async fn seed_videos(s: &TestServer, n: i64) {
    let (client, conn) = tokio_postgres::connect(
        &format!("host=127.0.0.1 port=5432 user=postgres dbname={}", s.db),
        tokio_postgres::NoTls,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(conn);
    let sql = format!(
        "INSERT INTO videos (uuid, url, name, description, category, licence, language, privacy, state, duration, channel_id, is_local, thumbnail_filename, preview_filename, published_at, views)
         SELECT u, '{base}/videos/watch/' || u, 'Seeded video ' || g, 'A seeded description ' || g, 1 + g % 18, 1 + g % 7, 'en', 1, 1, 60, 1, true, u || '.jpg', u || '.jpg', now() - g * interval '1 minute', g % 1000
         FROM (SELECT g, gen_random_uuid() AS u FROM generate_series(1, {n}) g) s",
        base = s.url
    );
    client
        .batch_execute(&sql)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // Statistics, as a table that has lived in production has them (autovacuum would analyse
    // it within a minute; the benchmark should not measure that minute).
    client
        .batch_execute("ANALYZE videos")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

async fn hammer(s: &TestServer, path: &str, secs: u64, clients: usize) -> f64 {
    let count = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (client, url, count) = (s.client.clone(), format!("{}{path}", s.url), count.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                let r = client
                    .get(&url)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                assert!(r.status().is_success());
                let _ = r.bytes().await;
                count.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    count.load(Ordering::Relaxed) as f64 / secs as f64
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let file = big_file();
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let s = TestServer::start_with(
        BIN,
        Options::default()
            .env("FERROTUBE_TRANSCODING__ENABLED", "false")
            .env("FERROTUBE_LOG__LEVEL", "warn")
            .env("FERROTUBE_RATES_LIMIT__API__MAX", "100000000"),
    )
    .await;
    let pid = s.pid().unwrap_or(0);
    let token = s.root_token().await;
    println!("file: {:.0} MB", size as f64 / 1e6);

    let copy = disk_copy(&file);
    let (multipart, resumable) = ingest(&s, &token, &file).await;
    println!(
        "ingest  disk copy {copy:.0} MB/s | multipart {multipart:.0} MB/s ({:.2}x) | resumable {resumable:.0} MB/s ({:.2}x)",
        multipart / copy,
        resumable / copy
    );
    println!(
        "server peak RSS after two 1 GB uploads: {} MiB",
        rss_peak_kib(pid) / 1024
    );

    let (_, list) = send(
        s.client
            .get(s.api("/users/me/videos?count=1"))
            .bearer_auth(&token),
    )
    .await;
    let uuid = list["data"][0]["uuid"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let v: Value = loop {
        let (_, v) = send(
            s.client
                .get(s.api(&format!("/videos/{uuid}")))
                .bearer_auth(&token),
        )
        .await;
        if v["files"][0]["fileUrl"].is_string() {
            break v;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let url = v["files"][0]["fileUrl"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let stored = s
        .storage
        .join("web-videos")
        .join(url.rsplit('/').next().unwrap_or(""));
    let (http, plain) = ranged_reads(&s, &url, &stored, size).await;
    println!(
        "ranged 1 MiB reads: plain pread {plain:.0} MB/s | HTTP Range {http:.0} MB/s ({:.2}x)",
        http / plain
    );

    seed_videos(&s, 10_000).await;
    let generation = || async {
        let (client, conn) = tokio_postgres::connect(
            &format!("host=127.0.0.1 port=5432 user=postgres dbname={}", s.db),
            tokio_postgres::NoTls,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        tokio::spawn(conn);
        let row = client
            .query_one("SELECT n FROM video_generation", &[])
            .await;
        row.map(|r| r.get::<_, i64>(0)).unwrap_or(-1)
    };
    if let Ok(secs) = std::env::var("FERROTUBE_BENCH_PAUSE") {
        println!("paused {secs} s for outside clients: {}", s.url);
        tokio::time::sleep(Duration::from_secs(secs.parse().unwrap_or(0))).await;
    }
    let config = hammer(&s, "/api/v1/config", 10, 16).await;
    let before = generation().await;
    let videos = hammer(&s, "/api/v1/videos?count=15", 10, 16).await;
    println!(
        "video generation during the list run: {before} -> {}",
        generation().await
    );
    println!(
        "GET /api/v1/config {config:.0} req/s | GET /api/v1/videos?count=15 (10,000 videos) {videos:.0} req/s ({:.2}x)",
        videos / config
    );
    println!("server peak RSS: {} MiB", rss_peak_kib(pid) / 1024);
}
