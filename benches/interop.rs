//! Propagation times between ferrotube and real PeerTube 6.3 instances, next to PeerTube →
//! PeerTube in the same run (`cargo bench --bench interop`): a ferrotube and two PeerTubes on
//! 127.0.0.1 follow each other, then each step (follow accepted, video listed, rename, comment,
//! reply, like, subscription, delete) is timed from the acting side's API call to the other side's
//! API showing it, for PeerTube → PeerTube, ferrotube → PeerTube and PeerTube → ferrotube.
//! Each step runs `ROUNDS` times; the table shows the median and the range.

use std::time::{Duration, Instant};

use ferrotube_test_support::media;
use ferrotube_test_support::peertube::PeerTube;
use ferrotube_test_support::{Instance, Options, TestServer, send};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_ferrotube");
const ROUNDS: usize = 3;

/// One round's times, by step.
type Round = Vec<(&'static str, Duration)>;

async fn until<F, Fut>(what: &str, mut check: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !check().await {
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "timed out: {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    started.elapsed()
}

async fn get(s: &Instance, path: &str) -> (u16, Value) {
    send(s.client.get(s.api(path))).await
}

/// One acting server with its tokens, as the step functions need it.
struct Side<'a> {
    s: &'a Instance,
    root: String,
    user: String,
    /// Waits for a local upload to be published (PeerTube transcodes first).
    peertube: Option<&'a PeerTube>,
}

impl Side<'_> {
    async fn publish(&self, name: &str) -> String {
        let uuid = media::upload_ok(self.s, &self.root, &media::tiny_video(), name, &[]).await;
        match self.peertube {
            Some(pt) => {
                pt.wait_published(&self.root, &uuid).await;
            }
            None => {
                media::wait_for(self.s, &self.root, &uuid, media::published_with_torrents).await;
            }
        }
        uuid
    }
}

async fn listed(s: &Instance, uuid: &str) -> bool {
    let (_, list) = get(s, "/videos?isLocal=false&count=100&sort=-publishedAt").await;
    list["data"]
        .as_array()
        .is_some_and(|d| d.iter().any(|v| v["uuid"] == uuid))
}

async fn texts(s: &Instance, uuid: &str) -> String {
    let (_, threads) = get(s, &format!("/videos/{uuid}/comment-threads?count=100")).await;
    let mut all = threads.to_string();
    for t in threads["data"].as_array().into_iter().flatten() {
        let id = t["id"].as_i64().unwrap_or_default();
        let (_, tree) = get(s, &format!("/videos/{uuid}/comment-threads/{id}")).await;
        all.push_str(&tree.to_string());
    }
    all
}

async fn post(s: &Instance, token: &str, path: &str, body: Value) -> Value {
    let (status, v) = send(s.client.post(s.api(path)).bearer_auth(token).json(&body)).await;
    assert!((200..300).contains(&status), "POST {path}: {status} {v}");
    v
}

