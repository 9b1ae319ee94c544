//! Torrents compared with PeerTube's captured ones (`live-captures/`), decoded with
//! an independent bencode decoder (serde_bencode).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::PathBuf;

use ferrotube_test_support::reference;
use ferrotube_tracker::{TorrentSpec, build_torrent, build_torrent_at};
use serde_bencode::value::Value;
use sha1::{Digest, Sha1};

fn dict(v: &Value) -> &HashMap<Vec<u8>, Value> {
    match v {
        Value::Dict(d) => d,
        other => panic!("not a dict: {other:?}"),
    }
}

fn get<'a>(v: &'a Value, key: &str) -> &'a Value {
    dict(v)
        .get(key.as_bytes())
        .unwrap_or_else(|| panic!("missing {key}"))
}

fn text(v: &Value) -> String {
    match v {
        Value::Bytes(b) => String::from_utf8(b.clone()).unwrap(),
        other => panic!("not bytes: {other:?}"),
    }
}

fn int(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        other => panic!("not an int: {other:?}"),
    }
}

fn sorted_keys(v: &Value) -> Vec<String> {
    let mut keys: Vec<String> = dict(v)
        .keys()
        .map(|k| String::from_utf8(k.clone()).unwrap())
        .collect();
    keys.sort();
    keys
}

/// A file of `len` deterministic pseudo-random bytes.
fn sample_file(dir: &tempdir::Dir, name: &str, len: usize) -> PathBuf {
    let mut x: u32 = 0x1234_5678 ^ len as u32;
    let data: Vec<u8> = (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect();
    let path = dir.0.join(name);
    std::fs::write(&path, data).unwrap();
    path
}

mod tempdir {
    use std::path::PathBuf;

    /// A scratch folder removed on drop.
    pub struct Dir(pub PathBuf);

    impl Dir {
        pub fn new(tag: &str) -> Self {
            let path = std::env::temp_dir().join(format!(
                "ferrotube-tracker-{tag}-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            std::fs::create_dir_all(&path).unwrap();
            Self(path)
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn capture_spec(path: PathBuf, file_url: &str) -> TorrentSpec {
    TorrentSpec {
        name: "Anchor reference video".into(),
        resolution: 360,
        extension: ".mp4".into(),
        file_path: path,
        file_url: Some(file_url.into()),
        ws_announce: "ws://127.0.0.1:9001/tracker/socket".into(),
        http_announce: "http://127.0.0.1:9001/tracker/announce".into(),
    }
}

#[test]
fn torrents_match_peertube_captures_but_for_the_pieces() {
    let decoded = reference::load("live-captures/torrents-decoded.json");
    let dir = tempdir::Dir::new("capture");
    for (file, expected) in decoded.as_object().unwrap() {
        let captured = reference::bytes(&format!("live-captures/{file}"));
        let len = expected["info.length"].as_u64().unwrap() as usize;
        let path = sample_file(&dir, file, len);
        let url = expected["url-list"][0].as_str().unwrap();
        let creation = expected["creation date"].as_i64().unwrap();
        let built = build_torrent_at(&capture_spec(path.clone(), url), creation).unwrap();

        let ours: Value = serde_bencode::from_bytes(&built.bytes).unwrap();
        let theirs: Value = serde_bencode::from_bytes(&captured).unwrap();
        let keys = |j: &serde_json::Value| -> Vec<String> {
            j.as_array()
                .unwrap()
                .iter()
                .map(|k| k.as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(
            sorted_keys(&ours),
            keys(&expected["top_level_keys"]),
            "{file}"
        );
        assert_eq!(
            sorted_keys(get(&ours, "info")),
            keys(&expected["info_keys"]),
            "{file}"
        );
        for key in ["announce", "created by", "encoding"] {
            assert_eq!(
                text(get(&ours, key)),
                expected[key].as_str().unwrap(),
                "{file} {key}"
            );
        }
        assert_eq!(int(get(&ours, "creation date")), creation);
        let info = get(&ours, "info");
        assert_eq!(
            text(get(info, "name")),
            expected["info.name"].as_str().unwrap()
        );
        assert_eq!(int(get(info, "length")) as usize, len);
        assert_eq!(
            int(get(info, "piece length")),
            expected["info.piece length"].as_i64().unwrap()
        );
        assert_eq!(built.piece_length, 16384);
        assert_eq!(built.length as usize, len);
        // Every field but the pieces equals PeerTube's, as decoded values...
        for key in [
            "announce-list",
            "url-list",
            "announce",
            "created by",
            "creation date",
        ] {
            assert_eq!(get(&ours, key), get(&theirs, key), "{file} {key}");
        }
        // ...and as bytes: PeerTube's torrent with our pieces spliced in is ours, exactly.
        let pieces_count = expected["number_of_pieces"].as_u64().unwrap() as usize;
        let marker = format!("6:pieces{}:", pieces_count * 20);
        let at = captured
            .windows(marker.len())
            .position(|w| w == marker.as_bytes())
            .unwrap()
            + marker.len();
        let mut spliced = captured.clone();
        let Value::Bytes(our_pieces) = get(info, "pieces") else {
            panic!("pieces")
        };
        spliced[at..at + pieces_count * 20].copy_from_slice(our_pieces);
        assert_eq!(spliced, built.bytes, "{file}");
        assert_eq!(
            built.bytes.len(),
            expected["file_bytes"].as_u64().unwrap() as usize
        );
        // The infohash is the SHA-1 of the bencoded info dictionary.
        let info_bytes = serde_bencode::to_bytes(info).unwrap();
        assert_eq!(built.info_hash_hex, hex::encode(Sha1::digest(info_bytes)));
    }
}

#[test]
fn piece_hashes_cover_the_file() {
    let dir = tempdir::Dir::new("pieces");
    for len in [1usize, 16384, 16385, 226_946, 21_000_000] {
        let path = sample_file(&dir, &format!("f{len}"), len);
        let spec = TorrentSpec {
            file_url: None,
            ..capture_spec(path.clone(), "")
        };
        let built = build_torrent(&spec).unwrap();
        let torrent: Value = serde_bencode::from_bytes(&built.bytes).unwrap();
        let info = get(&torrent, "info");
        let piece_length = int(get(info, "piece length")) as usize;
        assert_eq!(
            piece_length as u64,
            ferrotube_tracker::piece_length_for(len as u64)
        );
        let data = std::fs::read(&path).unwrap();
        let expected: Vec<u8> = data
            .chunks(piece_length)
            .flat_map(|c| Sha1::digest(c).to_vec())
            .collect();
        assert_eq!(get(info, "pieces"), &Value::Bytes(expected), "length {len}");
        // Non-public videos: an empty url-list, still present.
        assert_eq!(get(&torrent, "url-list"), &Value::List(vec![]));
        assert!(!dict(info).contains_key(b"private".as_slice()));
        assert!(!dict(&torrent).contains_key(b"comment".as_slice()));
    }
    assert!(
        build_torrent(&capture_spec(dir.0.join("missing"), "")).is_err(),
        "a missing file is an error"
    );
}
