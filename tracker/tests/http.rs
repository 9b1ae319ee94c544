//! The HTTP BitTorrent tracker over a real socket, answers decoded with serde_bencode.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;

use common::{KNOWN, OTHER, Server, id, start};
use ferrotube_tracker::TrackerConfig;
use serde_bencode::value::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn pct(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("%{b:02X}")).collect()
}

/// A raw HTTP/1.1 GET; returns the header block and the decoded body.
async fn get(server: &Server, target: &str, client_ip: &str) -> (String, Value) {
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let request = format!(
        "GET {target} HTTP/1.1\r\nHost: tracker\r\nX-Forwarded-For: {client_ip}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8(raw[..split].to_vec())
        .unwrap()
        .to_lowercase();
    let body = &raw[split + 4..];
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(!head.contains("chunked"), "{head}");
    assert!(
        head.contains(&format!("content-length: {}", body.len())),
        "{head}"
    );
    (head, serde_bencode::from_bytes(body).unwrap())
}

fn announce_url(
    info_hash: &[u8; 20],
    peer: &[u8; 20],
    port: u16,
    left: u64,
    extra: &str,
) -> String {
    format!(
        "/tracker/announce?info_hash={}&peer_id={}&port={port}&uploaded=0&downloaded=0&left={left}{extra}",
        pct(info_hash),
        pct(peer)
    )
}

fn dict(v: &Value) -> &HashMap<Vec<u8>, Value> {
    match v {
        Value::Dict(d) => d,
        other => panic!("not a dict: {other:?}"),
    }
}

fn field<'a>(v: &'a Value, key: &str) -> &'a Value {
    dict(v)
        .get(key.as_bytes())
        .unwrap_or_else(|| panic!("no {key} in {v:?}"))
}

fn int(v: &Value, key: &str) -> i64 {
    match field(v, key) {
        Value::Int(i) => *i,
        other => panic!("{key}: {other:?}"),
    }
}

fn bytes<'a>(v: &'a Value, key: &str) -> &'a [u8] {
    match field(v, key) {
        Value::Bytes(b) => b,
        other => panic!("{key}: {other:?}"),
    }
}

fn failure(v: &Value) -> String {
    String::from_utf8(bytes(v, "failure reason").to_vec()).unwrap()
}

