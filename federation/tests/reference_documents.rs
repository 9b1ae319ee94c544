//! Every ActivityPub and discovery document in shared/reference (PeerTube's and Mastodon's
//! real JSON) parses into ferrotube's protocol types, and PeerTube's serialise back unchanged.

use ferrotube_federation::inbox::activity::InboxActivity;
use ferrotube_federation::protocol::actor::ActorObject;
use ferrotube_federation::protocol::collection::{OrderedCollection, OrderedCollectionPage};
use ferrotube_federation::protocol::nodeinfo::{NodeInfo, NodeInfoLinks};
use ferrotube_federation::protocol::note::NoteObject;
use ferrotube_federation::protocol::tombstone::Tombstone;
use ferrotube_federation::protocol::video::VideoObject;
use ferrotube_federation::protocol::webfinger::Webfinger;
use ferrotube_federation::video::remote::RemoteVideo;
use ferrotube_test_support::reference;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The JSON documents of a reference folder, without the capture tool's index.
fn json_files(folder: &str) -> Vec<(String, Value)> {
    reference::json_files(folder)
        .into_iter()
        .filter(|(name, _)| name != "capture-index.json")
        .collect()
}

/// A collection page item: an actor URL (followers) or an activity (outbox).
#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
enum Item {
    Url(String),
    Activity(Box<InboxActivity>),
}

/// Any document PeerTube serves, typed.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Document {
    Activity(Box<InboxActivity>),
    Video(Box<VideoObject>),
    Actor(Box<ActorObject>),
    Note(Box<NoteObject>),
    Tombstone(Tombstone),
    Collection(OrderedCollection),
    Page(OrderedCollectionPage<Item>),
}

fn parse<T: serde::de::DeserializeOwned>(name: &str, v: &Value) -> T {
    match serde_json::from_value(v.clone()) {
        Ok(t) => t,
        Err(e) => panic!("{name}: {e}"),
    }
}

/// Parses one AP document into ferrotube's type for its `type`.
fn typed(name: &str, v: &Value) -> Document {
    match v["type"].as_str().unwrap_or("") {
        "Video" => {
            let video: VideoObject = parse(name, v);
            let remote = RemoteVideo::try_from(video.clone());
            assert!(remote.is_ok(), "{name}: {remote:?}");
            if let Ok(r) = remote {
                // PeerTube's own videos carry files with infohashes from their magnets.
                assert!(r.files.iter().all(|f| f.info_hash.is_some()), "{name}");
            }
            Document::Video(Box::new(video))
        }
        "Person" | "Group" | "Application" | "Service" | "Organization" => {
            Document::Actor(Box::new(parse(name, v)))
        }
        "Note" => Document::Note(Box::new(parse(name, v))),
        "Tombstone" => Document::Tombstone(parse(name, v)),
        "OrderedCollection" => Document::Collection(parse(name, v)),
        "OrderedCollectionPage" => Document::Page(parse(name, v)),
        _ => {
            let activity: InboxActivity = parse(name, v);
            assert!(
                !matches!(activity, InboxActivity::Unknown(_)),
                "{name}: unexpected type {}",
                v["type"]
            );
            Document::Activity(Box::new(activity))
        }
    }
}

fn without_context(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(map) = v.as_object_mut() {
        map.remove("@context");
    }
    v
}

fn kinds(v: &Value, counts: &mut std::collections::BTreeMap<String, usize>) {
    if let Some(k) = v["type"].as_str() {
        *counts.entry(k.to_string()).or_default() += 1;
    }
    for key in ["object", "orderedItems"] {
        match &v[key] {
            o @ Value::Object(_) => kinds(o, counts),
            Value::Array(items) => items.iter().for_each(|i| kinds(i, counts)),
            _ => {}
        }
    }
}

/// PeerTube's document parses, and serialising it again gives it back field for field: every
/// field PeerTube sends is typed, none is lost on the way through.
fn round_trips(name: &str, v: &Value, counts: &mut std::collections::BTreeMap<String, usize>) {
    kinds(v, counts);
    let doc = typed(name, v);
    let again = match serde_json::to_value(&doc) {
        Ok(a) => a,
        Err(e) => panic!("{name}: {e}"),
    };
    assert_eq!(again, without_context(v), "{name}: serialised differently");
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
        round_trips(&name, &v, &mut counts);
    }
    for sub in ["ap-fixtures/mastodon", "ap-fixtures/peertube"] {
        for (name, v) in json_files(sub) {
            if v.get("type").is_some() {
                // Other servers' documents carry fields we do not keep: parsing is enough.
                kinds(&v, &mut counts);
                typed(&name, &v);
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
