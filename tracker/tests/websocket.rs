//! The WebTorrent tracker over a real socket: announces, counts, relays, scrapes, expiry and
//! PeerTube's refusal rules.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{KNOWN, OTHER, bin, closed_within, connect, id, recv, recv_within, send, start};
use ferrotube_tracker::{TrackerConfig, TrackerLimits};
use serde_json::{Value, json};

const QUIET: Duration = Duration::from_millis(300);

fn announce(info_hash: &[u8; 20], peer: &[u8; 20], left: u64, event: &str, offers: Value) -> Value {
    json!({
        "action": "announce",
        "info_hash": bin(info_hash),
        "peer_id": bin(peer),
        "uploaded": 0,
        "downloaded": 0,
        "left": left,
        "event": event,
        "numwant": 10,
        "offers": offers,
    })
}

fn offer(n: u8) -> Value {
    json!({
        "offer": {"type": "offer", "sdp": format!("v=0\r\no=- {n} 2 IN IP4 127.0.0.1\r\na=\"quoted\" é\r\n")},
        "offer_id": bin(&id(100 + n)),
    })
}

async fn scrape_counts(ws: &mut common::Ws, info_hash: &[u8; 20]) -> (u64, u64) {
    send(ws, json!({"action": "scrape", "info_hash": bin(info_hash)})).await;
    let r = recv(ws).await;
    assert_eq!(r["action"], "scrape");
    let file = &r["files"][bin(info_hash)];
    (
        file["complete"].as_u64().unwrap_or(0),
        file["incomplete"].as_u64().unwrap_or(0),
    )
}

#[tokio::test]
async fn peers_see_each_other_and_offers_and_answers_are_relayed_intact() {
    for private in [true, false] {
        let server = start(TrackerConfig {
            private,
            ..Default::default()
        })
        .await;
        let mut a = connect(&server, "198.51.100.1").await.unwrap();
        let mut b = connect(&server, "198.51.100.2").await.unwrap();

        send(
            &mut a,
            announce(&KNOWN, &id(1), 100, "started", json!([offer(1)])),
        )
        .await;
        let r = recv(&mut a).await;
        assert_eq!(r["action"], "announce");
        assert_eq!(r["interval"], 120);
        assert_eq!(r["info_hash"], bin(&KNOWN));
        assert_eq!(
            (r["complete"].as_u64(), r["incomplete"].as_u64()),
            (Some(0), Some(1))
        );

        let offers = json!([offer(2), offer(3)]);
        send(
            &mut b,
            announce(&KNOWN, &id(2), 0, "started", offers.clone()),
        )
        .await;
        let r = recv(&mut b).await;
        assert_eq!(
            (r["complete"].as_u64(), r["incomplete"].as_u64()),
            (Some(1), Some(1))
        );

        // A receives one of B's offers, byte for byte.
        let relayed = recv(&mut a).await;
        assert_eq!(relayed["action"], "announce");
        assert_eq!(relayed["peer_id"], bin(&id(2)));
        assert_eq!(relayed["info_hash"], bin(&KNOWN));
        assert_eq!(relayed["offer"], offers[0]["offer"]);
        assert_eq!(relayed["offer_id"], offers[0]["offer_id"]);
        assert!(
            recv_within(&mut a, QUIET).await.is_none(),
            "one offer per peer"
        );

        // A answers; B gets the answer, A gets nothing back.
        let answer = json!({"type": "answer", "sdp": "v=0\r\nanswer\r\n"});
        send(
            &mut a,
            json!({
                "action": "announce",
                "info_hash": bin(&KNOWN),
                "peer_id": bin(&id(1)),
                "to_peer_id": bin(&id(2)),
                "answer": answer,
                "offer_id": relayed["offer_id"],
            }),
        )
        .await;
        let got = recv(&mut b).await;
        assert_eq!(got["answer"], answer);
        assert_eq!(got["offer_id"], offers[0]["offer_id"]);
        assert_eq!(got["peer_id"], bin(&id(1)));
        assert_eq!(got["info_hash"], bin(&KNOWN));
        assert!(recv_within(&mut a, QUIET).await.is_none());

        // Scrape one and many.
        assert_eq!(scrape_counts(&mut a, &KNOWN).await, (1, 1));
        send(
            &mut a,
            json!({"action": "scrape", "info_hash": [bin(&KNOWN), bin(&OTHER)]}),
        )
        .await;
        let r = recv(&mut a).await;
        assert_eq!(r["files"][bin(&KNOWN)]["downloaded"], 1);
        assert_eq!(r["files"][bin(&OTHER)]["complete"], 0);
        assert_eq!(r["flags"]["min_request_interval"], 600);

        // A completes: it is counted as a seeder.
        send(&mut a, announce(&KNOWN, &id(1), 0, "completed", json!([]))).await;
        let r = recv(&mut a).await;
        assert_eq!(
            (r["complete"].as_u64(), r["incomplete"].as_u64()),
            (Some(2), Some(0))
        );

        // B stops: it leaves the swarm.
        send(&mut b, announce(&KNOWN, &id(2), 0, "stopped", json!([]))).await;
        let r = recv(&mut b).await;
        assert_eq!(
            (r["complete"].as_u64(), r["incomplete"].as_u64()),
            (Some(1), Some(0))
        );

        // A disconnects: it leaves too.
        drop(a);
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(scrape_counts(&mut b, &KNOWN).await, (0, 0));
        assert_eq!(server.tracker.stats().peers, 0);
    }
}