#[tokio::test]
async fn announces_return_compact_and_full_peer_lists_for_ipv4_and_ipv6() {
    for private in [true, false] {
        let server = start(TrackerConfig {
            private,
            ..Default::default()
        })
        .await;
        let (_, r) = get(
            &server,
            &announce_url(&KNOWN, &id(1), 6881, 10, "&event=started&compact=1"),
            "198.51.100.1",
        )
        .await;
        assert_eq!(int(&r, "interval"), 600);
        assert_eq!((int(&r, "complete"), int(&r, "incomplete")), (0, 1));
        assert_eq!(bytes(&r, "peers"), b"");
        assert_eq!(bytes(&r, "peers6"), b"");

        let (_, r) = get(
            &server,
            &announce_url(&KNOWN, &id(2), 51413, 0, "&event=started&compact=1"),
            "2001:db8::2",
        )
        .await;
        assert_eq!((int(&r, "complete"), int(&r, "incomplete")), (1, 1));
        assert_eq!(bytes(&r, "peers"), &[198, 51, 100, 1, 0x1A, 0xE1]);
        assert_eq!(bytes(&r, "peers6"), b"");

        let (_, r) = get(
            &server,
            &announce_url(&KNOWN, &id(3), 7000, 5, "&compact=1&numwant=10"),
            "198.51.100.3",
        )
        .await;
        assert_eq!(bytes(&r, "peers"), &[198, 51, 100, 1, 0x1A, 0xE1]);
        let mut v6 = "2001:db8::2"
            .parse::<std::net::Ipv6Addr>()
            .unwrap()
            .octets()
            .to_vec();
        v6.extend_from_slice(&51413u16.to_be_bytes());
        assert_eq!(bytes(&r, "peers6"), v6.as_slice());

        // Without compact: a list of dictionaries, IPv6 included.
        let (_, r) = get(
            &server,
            &announce_url(&KNOWN, &id(4), 7001, 5, ""),
            "198.51.100.4",
        )
        .await;
        let Value::List(peers) = field(&r, "peers") else {
            panic!("peers")
        };
        assert_eq!(peers.len(), 3);
        let mut seen: Vec<(String, i64, Vec<u8>)> = peers
            .iter()
            .map(|p| {
                (
                    String::from_utf8(bytes(p, "ip").to_vec()).unwrap(),
                    int(p, "port"),
                    bytes(p, "peer id").to_vec(),
                )
            })
            .collect();
        seen.sort();
        assert_eq!(
            seen,
            vec![
                ("198.51.100.1".into(), 6881, id(1).to_vec()),
                ("198.51.100.3".into(), 7000, id(3).to_vec()),
                ("2001:db8::2".into(), 51413, id(2).to_vec()),
            ]
        );

        // numwant caps the list; stopped removes the peer.
        let (_, r) = get(
            &server,
            &announce_url(&KNOWN, &id(4), 7001, 5, "&compact=1&numwant=1"),
            "198.51.100.4",
        )
        .await;
        assert_eq!(
            bytes(&r, "peers").len() / 6 + bytes(&r, "peers6").len() / 18,
            1
        );
        let (_, r) = get(
            &server,
            &announce_url(&KNOWN, &id(4), 7001, 5, "&event=stopped"),
            "198.51.100.4",
        )
        .await;
        assert_eq!((int(&r, "complete"), int(&r, "incomplete")), (1, 2));

        // Scrape, one and several infohashes, keyed by raw infohash.
        let target = format!(
            "/tracker/scrape?info_hash={}&info_hash={}",
            pct(&OTHER),
            pct(&KNOWN)
        );
        let (_, r) = get(&server, &target, "198.51.100.9").await;
        let files = field(&r, "files");
        let file = |h: &[u8; 20]| dict(files).get(h.as_slice()).cloned().unwrap();
        let k = file(&KNOWN);
        assert_eq!(
            (
                int(&k, "complete"),
                int(&k, "incomplete"),
                int(&k, "downloaded")
            ),
            (1, 2, 1)
        );
        let o = file(&OTHER);
        assert_eq!((int(&o, "complete"), int(&o, "incomplete")), (0, 0));
        assert_eq!(int(field(&r, "flags"), "min_request_interval"), 600);

        // Unknown infohashes only matter in private mode; HTTP clients are never blocked.
        let (_, r) = get(
            &server,
            &announce_url(&OTHER, &id(5), 7002, 5, ""),
            "198.51.100.5",
        )
        .await;
        if private {
            assert_eq!(
                failure(&r),
                format!("Unknown infoHash {}", hex::encode(OTHER))
            );
            let (_, r) = get(
                &server,
                &announce_url(&KNOWN, &id(5), 7002, 5, ""),
                "198.51.100.5",
            )
            .await;
            assert_eq!(int(&r, "complete"), 1);
        } else {
            assert_eq!(int(&r, "incomplete"), 1);
        }
    }
}

#[tokio::test]
async fn bad_requests_and_disabled_tracker_get_failure_reasons() {
    let server = start(TrackerConfig::default()).await;
    let (_, r) = get(&server, "/tracker/announce?info_hash=abc", "198.51.100.1").await;
    assert_eq!(failure(&r), "invalid info_hash");
    let url = format!(
        "/tracker/announce?info_hash={}&peer_id={}",
        pct(&KNOWN),
        pct(&id(1))
    );
    let (_, r) = get(&server, &url, "198.51.100.1").await;
    assert_eq!(failure(&r), "invalid port");

    let server = start(TrackerConfig {
        enabled: false,
        ..Default::default()
    })
    .await;
    let (_, r) = get(
        &server,
        &announce_url(&KNOWN, &id(1), 6881, 0, ""),
        "198.51.100.1",
    )
    .await;
    assert_eq!(failure(&r), "Tracker is disabled on this instance.");
    let (_, r) = get(
        &server,
        &format!("/tracker/scrape?info_hash={}", pct(&KNOWN)),
        "198.51.100.1",
    )
    .await;
    assert_eq!(failure(&r), "Tracker is disabled on this instance.");
}
