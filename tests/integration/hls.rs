//! HLS end to end, with real ffmpeg: the renditions, master and variant playlists, segment
//! hashes and torrents an upload gets, served by range under PeerTube's paths, in REST and
//! ActivityPub as PeerTube shows them, their swarms known to the tracker, private playlists
//! behind a token, a resolution ladder and an HLS-only configuration.

// Test code: a failed step must stop the test with its message, as an assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;
use sha1::{Digest, Sha1};
use sha2::Sha256;
use tokio::sync::OnceCell;

use crate::BIN;
use ferrotube_test_support::bencode::{self, B, BencodeExt};
use ferrotube_test_support::media::{self, upload_ok, wait_for};
use ferrotube_test_support::reference;
use ferrotube_test_support::shape::assert_same_shape;
use ferrotube_test_support::{Options, TestServer, send};

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Published, with an HLS playlist whose renditions all have their torrent.
pub fn published_with_hls(v: &Value) -> bool {
    v["state"]["id"] == 1
        && v["streamingPlaylists"][0]["files"]
            .as_array()
            .is_some_and(|f| {
                !f.is_empty()
                    && f.iter()
                        .all(|f| f["torrentUrl"].is_string() && f["magnetUri"].is_string())
            })
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("no {key} in {v}"))
}

/// GET, optionally a byte range and a bearer token; status, content type, body.
async fn get(
    s: &TestServer,
    url: &str,
    range: Option<(u64, u64)>,
    token: Option<&str>,
) -> (u16, String, Vec<u8>) {
    let mut req = s.client.get(url);
    if let Some((a, b)) = range {
        req = req.header("Range", format!("bytes={a}-{b}"));
    }
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let ctype = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, ctype, res.bytes().await.unwrap().to_vec())
}

/// `(offset, length)` of each `#EXT-X-BYTERANGE` of a variant playlist.
fn ranges(variant: &str) -> Vec<(u64, u64)> {
    variant
        .lines()
        .filter_map(|l| {
            let (len, off) = l.strip_prefix("#EXT-X-BYTERANGE:")?.split_once('@')?;
            Some((off.parse().ok()?, len.parse().ok()?))
        })
        .collect()
}

