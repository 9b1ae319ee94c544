//! Every ActivityPub and discovery document in shared/reference (PeerTube's and Mastodon's
//! real JSON) parses into ferrotube's protocol types.

use ferrotube_federation::protocol::actor::ActorObject;
use ferrotube_federation::protocol::nodeinfo::{NodeInfo, NodeInfoLinks};
use ferrotube_federation::protocol::webfinger::Webfinger;
use ferrotube_federation::video::remote;
use ferrotube_test_support::reference;
use serde_json::Value;

/// The JSON documents of a reference folder, without the capture tool's index.
fn json_files(folder: &str) -> Vec<(String, Value)> {
    reference::json_files(folder)
        .into_iter()
        .filter(|(name, _)| name != "capture-index.json")
        .collect()
}

/// Checks one AP document by its type, recursing into activities and collections.
fn check(name: &str, v: &Value, counts: &mut std::collections::BTreeMap<String, usize>) {
    let kind = v["type"].as_str().unwrap_or("");
    *counts.entry(kind.to_string()).or_default() += 1;
    match kind {
        "Video" => {
            let parsed = remote::parse(v);
            assert!(parsed.is_ok(), "{name}: {parsed:?}");
            if let Ok(video) = parsed {
                // PeerTube's own videos carry files with infohashes from their magnets.
                assert!(video.files.iter().all(|f| f.info_hash.is_some()), "{name}");
            }
        }
        "Person" | "Group" | "Application" | "Service" | "Organization" => {
            let parsed = serde_json::from_value::<ActorObject>(v.clone());
            assert!(parsed.is_ok(), "{name}: {parsed:?}");
        }
        "OrderedCollection" | "OrderedCollectionPage" | "Collection" | "CollectionPage" => {
            assert!(v["id"].is_string() && v["totalItems"].is_number(), "{name}");
            for item in v["orderedItems"].as_array().into_iter().flatten() {
                if item.is_object() {
                    check(name, item, counts);
                } else {
                    assert!(
                        item.as_str().is_some_and(|s| s.starts_with("http")),
                        "{name}: {item}"
                    );
                }
            }
        }
        "Create" | "Update" | "Announce" | "Delete" | "Follow" | "Accept" | "Undo" | "Like"
        | "Dislike" => {
            assert!(
                v["id"].is_string() && v["actor"].is_string(),
                "{name}: activity without id/actor"
            );
            for audience in ["to", "cc"] {
                if let Some(a) = v.get(audience) {
                    assert!(
                        a.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
                        "{name}: {audience}"
                    );
                }
            }
            match &v["object"] {
                Value::String(s) => assert!(s.starts_with("http"), "{name}"),
                o @ Value::Object(_) => check(name, o, counts),
                other => panic!("{name}: object {other}"),
            }
        }
        "Note" | "Tombstone" => {
            assert!(v["id"].is_string(), "{name}");
            assert!(v["inReplyTo"].is_string() || kind == "Tombstone", "{name}");
        }
        other => panic!("{name}: unexpected type {other:?}"),
    }
}

#[test]
fn every_reference_document_parses() {
    let mut counts = std::collections::BTreeMap::new();
    for (name, v) in json_files("live-captures") {
        if name.starts_with("api-v1-")
            || name.starts_with("oauth-")
            || name.starts_with("torrents-")
            || name.starts_with("magnet-")
            || name.starts_with("upload-")
            || name.starts_with("hls-")
        {
            continue; // REST, OAuth and file captures are compared by the REST tests.
        }
        if name.starts_with("webfinger-") {
            if v.get("subject").is_some() {
                let w = serde_json::from_value::<Webfinger>(v.clone());
                assert!(w.is_ok_and(|w| w.actor_url().is_some()), "{name}");
            } else {
                assert_eq!(v["type"], "about:blank", "{name}");
            }
            continue;
        }
        if name == "well-known-nodeinfo.json" {
            assert!(serde_json::from_value::<NodeInfoLinks>(v).is_ok(), "{name}");
            continue;
        }
        if name.starts_with("nodeinfo-") {
            assert!(serde_json::from_value::<NodeInfo>(v).is_ok(), "{name}");
            continue;
        }
        check(&name, &v, &mut counts);
    }
    for sub in ["ap-fixtures/mastodon", "ap-fixtures/peertube"] {
        for (name, v) in json_files(sub) {
            if v.get("type").is_some() {
                check(&name, &v, &mut counts);
            } else if let Some(key) = v["publicKey"].as_str() {
                assert!(key.starts_with("-----BEGIN PUBLIC KEY-----"), "{name}");
            } else {
                // HTTP request dumps: headers and a body.
                assert!(v["headers"]["signature"].is_string(), "{name}");
                assert!(v["body"].is_object() || v["body"].is_string(), "{name}");
            }
        }
    }
    for kind in [
        "Video",
        "Person",
        "Group",
        "Application",
        "Create",
        "Announce",
        "Note",
    ] {
        assert!(
            counts.get(kind).is_some_and(|n| *n > 0),
            "no {kind} seen: {counts:?}"
        );
    }
}

fn percent_decode(v: &str) -> String {
    let b = v.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 3 <= b.len() {
            out.push(u8::from_str_radix(&v[i + 1..i + 3], 16).unwrap_or(b'?'));
            i += 3;
        } else {
            out.push(if b[i] == b'+' { b' ' } else { b[i] });
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Our magnets are PeerTube's, character for character (`live-captures/magnet-uris.json`).
#[test]
fn magnets_match_peertube() {
    use ferrotube_federation::video::magnet::{MagnetSpec, magnet_uri};
    let Value::Object(captures) = reference::load("live-captures/magnet-uris.json") else {
        panic!("magnet-uris.json is not an object");
    };
    for (name, captured) in captures {
        let captured = captured.as_str().unwrap_or_default();
        let params: Vec<(String, String)> = captured
            .trim_start_matches("magnet:?")
            .split('&')
            .filter_map(|p| {
                p.split_once('=')
                    .map(|(k, v)| (k.to_string(), percent_decode(v)))
            })
            .collect();
        let one = |k: &str| {
            params
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let (torrent_url, xt, dn) = (one("xs"), one("xt"), one("dn"));
        let web_seeds = vec![one("ws")];
        let spec = MagnetSpec {
            torrent_url: &torrent_url,
            info_hash_hex: xt.trim_start_matches("urn:btih:"),
            video_name: &dn,
            http_announce: "http://127.0.0.1:9001/tracker/announce",
            ws_announce: "ws://127.0.0.1:9001/tracker/socket",
            web_seeds: &web_seeds,
        };
        assert_eq!(magnet_uri(&spec), captured, "{name}");
        // Non-public videos: no WebSeed.
        let private = magnet_uri(&MagnetSpec {
            web_seeds: &[],
            ..spec
        });
        assert_eq!(
            Some(private.as_str()),
            captured.split("&ws=").next(),
            "{name}"
        );
    }
}
