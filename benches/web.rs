//! Web page benchmark on the release binary (`cargo bench --bench web`): requests per second and
//! latency percentiles of the home page and of a watch page, the server pinned to core 0 and
//! this load generator to core 1 (PostgreSQL is not pinned). The instance holds one uploaded
//! video and 1,000 seeded ones, so the home page lists a full page of 24 videos.
//!
//! Bounded in time (a warm-up and a measured run per page) and in clients; everything on
//! 127.0.0.1.

use std::time::{Duration, Instant};

use ferrotube_test_support::media::{self, published_with_torrents, upload_ok, wait_for};
use ferrotube_test_support::{Options, TestServer};

/// The server under test, as Cargo built it for this bench.
const BIN: &str = env!("CARGO_BIN_EXE_ferrotube");

const CLIENTS: usize = 16;
const WARM_UP: Duration = Duration::from_secs(2);
const RUN: Duration = Duration::from_secs(10);

fn pin_self(cpu: &str) {
    let _ = std::process::Command::new("taskset")
        .args(["-pc", cpu, &std::process::id().to_string()])
        .output();
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
    client
        .batch_execute("ANALYZE videos")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

struct Figures {
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    bytes: usize,
}

/// `CLIENTS` keep-alive connections asking for `path` as fast as answers come, for `run`.
async fn load(s: &TestServer, path: &str, run: Duration) -> Figures {
    let url = format!("{}{path}", s.url);
    let deadline = Instant::now() + run;
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (client, url) = (s.client.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(20_000);
            let mut bytes = 0;
            while Instant::now() < deadline {
                let t = Instant::now();
                let r = client
                    .get(&url)
                    .header("Accept", "text/html")
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                assert!(r.status().is_success(), "{url}: {}", r.status());
                bytes = r.bytes().await.map(|b| b.len()).unwrap_or(0);
                latencies.push(t.elapsed());
            }
            (latencies, bytes)
        }));
    }
    let mut all = Vec::new();
    let mut bytes = 0;
    for t in tasks {
        if let Ok((l, b)) = t.await {
            all.extend(l);
            bytes = b;
        }
    }
    all.sort_unstable();
    let at = |q: f64| {
        all.get(((all.len() as f64 * q) as usize).min(all.len().saturating_sub(1)))
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
    };
    Figures {
        per_second: all.len() as f64 / run.as_secs_f64(),
        p50_ms: at(0.50),
        p99_ms: at(0.99),
        bytes,
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 1)]
async fn main() {
    pin_self("1");
    let s = TestServer::start_with(
        BIN,
        Options {
            cpus: Some("0".into()),
            ..Options::default()
        }
        .env("FERROTUBE_LOG__LEVEL", "warn")
        .env("FERROTUBE_RATES_LIMIT__API__MAX", "100000000")
        .env(
            "FERROTUBE_CLIENT__PLAYER_DIST",
            concat!(env!("CARGO_MANIFEST_DIR"), "/player/dist"),
        ),
    )
    .await;
    let token = s.root_token().await;
    let uuid = upload_ok(&s, &token, media::video().await, "Benchmark video", &[]).await;
    let v = wait_for(&s, &token, &uuid, published_with_torrents).await;
    let watch = format!("/w/{}", v["shortUUID"].as_str().unwrap_or_default());
    seed_videos(&s, 1_000).await;

    println!(
        "server pinned to core 0, {CLIENTS} clients on core 1, {} s per page",
        RUN.as_secs()
    );
    for (label, path) in [
        ("home  GET /", "/"),
        ("watch GET /w/{id}", watch.as_str()),
        ("ref.  GET /api/v1/config", "/api/v1/config"),
    ] {
        let _ = load(&s, path, WARM_UP).await;
        let f = load(&s, path, RUN).await;
        println!(
            "{label:<26} {:>7.0} req/s | p50 {:>6.2} ms | p99 {:>6.2} ms | {} bytes",
            f.per_second, f.p50_ms, f.p99_ms, f.bytes
        );
    }
}