/// A line with random names and numbers blanked, to compare with PeerTube's.
fn skeleton(line: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        // A UUID: 36 characters of hex digits and dashes.
        let uuid: String = chars[i..].iter().take(36).collect();
        if uuid.len() == 36 && uuid::Uuid::parse_str(&uuid).is_ok() {
            out.push_str("{rnd}");
            i += 36;
        } else if chars[i].is_ascii_digit() {
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            out.push('0');
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The master playlist without its CODECS values (the H.264 level is ours to choose).
fn master_skeleton(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| match l.split_once(",CODECS=") {
            Some((head, _)) => format!("{},CODECS=…", skeleton(head)),
            None => skeleton(l),
        })
        .collect()
}

/// HTTP announce of `info_hash_hex` to the server's tracker; the bencoded answer.
async fn announce(s: &TestServer, info_hash_hex: &str) -> B {
    let bytes = ::hex::decode(info_hash_hex).unwrap();
    let enc: String = bytes.iter().map(|b| format!("%{b:02X}")).collect();
    let url = format!(
        "{}/tracker/announce?info_hash={enc}&peer_id=-FT0001-abcdefghijkl&port=6881&uploaded=0&downloaded=0&left=0&compact=1",
        s.url
    );
    let (status, _, body) = get(s, &url, None, None).await;
    assert_eq!(status, 200);
    bencode::decode(&body).unwrap()
}

fn swarm_id(master_url: &str, i: usize) -> String {
    hex(&Sha1::digest(format!("2{master_url}+V{i}").as_bytes()))
}

/// Checks a rendition end to end: its variant playlist as PeerTube writes it, every segment
/// served by range and hashed as `hashes` says, the init section, its torrent.
async fn check_rendition(
    s: &TestServer,
    v: &Value,
    file: &Value,
    base: &str,
    hashes: &Value,
    token: Option<&str>,
) {
    let file_url = str_of(file, "fileUrl");
    let fmp4 = file_url.rsplit('/').next().unwrap();
    assert!(fmp4.ends_with("-fragmented.mp4"), "{fmp4}");
    let variant_url = format!("{base}/{}", fmp4.replace("-fragmented.mp4", ".m3u8"));
    let (status, ctype, body) = get(s, &variant_url, None, token).await;
    assert_eq!(status, 200, "{variant_url}");
    assert_eq!(ctype, "application/vnd.apple.mpegurl");
    let variant = String::from_utf8(body).unwrap();
    let theirs = reference::text("live-captures/hls-variant-360.m3u8");
    let ours: Vec<String> = variant.lines().map(skeleton).collect();
    let capture: Vec<String> = theirs.lines().map(skeleton).collect();
    // Same header, same map line and segment lines (5 s here, 10 s there: fewer segments).
    assert_eq!(ours[..6], capture[..6], "{variant}");
    assert_eq!(ours[6..9], capture[6..9], "{variant}");
    assert_eq!(ours.last(), capture.last());
    assert!(variant.contains(&format!("#EXT-X-MAP:URI=\"{fmp4}\",BYTERANGE=\"")));

    let size = file["size"].as_u64().unwrap();
    let segments = ranges(&variant);
    assert!(segments.len() >= 2, "{variant}");
    let (first, _) = segments[0];
    // The init section: an `ftyp` box at 0.
    let (status, _, init) = get(s, file_url, Some((0, first - 1)), token).await;
    assert_eq!(status, 206);
    assert_eq!(&init[4..8], b"ftyp");
    let file_hashes = &hashes[fmp4];
    assert_eq!(
        file_hashes.as_object().map(|o| o.len()),
        Some(segments.len()),
        "{hashes}"
    );
    let mut next = first;
    for (offset, length) in &segments {
        assert_eq!(*offset, next, "contiguous segments");
        next = offset + length;
        let end = offset + length - 1;
        let (status, ctype, body) = get(s, file_url, Some((*offset, end)), token).await;
        assert_eq!(status, 206);
        assert_eq!(ctype, "video/mp4");
        assert_eq!(body.len() as u64, *length);
        assert_eq!(
            file_hashes[format!("{offset}-{end}")],
            hex(&Sha256::digest(&body)),
            "segment {offset}-{end}"
        );
    }
    assert_eq!(next, size, "the last segment ends the file");

    // Its torrent: PeerTube's keys, the fMP4 as WebSeed (public videos), PeerTube's piece
    // length, the magnet's infohash.
    let torrent_url = str_of(file, "torrentUrl");
    assert!(torrent_url.ends_with(&format!("-{}-hls.torrent", file["resolution"]["id"])));
    let (status, ctype, torrent) = get(s, torrent_url, None, None).await;
    assert_eq!(status, 200);
    assert_eq!(ctype, "application/x-bittorrent");
    let t = bencode::decode(&torrent).unwrap();
    let decoded = reference::load("live-captures/torrents-decoded.json");
    let theirs = &decoded["torrent-hls-360p.torrent"];
    let mut keys = t.keys();
    keys.sort();
    assert_eq!(Value::from(keys), theirs["top_level_keys"]);
    let info = t.get("info").unwrap();
    let mut info_keys = info.keys();
    info_keys.sort();
    assert_eq!(Value::from(info_keys), theirs["info_keys"]);
    let public = v["privacy"]["id"] == 1;
    let url_list = if public {
        vec![B::Bytes(file_url.as_bytes().to_vec())]
    } else {
        vec![]
    };
    assert_eq!(t.get("url-list"), Some(&B::List(url_list)));
    assert_eq!(info.get("length").and_then(B::int), Some(size as i64));
    let expected_piece = 16_384f64.max(2f64.powf((size as f64 / 1024.0).log2().round())) as i64;
    assert_eq!(
        info.get("piece length").and_then(B::int),
        Some(expected_piece)
    );
    assert_eq!(
        info.get("name").and_then(B::str),
        Some(format!(
            "{} {}p.mp4",
            str_of(v, "name"),
            file["resolution"]["id"]
        ))
    );
    let hash = hex(&Sha1::digest(bencode::info_bytes(&torrent).unwrap()));
    let magnet = str_of(file, "magnetUri");
    assert!(magnet.contains(&format!("xt=urn:btih:{hash}")), "{magnet}");
    let enc = |u: &str| u.replace(':', "%3A").replace('/', "%2F");
    assert_eq!(magnet.contains(&format!("&ws={}", enc(file_url))), public);
    // The tracker knows the torrent.
    assert!(announce(s, &hash).await.get("failure reason").is_none());
}

#[tokio::test]
async fn upload_gets_hls_served_hashed_and_shaped_as_peertubes() {
    let s = TestServer::start(BIN).await;
    let token = s.root_token().await;
    let fields = [
        ("category", "15"),
        ("licence", "1"),
        ("language", "en"),
        ("description", "Test pattern 640x360, 5 s."),
    ];
    let uuid = upload_ok(
        &s,
        &token,
        media::video().await,
        "HLS reference video",
        &fields,
    )
    .await;
    let v = wait_for(&s, &token, &uuid, published_with_hls).await;

    // REST: web videos and the streaming playlist, field by field as PeerTube's.
    let theirs = reference::load("live-captures/api-v1-videos-id.json");
    assert_same_shape(&v, &theirs, &[]);
    assert_eq!(v["files"].as_array().map(Vec::len), Some(1));
    let p = &v["streamingPlaylists"][0];
    assert_eq!(p["type"], 1);
    assert_eq!(p["redundancies"], Value::Array(vec![]));
    let base = format!("{}/static/streaming-playlists/hls/{uuid}", s.url);
    let master_url = str_of(p, "playlistUrl");
    let sha_url = str_of(p, "segmentsSha256Url");
    for (url, suffix) in [
        (master_url, "-master.m3u8"),
        (sha_url, "-segments-sha256.json"),
    ] {
        let name = url.strip_prefix(&format!("{base}/")).unwrap();
        let rnd = name.strip_suffix(suffix).unwrap();
        assert!(uuid::Uuid::parse_str(rnd).is_ok(), "{url}");
    }
    let f = &p["files"][0];
    assert_eq!(
        f["resolution"],
        serde_json::json!({"id": 360, "label": "360p"})
    );
    assert_eq!(
        (f["width"].as_i64(), f["height"].as_i64()),
        (Some(640), Some(360))
    );
    assert_eq!(f["fps"], 25);
    assert!(str_of(f, "fileUrl").starts_with(&format!("{base}/")));
    assert_eq!(
        str_of(f, "fileDownloadUrl"),
        format!(
            "{}/download/streaming-playlists/hls/videos/{uuid}-360-fragmented.mp4",
            s.url
        )
    );
    assert_eq!(
        str_of(f, "metadataUrl"),
        format!("{}/api/v1/videos/{uuid}/metadata/{}", s.url, f["id"])
    );
    // The rendition's ffprobe metadata, as PeerTube serves it for HLS files.
    let metadata = s
        .get_json(&format!("/api/v1/videos/{uuid}/metadata/{}", f["id"]))
        .await;
    let theirs_meta = reference::load("live-captures/api-v1-videos-file-metadata-hls-360p.json");
    assert_eq!(metadata["format"]["tags"]["major_brand"], "iso5");
    assert_eq!(
        metadata["format"]["format_name"],
        theirs_meta["format"]["format_name"]
    );
    assert_eq!(metadata["streams"].as_array().map(Vec::len), Some(2));

    // The master playlist, line for line as PeerTube writes it.
    let (status, ctype, body) = get(&s, master_url, None, None).await;
    assert_eq!(
        (status, ctype.as_str()),
        (200, "application/vnd.apple.mpegurl")
    );
    let master = String::from_utf8(body).unwrap();
    let capture = reference::text("live-captures/hls-master-playlist.m3u8");
    assert_eq!(
        master_skeleton(&master),
        master_skeleton(&capture),
        "{master}"
    );
    assert!(master.contains(",RESOLUTION=640x360,FRAME-RATE=25,CODECS=\"avc1.6400"));
    assert!(master.contains(",mp4a.40.2\"\n"), "{master}");
    let bandwidth: u64 = master
        .split("BANDWIDTH=")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .and_then(|b| b.parse().ok())
        .unwrap();
    let size = f["size"].as_u64().unwrap();
    assert_eq!(bandwidth, (size * 8).div_ceil(5), "PeerTube's bandwidth");

    // The segment hashes: one entry per rendition, each segment checked against its bytes.
    let (status, ctype, body) = get(&s, sha_url, None, None).await;
    assert_eq!((status, ctype.as_str()), (200, "application/json"));
    let hashes: Value = serde_json::from_slice(&body).unwrap();
    let theirs_hashes = reference::load("live-captures/hls-segments-sha256.json");
    assert_eq!(hashes.as_object().map(|o| o.len()), Some(1));
    let (their_file, their_ranges) = theirs_hashes.as_object().unwrap().iter().next().unwrap();
    assert!(their_file.ends_with("-360-fragmented.mp4"));
    let (_, our_ranges) = hashes.as_object().unwrap().iter().next().unwrap();
    assert_same_shape(
        our_ranges.as_object().unwrap().values().next().unwrap(),
        their_ranges.as_object().unwrap().values().next().unwrap(),
        &[],
    );
    check_rendition(&s, &v, f, &base, &hashes, None).await;

    // ActivityPub: the HLS link as PeerTube's, entry for entry.
    let ap: Value = s
        .get_ap(&format!("/videos/watch/{uuid}"))
        .await
        .json()
        .await
        .unwrap();
    let capture = reference::load("live-captures/ap-video-object.json");
    let hls_link = |o: &Value| {
        o["url"]
            .as_array()
            .and_then(|u| u.iter().find(|l| l["mediaType"] == "application/x-mpegURL"))
            .cloned()
            .unwrap()
    };
    let (ours, theirs) = (hls_link(&ap), hls_link(&capture));
    assert_eq!(ours["href"], master_url);
    let (our_tags, their_tags) = (
        ours["tag"].as_array().unwrap(),
        theirs["tag"].as_array().unwrap(),
    );
    assert_eq!(our_tags.len(), their_tags.len(), "{ours}");
    for (a, b) in our_tags.iter().zip(their_tags) {
        assert_same_shape(a, b, &[]);
        assert_eq!(a["type"], b["type"]);
        assert_eq!(a["mediaType"], b["mediaType"]);
    }
    assert_same_shape(&ours, &theirs, &[]);
    let swarm = swarm_id(master_url, 0);
    assert_eq!(our_tags[0]["name"], swarm);
    assert_eq!(our_tags[1]["href"], sha_url);
    assert_eq!(our_tags[2]["href"], f["fileUrl"]);
    // The HLS link comes after the web video's links, before the trackers, as in PeerTube's.
    let kinds: Vec<&str> = ap["url"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["mediaType"].as_str().unwrap_or("tracker"))
        .collect();
    let their_kinds: Vec<&str> = capture["url"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["mediaType"].as_str().unwrap_or("tracker"))
        .collect();
    assert_eq!(kinds, their_kinds);

    // The tracker serves the swarm PeerTube's player joins, and no other.
    let answer = announce(&s, &swarm).await;
    assert!(answer.get("failure reason").is_none(), "{answer:?}");
    let unknown = announce(&s, &swarm_id(master_url, 1)).await;
    let reason = unknown
        .get("failure reason")
        .and_then(B::str)
        .unwrap_or_default();
    assert!(reason.contains("Unknown infoHash"), "{reason}");

    // The rendition's download, and lists with PeerTube's `include` FILES (a right).
    let res = s
        .client
        .get(str_of(f, "fileDownloadUrl"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert_eq!(res.bytes().await.unwrap().len() as u64, size);
    let (status, _) = send(s.client.get(s.api("/videos?include=8"))).await;
    assert_eq!(status, 401);
    let (status, list) = send(s.client.get(s.api("/videos?include=8")).bearer_auth(&token)).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(
        list["data"][0]["streamingPlaylists"],
        v["streamingPlaylists"]
    );
    assert_eq!(list["data"][0]["files"], v["files"]);
    let plain = s.get_json("/api/v1/videos").await;
    assert!(plain["data"][0].get("streamingPlaylists").is_none());

    // The job reported its progress to the end.
    let (_, jobs) = send(
        s.client
            .get(s.api("/jobs/completed?jobType=video-transcoding"))
            .bearer_auth(&token),
    )
    .await;
    assert_eq!(jobs["data"][0]["progress"], 100, "{jobs}");

    // Deleting the video removes the playlist's files and its swarm.
    let (status, _) = send(
        s.client
            .delete(s.api(&format!("/videos/{uuid}")))
            .bearer_auth(&token),
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(get(&s, master_url, None, None).await.0, 404);
    assert!(
        !s.storage
            .join("streaming-playlists/hls")
            .join(&uuid)
            .exists()
    );
    let torrents: Vec<_> = std::fs::read_dir(s.storage.join("torrents"))
        .map(|d| d.flatten().collect())
        .unwrap_or_default();
    assert!(torrents.is_empty(), "{torrents:?}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while announce(&s, &swarm).await.get("failure reason").is_none() {
        assert!(Instant::now() < deadline, "the swarm outlived its video");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// 4 s of 1280x720 at 25 fps with a tone.
async fn video_720p() -> &'static Path {
    static V: OnceCell<PathBuf> = OnceCell::const_new();
    V.get_or_init(|| async {
        let p = std::env::temp_dir().join(format!("ft-hls-720-{}.mp4", std::process::id()));
        let ok = std::process::Command::new("ffmpeg")
            .args(["-y", "-v", "error", "-f", "lavfi", "-i"])
            .arg("testsrc=duration=6:size=1280x720:rate=25")
            .args(["-f", "lavfi", "-i", "sine=frequency=440:duration=6"])
            .args([
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-pix_fmt",
                "yuv420p",
            ])
            .args(["-c:a", "aac", "-shortest"])
            .arg(&p)
            .status()
            .expect("ffmpeg is needed (scripts/test installs it)");
        assert!(ok.success());
        p
    })
    .await
}

#[tokio::test]
async fn a_720p_input_gets_every_enabled_rendition() {
    let options = Options::default()
        .env("FERROTUBE_TRANSCODING__RESOLUTIONS__240P", "true")
        .env("FERROTUBE_TRANSCODING__RESOLUTIONS__360P", "true")
        .env("FERROTUBE_TRANSCODING__RESOLUTIONS__480P", "true")
        .env("FERROTUBE_TRANSCODING__RESOLUTIONS__720P", "true")
        // Above the input: not made.
        .env("FERROTUBE_TRANSCODING__RESOLUTIONS__1080P", "true");
    let s = TestServer::start_with(BIN, options).await;
    let token = s.root_token().await;
    let uuid = upload_ok(&s, &token, video_720p().await, "Ladder", &[]).await;
    // Progress shows in the jobs API while the ladder is made.
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(180);
    let v = loop {
        let (_, active) = send(
            s.client
                .get(s.api("/jobs/active?jobType=video-transcoding"))
                .bearer_auth(&token),
        )
        .await;
        if let Some(p) = active["data"][0]["progress"].as_i64() {
            seen.push(p);
        }
        let (_, v) = send(
            s.client
                .get(s.api(&format!("/videos/{uuid}")))
                .bearer_auth(&token),
        )
        .await;
        if published_with_hls(&v) {
            break v;
        }
        assert!(Instant::now() < deadline, "never published: {v}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(
        seen.iter().any(|p| *p > 0 && *p < 100),
        "progress seen: {seen:?}"
    );
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "progress went back: {seen:?}"
    );
    let heights = |files: &Value| -> Vec<i64> {
        files
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["resolution"]["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(heights(&v["files"]), [720, 480, 360, 240]);
    let p = &v["streamingPlaylists"][0];
    assert_eq!(heights(&p["files"]), [720, 480, 360, 240]);
    let (_, _, body) = get(&s, str_of(p, "playlistUrl"), None, None).await;
    let master = String::from_utf8(body).unwrap();
    let listed: Vec<&str> = master
        .lines()
        .filter_map(|l| l.split(",RESOLUTION=").nth(1))
        .map(|r| r.split(',').next().unwrap())
        .collect();
    assert_eq!(
        listed,
        ["426x240", "640x360", "854x480", "1280x720"],
        "{master}"
    );
    let (_, _, body) = get(&s, str_of(p, "segmentsSha256Url"), None, None).await;
    let hashes: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(hashes.as_object().map(|o| o.len()), Some(4));
    let base = format!("{}/static/streaming-playlists/hls/{uuid}", s.url);
    for f in p["files"].as_array().unwrap() {
        check_rendition(&s, &v, f, &base, &hashes, None).await;
    }
    // One swarm per rendition, each known to the tracker.
    let ap: Value = s
        .get_ap(&format!("/videos/watch/{uuid}"))
        .await
        .json()
        .await
        .unwrap();
    let link = ap["url"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["mediaType"] == "application/x-mpegURL")
        .unwrap();
    let ids: Vec<&str> = link["tag"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["type"] == "Infohash")
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    let master_url = str_of(p, "playlistUrl");
    assert_eq!(
        ids,
        (0..4).map(|i| swarm_id(master_url, i)).collect::<Vec<_>>()
    );
    for id in ids {
        assert!(announce(&s, id).await.get("failure reason").is_none());
    }
}

#[tokio::test]
async fn private_hls_needs_a_token_that_playlists_pass_on() {
    let s = TestServer::start(BIN).await;
    let root = s.root_token().await;
    let bob = s.create_user("bob", "bob-password-1").await;
    let uuid = upload_ok(
        &s,
        &root,
        media::video().await,
        "Private HLS",
        &[("privacy", "3")],
    )
    .await;
    let v = wait_for(&s, &root, &uuid, published_with_hls).await;
    let p = &v["streamingPlaylists"][0];
    let base = format!("{}/static/streaming-playlists/hls/private/{uuid}", s.url);
    let master_url = str_of(p, "playlistUrl");
    assert!(master_url.starts_with(&format!("{base}/")), "{master_url}");
    let f = &p["files"][0];
    assert!(str_of(f, "fileUrl").starts_with(&format!("{base}/")));
    assert!(!str_of(f, "magnetUri").contains("&ws="));

    // No credentials: 401; someone else's: 403; the owner's: 200; not on the public path.
    assert_eq!(get(&s, master_url, None, None).await.0, 401);
    assert_eq!(get(&s, master_url, None, Some(&bob)).await.0, 403);
    assert_eq!(get(&s, master_url, None, Some(&root)).await.0, 200);
    assert_eq!(
        get(&s, &master_url.replace("/private/", "/"), None, None)
            .await
            .0,
        404
    );
    assert_eq!(
        get(&s, &format!("{master_url}?videoFileToken=nope"), None, None)
            .await
            .0,
        403
    );
    let (status, _) = send(s.client.post(s.api(&format!("/videos/{uuid}/token")))).await;
    assert_eq!(status, 401);
    let (status, _) = send(
        s.client
            .post(s.api(&format!("/videos/{uuid}/token")))
            .bearer_auth(&bob),
    )
    .await;
    assert_eq!(status, 403);
    let (status, body) = send(
        s.client
            .post(s.api(&format!("/videos/{uuid}/token")))
            .bearer_auth(&root),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let token = str_of(&body["files"], "token");
    assert!(str_of(&body["files"], "expires").ends_with('Z'));

    // A player with only the token follows the playlists: the master passes it (and the
    // reinjection) to the variants, the variants to the fMP4.
    let q = format!("videoFileToken={token}&reinjectVideoFileToken=true");
    let (status, ctype, body) = get(&s, &format!("{master_url}?{q}"), None, None).await;
    assert_eq!(
        (status, ctype.as_str()),
        (200, "application/vnd.apple.mpegurl")
    );
    let master = String::from_utf8(body).unwrap();
    let variant = master
        .lines()
        .find(|l| l.contains(".m3u8"))
        .unwrap()
        .to_string();
    assert!(variant.ends_with(&format!(".m3u8?{q}")), "{master}");
    let (status, _, body) = get(&s, &format!("{base}/{variant}"), None, None).await;
    assert_eq!(status, 200);
    let variant = String::from_utf8(body).unwrap();
    let fmp4 = variant
        .lines()
        .find(|l| l.ends_with(&format!(".mp4?videoFileToken={token}")));
    let fmp4 = fmp4.unwrap_or_else(|| panic!("{variant}"));
    let (offset, length) = ranges(&variant)[0];
    let (status, _, body) = get(
        &s,
        &format!("{base}/{fmp4}"),
        Some((offset, offset + length - 1)),
        None,
    )
    .await;
    assert_eq!(status, 206);
    assert_eq!(body.len() as u64, length);
    // The segment hashes and torrents, with the owner's token.
    let (_, _, body) = get(&s, str_of(p, "segmentsSha256Url"), None, Some(&root)).await;
    let hashes: Value = serde_json::from_slice(&body).unwrap();
    check_rendition(&s, &v, f, &base, &hashes, Some(&root)).await;
    // Private web videos take the same token.
    let web_url = str_of(&v["files"][0], "fileUrl");
    assert_eq!(get(&s, web_url, None, None).await.0, 401);
    assert_eq!(
        get(&s, &format!("{web_url}?videoFileToken={token}"), None, None)
            .await
            .0,
        200
    );

    // Made public: the playlist moves to the public path, under new swarm ids.
    let (status, _) = send(
        s.client
            .put(s.api(&format!("/videos/{uuid}")))
            .bearer_auth(&root)
            .json(&serde_json::json!({ "privacy": 1 })),
    )
    .await;
    assert_eq!(status, 204);
    let public = s.get_json(&format!("/api/v1/videos/{uuid}")).await;
    let public_master = str_of(&public["streamingPlaylists"][0], "playlistUrl").to_string();
    assert_eq!(public_master, master_url.replace("/private/", "/"));
    assert_eq!(get(&s, &public_master, None, None).await.0, 200);
    assert_eq!(get(&s, master_url, None, Some(&root)).await.0, 404);
    let deadline = Instant::now() + Duration::from_secs(10);
    while announce(&s, &swarm_id(&public_master, 0))
        .await
        .get("failure reason")
        .is_some()
    {
        assert!(
            Instant::now() < deadline,
            "the public swarm never became known"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        announce(&s, &swarm_id(master_url, 0))
            .await
            .get("failure reason")
            .is_some()
    );
}

#[tokio::test]
async fn hls_only_publishes_without_web_videos() {
    let options = Options::default().env("FERROTUBE_TRANSCODING__WEB_VIDEOS__ENABLED", "false");
    let s = TestServer::start_with(BIN, options).await;
    let token = s.root_token().await;
    let config = s.get_json("/api/v1/config").await;
    assert_eq!(config["transcoding"]["hls"]["enabled"], true);
    assert_eq!(config["transcoding"]["web_videos"]["enabled"], false);
    let uuid = upload_ok(&s, &token, media::video().await, "HLS only", &[]).await;
    let v = wait_for(&s, &token, &uuid, published_with_hls).await;
    assert_eq!(v["files"], Value::Array(vec![]), "{v}");
    let p = &v["streamingPlaylists"][0];
    assert_eq!(p["files"].as_array().map(Vec::len), Some(1));
    let (status, _, body) = get(&s, str_of(p, "segmentsSha256Url"), None, None).await;
    assert_eq!(status, 200);
    let hashes: Value = serde_json::from_slice(&body).unwrap();
    let base = format!("{}/static/streaming-playlists/hls/{uuid}", s.url);
    check_rendition(&s, &v, &p["files"][0], &base, &hashes, None).await;
    // The upload itself is gone; no web video was ever written.
    let web: Vec<_> = std::fs::read_dir(s.storage.join("web-videos"))
        .map(|d| d.flatten().collect())
        .unwrap_or_default();
    assert!(web.is_empty(), "{web:?}");
    // The ActivityPub object has no web video link, only the HLS one.
    let ap: Value = s
        .get_ap(&format!("/videos/watch/{uuid}"))
        .await
        .json()
        .await
        .unwrap();
    let kinds: Vec<&str> = ap["url"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["mediaType"].as_str())
        .collect();
    assert_eq!(kinds, ["text/html", "application/x-mpegURL"]);
}
