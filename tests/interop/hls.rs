//! HLS both ways with a real PeerTube configured as PeerTube ships (HLS only, no web videos):
//! its video reaches ferrotube with the streaming playlist, the same swarm and playable files;
//! ferrotube's HLS video reaches PeerTube with the same playlist, files and torrents.

use ferrotube_test_support::Instance;
use ferrotube_test_support::media::{self, upload_ok, wait_for};
use serde_json::{Value, json};
use sha1::{Digest, Sha1};

use crate::common::{Pair, eventually, ferrotube_options, get, listed, report};

/// PeerTube 6.3's default: HLS only.
const PEERTUBE_HLS_ONLY: &str = r#"{"transcoding":{"web_videos":{"enabled":false},"hls":{"enabled":true}},"views":{"videos":{"local_buffer_update_interval":"2 seconds"}}}"#;

/// The infohash in a magnet link.
fn btih(magnet: &Value) -> Option<String> {
    let m = magnet.as_str()?;
    m.split("xt=urn:btih:")
        .nth(1)
        .map(|h| h[..40].to_lowercase())
}

/// The same playlist URLs, and for each rendition the same file, size, frame rate and torrent.
fn same_playlist(ours: &Value, theirs: &Value, fields: &[&str]) {
    let (p, q) = (
        &ours["streamingPlaylists"][0],
        &theirs["streamingPlaylists"][0],
    );
    for key in ["playlistUrl", "segmentsSha256Url"] {
        assert_eq!(p[key], q[key], "{key}");
    }
    let (files, their_files) = (p["files"].as_array(), q["files"].as_array());
    assert_eq!(
        files.map(Vec::len),
        their_files.map(Vec::len),
        "renditions: {p} vs {q}"
    );
    for (f, g) in files
        .into_iter()
        .flatten()
        .zip(their_files.into_iter().flatten())
    {
        for key in fields {
            assert_eq!(f[*key], g[*key], "{key}");
        }
        assert_eq!(btih(&f["magnetUri"]), btih(&g["magnetUri"]), "magnet");
    }
}

/// The master playlist lists a rendition and a rendition answers a range.
async fn hls_plays(server: &Instance, video: &Value) {
    let p = &video["streamingPlaylists"][0];
    let master_url = p["playlistUrl"].as_str().unwrap_or_default();
    let res = server.client.get(master_url).send().await;
    let master = match res {
        Ok(r) if r.status() == 200 => r.text().await.unwrap_or_default(),
        other => panic!("{master_url}: {other:?}"),
    };
    assert!(
        master.starts_with("#EXTM3U") && master.contains(".m3u8"),
        "{master}"
    );
    let file_url = p["files"][0]["fileUrl"].as_str().unwrap_or_default();
    let res = server
        .client
        .get(file_url)
        .header("Range", "bytes=0-1023")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{file_url}: {e}"));
    assert_eq!(res.status(), 206, "{file_url}");
}

#[tokio::test]
async fn hls_videos_travel_both_ways() {
    let ft_options = ferrotube_options().env("FERROTUBE_TRANSCODING__ENABLED", "true");
    let p = Pair::start_with(ft_options, PEERTUBE_HLS_ONLY).await;
    let (ft, pt) = (&p.ft, &p.pt);
    let ft_root = ft.root_token().await;
    let pt_root = pt.root_token().await;

    // PeerTube → ferrotube: HLS only, with the same playlist and swarm.
    let uuid = upload_ok(pt, &pt_root, media::video().await, "PeerTube HLS only", &[]).await;
    let theirs = pt.wait_published(&pt_root, &uuid).await;
    assert_eq!(theirs["files"], json!([]), "PeerTube was to make HLS only");
    let (_, took) = listed(ft, &uuid, 60).await;
    let (ours, took_files) = eventually(60, "the playlist on ferrotube", || async {
        let (status, v) = get(ft, &format!("/videos/{uuid}")).await;
        (status == 200 && v["streamingPlaylists"][0]["files"][0].is_object()).then_some(v)
    })
    .await;
    report("HLS video listed, PeerTube → ferrotube", took + took_files);
    assert_eq!(ours["isLocal"], false);
    assert_eq!(ours["files"], json!([]));
    ferrotube_test_support::shape::assert_same_shape(
        &ours["streamingPlaylists"][0],
        &theirs["streamingPlaylists"][0],
        &[],
    );
    same_playlist(
        &ours,
        &theirs,
        &[
            "fileUrl",
            "size",
            "fps",
            "width",
            "height",
            "resolution",
            "metadataUrl",
        ],
    );
    hls_plays(ft, &ours).await;

    // ferrotube's tracker accepts the swarm PeerTube's player joins for it.
    let master_url = ours["streamingPlaylists"][0]["playlistUrl"]
        .as_str()
        .unwrap_or_default();
    let swarm = Sha1::digest(format!("2{master_url}+V0").as_bytes());
    let enc: String = swarm.iter().map(|b| format!("%{b:02X}")).collect();
    let announce = format!(
        "{}/tracker/announce?info_hash={enc}&peer_id=-FT0001-abcdefghijkl&port=6881&uploaded=0&downloaded=0&left=0&compact=1",
        ft.url
    );
    let res = ft.client.get(&announce).send().await;
    let body = match res {
        Ok(r) => r.bytes().await.unwrap_or_default(),
        Err(e) => panic!("{announce}: {e}"),
    };
    let body = String::from_utf8_lossy(&body);
    assert!(
        body.contains("interval") && !body.contains("failure reason"),
        "{body}"
    );

    // ferrotube → PeerTube: web videos and HLS, with the same playlist and torrents.
    let ours_uuid = upload_ok(ft, &ft_root, media::video().await, "ferrotube HLS", &[]).await;
    let local = wait_for(ft, &ft_root, &ours_uuid, |v| {
        v["state"]["id"] == 1 && v["streamingPlaylists"][0]["files"][0]["magnetUri"].is_string()
    })
    .await;
    let (imported, took) = eventually(60, "the playlist on PeerTube", || async {
        let (status, v) = get(pt, &format!("/videos/{ours_uuid}")).await;
        (status == 200 && v["streamingPlaylists"][0]["files"][0].is_object()).then_some(v)
    })
    .await;
    report("HLS video listed, ferrotube → PeerTube", took);
    same_playlist(
        &local,
        &imported,
        &["fileUrl", "size", "fps", "width", "height", "resolution"],
    );
    hls_plays(pt, &imported).await;
    listed(pt, &ours_uuid, 30).await;
}