#[tokio::test]
async fn expired_peers_go() {
    let server = start(TrackerConfig {
        limits: TrackerLimits {
            peer_ttl: Duration::from_secs(1),
            sweep_interval: Duration::from_millis(100),
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    let mut a = connect(&server, "198.51.100.1").await.unwrap();
    send(&mut a, announce(&KNOWN, &id(1), 5, "started", json!([]))).await;
    recv(&mut a).await;
    assert_eq!(scrape_counts(&mut a, &KNOWN).await, (0, 1));
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(scrape_counts(&mut a, &KNOWN).await, (0, 0));
    assert_eq!(server.tracker.stats().swarms, 0);
}

#[tokio::test]
async fn unknown_infohash_is_refused_and_the_ip_blocked() {
    let server = start(TrackerConfig {
        limits: TrackerLimits {
            block_duration: Duration::from_secs(2),
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    let mut bad = connect(&server, "203.0.113.7").await.unwrap();
    send(
        &mut bad,
        announce(&OTHER, &id(1), 5, "started", json!([offer(1)])),
    )
    .await;
    let r = recv(&mut bad).await;
    assert_eq!(
        r["failure reason"],
        format!("Unknown infoHash {}", hex::encode(OTHER))
    );
    assert_eq!(r["info_hash"], bin(&OTHER));
    assert!(closed_within(&mut bad, Duration::from_secs(2)).await);

    // The IP is refused at the upgrade; others are not.
    assert_eq!(
        connect(&server, "203.0.113.7").await.err().as_deref(),
        Some("403")
    );
    let mut good = connect(&server, "203.0.113.8").await.unwrap();
    assert_eq!(scrape_counts(&mut good, &OTHER).await, (0, 0));

    // Known once the registry learns of it; the block lifts after its duration.
    server.registry.insert(ferrotube_tracker::InfoHash(OTHER));
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let mut again = connect(&server, "203.0.113.7").await.unwrap();
    send(
        &mut again,
        announce(&OTHER, &id(1), 5, "started", json!([])),
    )
    .await;
    assert_eq!(recv(&mut again).await["incomplete"], 1);
}

#[tokio::test]
async fn disabled_and_rate_limited_trackers_refuse() {
    let server = start(TrackerConfig {
        enabled: false,
        ..Default::default()
    })
    .await;
    let mut ws = connect(&server, "198.51.100.1").await.unwrap();
    send(&mut ws, announce(&KNOWN, &id(1), 5, "started", json!([]))).await;
    assert_eq!(
        recv(&mut ws).await["failure reason"],
        "Tracker is disabled on this instance."
    );

    let server = start(TrackerConfig {
        reject_too_many_announces: true,
        ..Default::default()
    })
    .await;
    let mut ws = connect(&server, "198.51.100.1").await.unwrap();
    for _ in 0..15 {
        send(&mut ws, announce(&KNOWN, &id(1), 5, "update", json!([]))).await;
        assert!(recv(&mut ws).await.get("failure reason").is_none());
    }
    send(&mut ws, announce(&KNOWN, &id(1), 5, "update", json!([]))).await;
    assert!(recv(&mut ws).await["failure reason"].is_string());
}

#[tokio::test]
async fn abuse_limits_hold() {
    let server = start(TrackerConfig {
        private: false,
        limits: TrackerLimits {
            max_connections_per_ip: 2,
            max_message_bytes: 4096,
            max_offers_per_announce: 2,
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    let _a = connect(&server, "198.51.100.1").await.unwrap();
    let mut b = connect(&server, "198.51.100.1").await.unwrap();
    assert_eq!(
        connect(&server, "198.51.100.1").await.err().as_deref(),
        Some("429")
    );

    // Three listeners, one announcer with five offers: only two are relayed.
    let mut listeners = Vec::new();
    for n in 0..3u8 {
        let mut ws = connect(&server, &format!("198.51.100.{}", 10 + n))
            .await
            .unwrap();
        send(
            &mut ws,
            announce(&KNOWN, &id(10 + n), 5, "started", json!([])),
        )
        .await;
        recv(&mut ws).await;
        listeners.push(ws);
    }
    let offers: Vec<Value> = (0..5).map(offer).collect();
    send(
        &mut b,
        announce(&KNOWN, &id(1), 5, "started", json!(offers)),
    )
    .await;
    recv(&mut b).await;
    let mut relayed = 0;
    for ws in &mut listeners {
        if recv_within(ws, QUIET).await.is_some() {
            relayed += 1;
        }
    }
    assert_eq!(relayed, 2);

    // Garbage gets a failure; an oversized message closes the connection.
    send(&mut b, json!("not a request")).await;
    assert!(recv(&mut b).await["failure reason"].is_string());
    send(
        &mut b,
        json!({"action": "announce", "pad": "x".repeat(5000)}),
    )
    .await;
    assert!(closed_within(&mut b, Duration::from_secs(2)).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_readers_lose_relays_and_block_nobody() {
    let server = start(TrackerConfig::default()).await;
    // A listener that never reads again.
    let mut listener = connect(&server, "198.51.100.1").await.unwrap();
    send(
        &mut listener,
        announce(&KNOWN, &id(1), 5, "started", json!([])),
    )
    .await;
    recv(&mut listener).await;
    // A flooder that never reads either: ~10 MB of offers for the listener.
    let mut flooder = connect(&server, "198.51.100.2").await.unwrap();
    let big = json!([{
        "offer": {"type": "offer", "sdp": "x".repeat(8000)},
        "offer_id": bin(&id(200)),
    }]);
    for _ in 0..1200 {
        send(
            &mut flooder,
            announce(&KNOWN, &id(2), 5, "update", big.clone()),
        )
        .await;
    }
    // Everyone else is still served at once.
    let mut other = connect(&server, "198.51.100.3").await.unwrap();
    send(
        &mut other,
        announce(&KNOWN, &id(3), 5, "started", json!([])),
    )
    .await;
    let r = recv_within(&mut other, Duration::from_secs(2))
        .await
        .unwrap();
    assert_eq!(r["incomplete"], 3);
    let stats = server.tracker.stats();
    // The listener's outbox (256 KiB) and socket buffers filled; the rest was dropped.
    assert!(stats.relays_dropped > 0, "{stats:?}");
    drop((listener, flooder));
}