/// Times every step with `a` acting and `b` watching; both already follow each other.
async fn steps(a: &Side<'_>, b: &Side<'_>, round: usize) -> Round {
    let mut out = Vec::new();
    // Video listed: from the moment it is published on A.
    let uuid = a.publish(&format!("Timed video {round}")).await;
    out.push(("video listed", until("listed", || listed(b.s, &uuid)).await));
    // Rename.
    let name = format!("Timed rename {round}");
    let (status, _) = send(
        a.s.client
            .put(a.s.api(&format!("/videos/{uuid}")))
            .bearer_auth(&a.root)
            .json(&json!({ "name": name })),
    )
    .await;
    assert_eq!(status, 204);
    let renamed = || async {
        let (_, v) = get(b.s, &format!("/videos/{uuid}")).await;
        v["name"] == name
    };
    out.push(("rename", until("rename", renamed).await));
    // Comment: A's user on a video of B; reply: A's owner on its own video, to B's user.
    let theirs = b.publish(&format!("Commented {round}")).await;
    until("B's video on A", || listed(a.s, &theirs)).await;
    let text = format!("Timed comment {round}");
    post(
        a.s,
        &a.user,
        &format!("/videos/{theirs}/comment-threads"),
        json!({ "text": text }),
    )
    .await;
    out.push((
        "comment",
        until("comment", || async {
            texts(b.s, &theirs).await.contains(&text)
        })
        .await,
    ));
    let question = format!("Question {round}");
    post(
        b.s,
        &b.user,
        &format!("/videos/{uuid}/comment-threads"),
        json!({ "text": question }),
    )
    .await;
    let id = {
        let started = Instant::now();
        loop {
            let (_, threads) = get(a.s, &format!("/videos/{uuid}/comment-threads")).await;
            let found = threads["data"].as_array().and_then(|d| {
                d.iter()
                    .find(|t| t["text"].as_str().is_some_and(|s| s.contains(&question)))
                    .and_then(|t| t["id"].as_i64())
            });
            if let Some(id) = found {
                break id;
            }
            assert!(started.elapsed() < Duration::from_secs(90), "question");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    let answer = format!("Answer {round}");
    post(
        a.s,
        &a.root,
        &format!("/videos/{uuid}/comments/{id}"),
        json!({ "text": answer }),
    )
    .await;
    out.push((
        "reply",
        until("reply", || async {
            texts(b.s, &uuid).await.contains(&answer)
        })
        .await,
    ));
    // Like of B's video by A's user.
    let (status, _) = send(
        a.s.client
            .put(a.s.api(&format!("/videos/{theirs}/rate")))
            .bearer_auth(&a.user)
            .json(&json!({ "rating": "like" })),
    )
    .await;
    assert_eq!(status, 204);
    let liked = || async {
        let (_, v) = get(b.s, &format!("/videos/{theirs}")).await;
        v["likes"].as_i64().unwrap_or(0) >= 1
    };
    out.push(("like", until("like", liked).await));
    // Subscription of A's user to a new channel of B: counted on B.
    let channel = format!(
        "timed_channel_{round}_{}",
        b.s.host.replace([':', '.'], "_")
    );
    post(
        b.s,
        &b.root,
        "/video-channels",
        json!({ "name": channel, "displayName": "Timed channel" }),
    )
    .await;
    let handle = format!("{channel}@{}", b.s.host);
    post(
        a.s,
        &a.user,
        "/users/me/subscriptions",
        json!({ "uri": handle }),
    )
    .await;
    let path = format!("/video-channels/{channel}");
    let subscribed = || async {
        let (_, c) = get(b.s, &path).await;
        c["followersCount"].as_i64().unwrap_or(0) >= 1
    };
    out.push(("subscription", until("subscription", subscribed).await));
    // Delete.
    let (status, _) = send(
        a.s.client
            .delete(a.s.api(&format!("/videos/{uuid}")))
            .bearer_auth(&a.root),
    )
    .await;
    assert_eq!(status, 204);
    let gone = || async { get(b.s, &format!("/videos/{uuid}")).await.0 == 404 };
    out.push(("delete", until("delete", gone).await));
    out
}

/// `a` follows `b`'s server: time until accepted on `a`.
async fn follow(a: &Instance, b: &Instance) -> Duration {
    let token = a.root_token().await;
    post(a, &token, "/server/following", json!({ "hosts": [b.host] })).await;
    let host = b.host.clone();
    until("follow", || async {
        let (_, list) = send(
            a.client
                .get(a.api("/server/following?count=100"))
                .bearer_auth(&token),
        )
        .await;
        list["data"].as_array().is_some_and(|d| {
            d.iter()
                .any(|f| f["following"]["host"] == host && f["state"] == "accepted")
        })
    })
    .await
}

fn median(mut v: Vec<Duration>) -> (f64, f64, f64) {
    v.sort();
    let s = |d: &Duration| d.as_secs_f64();
    (
        s(&v[v.len() / 2]),
        v.first().map(s).unwrap_or(0.0),
        v.last().map(s).unwrap_or(0.0),
    )
}

#[tokio::main]
async fn main() {
    let options = Options::default()
        .env("FERROTUBE_TRANSCODING__ENABLED", "false")
        .env("FERROTUBE_JOBS__BACKOFF_BASE", "1 second");
    let (ft, pt1, pt2) = tokio::join!(
        TestServer::start_with(BIN, options),
        PeerTube::start(None),
        PeerTube::start(None)
    );
    let mut follows = Vec::new();
    follows.push(("PeerTube → PeerTube", follow(&pt1, &pt2).await));
    follow(&pt2, &pt1).await;
    follows.push(("ferrotube → PeerTube", follow(&ft, &pt1).await));
    follows.push(("PeerTube → ferrotube", follow(&pt1, &ft).await));
    let tokens = async |i: &Instance, user: &str| {
        let root = i.root_token().await;
        (root, i.create_user(user, "timed-password-1").await)
    };
    let (r1, u1) = tokens(&pt1, "timer1").await;
    let (r2, u2) = tokens(&pt2, "timer2").await;
    let (rf, uf) = tokens(&ft, "timerf").await;
    let s_pt1 = Side {
        s: &pt1,
        root: r1,
        user: u1,
        peertube: Some(&pt1),
    };
    let s_pt2 = Side {
        s: &pt2,
        root: r2,
        user: u2,
        peertube: Some(&pt2),
    };
    let s_ft = Side {
        s: &ft,
        root: rf,
        user: uf,
        peertube: None,
    };
    let pairs: [(&str, &Side, &Side); 3] = [
        ("PeerTube → PeerTube", &s_pt1, &s_pt2),
        ("ferrotube → PeerTube", &s_ft, &s_pt1),
        ("PeerTube → ferrotube", &s_pt1, &s_ft),
    ];
    let mut table: Vec<(&str, Vec<Round>)> = Vec::new();
    for (label, a, b) in pairs {
        let mut rounds = Vec::new();
        for round in 0..ROUNDS {
            rounds.push(steps(a, b, round).await);
        }
        table.push((label, rounds));
    }
    println!("| step | PeerTube → PeerTube | ferrotube → PeerTube | PeerTube → ferrotube |");
    println!("|---|---|---|---|");
    let cell = |d: (f64, f64, f64)| format!("{:.2} s ({:.2}–{:.2})", d.0, d.1, d.2);
    let f: Vec<String> = follows
        .iter()
        .map(|(_, d)| format!("{:.2} s", d.as_secs_f64()))
        .collect();
    println!("| follow accepted | {} | {} | {} |", f[0], f[1], f[2]);
    let names: Vec<&str> = table[0].1[0].iter().map(|(n, _)| *n).collect();
    for (i, name) in names.iter().enumerate() {
        let cols: Vec<String> = table
            .iter()
            .map(|(_, rounds)| cell(median(rounds.iter().map(|r| r[i].1).collect())))
            .collect();
        println!("| {name} | {} | {} | {} |", cols[0], cols[1], cols[2]);
    }
}
