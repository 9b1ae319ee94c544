//! Federation benchmarks on the release binary (`cargo bench --bench federation`), bounded in
//! time and count, on 127.0.0.1 only:
//! - inbox: signed activities accepted per second by a server pinned to one core, against the
//!   raw RSA-SHA256 verification rate of that core measured in the same run;
//! - fan-out: one published video delivered to 1,000 follower inboxes spread over 10
//!   receiving servers: wall time and the sender's peak memory.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use ferrotube_federation::signatures::http as sig;
use ferrotube_test_support::media;
use ferrotube_test_support::mock_actor::MockActor;
use ferrotube_test_support::{Options, TestServer, send};
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier;
use serde_json::json;

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

fn pin_self(cpu: &str) {
    let _ = std::process::Command::new("taskset")
        .args(["-pc", cpu, &std::process::id().to_string()])
        .output();
}

/// The server under test, as Cargo built it for this bench.
const BIN: &str = env!("CARGO_BIN_EXE_ferrotube");

async fn inbox_benchmark() {
    // A remote Person served by this process, with a key pair of its own.
    let remote = MockActor::start("bench").await;
    let (public, private) = (&remote.keys.public_pem, &remote.keys.private_pem);
    let actor = remote.url.clone();
    let server = TestServer::start_with(
        BIN,
        Options {
            cpus: Some("1".into()),
            ..Options::default()
                .env("FERROTUBE_LOG__LEVEL", "warn")
                .env("FERROTUBE_DATABASE__POOL__MAX", "16")
        },
    )
    .await;
    pin_self("0");
    let Ok(url) = reqwest::Url::parse(&format!("{}/inbox", server.url)) else {
        panic!("url")
    };
    // Signed in advance: the client's signing must not be what is measured.
    let n = 3000;
    let mut requests = Vec::with_capacity(n);
    for i in 0..n {
        let body = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{actor}#likes/{i}"),
            "type": "Like",
            "actor": actor,
            "object": format!("{}/videos/watch/00000000-0000-4000-8000-000000000000", server.url),
        })
        .to_string()
        .into_bytes();
        let Ok(signed) = sig::sign_post(&url, &body, &actor, private) else {
            panic!("sign")
        };
        requests.push((
            body,
            signed
                .pairs()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect::<Vec<_>>(),
        ));
    }
    let send_one = |(body, headers): (Vec<u8>, Vec<(String, String)>)| {
        let mut req = server
            .client
            .post(url.clone())
            .header("content-type", "application/activity+json")
            .body(body);
        for (k, v) in headers {
            if k != "host" {
                req = req.header(k, v);
            }
        }
        req.send()
    };
    // The first one makes the server fetch and store the actor.
    let mut requests = requests.into_iter();
    if let Some(first) = requests.next() {
        let r = send_one(first).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status(), 204, "{:?}", r.text().await);
    }
    let queue = Arc::new(std::sync::Mutex::new(requests.collect::<Vec<_>>()));
    let ok = Arc::new(AtomicU64::new(0));
    let t = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (queue, ok, client, url) = (
            queue.clone(),
            ok.clone(),
            server.client.clone(),
            url.clone(),
        );
        tasks.push(tokio::spawn(async move {
            loop {
                let next = queue.lock().ok().and_then(|mut q| q.pop());
                let Some((body, headers)) = next else { break };
                let mut req = client
                    .post(url.clone())
                    .header("content-type", "application/activity+json")
                    .body(body);
                for (k, v) in headers {
                    if k != "host" {
                        req = req.header(k, v);
                    }
                }
                if req.send().await.is_ok_and(|r| r.status() == 204) {
                    ok.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let elapsed = t.elapsed();
    let accepted = ok.load(Ordering::Relaxed);
    let rate = accepted as f64 / elapsed.as_secs_f64();

    // Baseline: RSA-SHA256 verifications per second on one core with the same key.
    let Ok(key) = sig::public_key(public) else {
        panic!("key")
    };
    let Ok(private_key) = sig::private_key(private) else {
        panic!("key")
    };
    let message = b"(request-target): post /inbox\nhost: 127.0.0.1\ndate: x\ndigest: y";
    let Ok(signature_b64) = sig::rsa_sign(&private_key, message) else {
        panic!("sign")
    };
    let verifier = VerifyingKey::<sha2::Sha256>::new(key);
    let raw = base64_decode(&signature_b64);
    let Ok(signature) = Signature::try_from(raw.as_slice()) else {
        panic!("signature")
    };
    let t = Instant::now();
    let mut verified = 0u64;
    while t.elapsed() < Duration::from_secs(2) {
        if verifier.verify(message, &signature).is_ok() {
            verified += 1;
        }
    }
    let raw_rate = verified as f64 / t.elapsed().as_secs_f64();
    println!(
        "inbox (server on one core): {accepted} signed activities accepted in {:.2} s = {rate:.0}/s | raw RSA-2048 verify on one core {raw_rate:.0}/s ({:.2}x)",
        elapsed.as_secs_f64(),
        rate / raw_rate
    );
    pin_self("0,1");
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .unwrap_or_default()
}

async fn receiver(count: Arc<AtomicU64>) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    let app = Router::new()
        .route(
            "/inbox/{n}",
            post(|State(c): State<Arc<AtomicU64>>| async move {
                c.fetch_add(1, Ordering::Relaxed);
                StatusCode::ACCEPTED
            }),
        )
        .with_state(count);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    port
}

async fn fanout_benchmark() {
    let a = TestServer::start_with(
        BIN,
        Options::default()
            .env("FERROTUBE_LOG__LEVEL", "warn")
            .env("FERROTUBE_TRANSCODING__ENABLED", "false"),
    )
    .await;
    let count = Arc::new(AtomicU64::new(0));
    let mut ports = Vec::new();
    for _ in 0..10 {
        ports.push(receiver(count.clone()).await);
    }
    // 1,000 remote followers of the server actor and of root's account, 100 per server, each
    // with an inbox of its own.
    let (pg, conn) = tokio_postgres::connect(
        &format!("host=127.0.0.1 port=5432 user=postgres dbname={}", a.db),
        tokio_postgres::NoTls,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(conn);
    for (i, port) in ports.iter().enumerate() {
        let sql = format!(
            "WITH srv AS (INSERT INTO servers (host) VALUES ('127.0.0.1:{port}') RETURNING id),
             a AS (INSERT INTO actors (actor_type, preferred_username, url, inbox_url, shared_inbox_url, server_id, public_key_pem, last_fetched_at)
                   SELECT 'Person', 'f{i}_' || g, 'http://127.0.0.1:{port}/users/f' || g, 'http://127.0.0.1:{port}/inbox/' || g,
                          'http://127.0.0.1:{port}/inbox/' || g, srv.id, 'unused', now()
                   FROM generate_series(1, 100) g, srv RETURNING id)
             INSERT INTO actor_follows (actor_id, target_actor_id, state)
             SELECT a.id, t.id, 'accepted' FROM a,
                    (SELECT id FROM actors WHERE server_id IS NULL AND preferred_username IN ('peertube', 'root')) t"
        );
        pg.batch_execute(&sql)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let pid = a.pid().unwrap_or(0);
    let token = a.root_token().await;
    let t = Instant::now();
    let (_, me) = send(a.client.get(a.api("/users/me")).bearer_auth(&token)).await;
    let _ = me;
    media::upload_ok(&a, &token, &media::tiny_video(), "Fan-out benchmark", &[]).await;
    // Create to the account's 1,000 followers, then an Announce by the server actor and one by
    // the channel to all involved followers: 3,000 deliveries.
    let mut first_thousand = None;
    let deadline = Instant::now() + Duration::from_secs(300);
    while count.load(Ordering::Relaxed) < 3000 && Instant::now() < deadline {
        if first_thousand.is_none() && count.load(Ordering::Relaxed) >= 1000 {
            first_thousand = Some(t.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let all = t.elapsed();
    println!(
        "fan-out: upload → 1,000 inboxes reached in {:.2} s; all 3,000 deliveries (Create + 2 Announces) in {:.2} s ({} received); sender peak RSS {} MiB",
        first_thousand.map(|d| d.as_secs_f64()).unwrap_or(f64::NAN),
        all.as_secs_f64(),
        count.load(Ordering::Relaxed),
        rss_peak_kib(pid) / 1024
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    inbox_benchmark().await;
    fanout_benchmark().await;
}
