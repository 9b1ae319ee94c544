//! A real PeerTube 6.3 configured as PeerTube ships (HLS only, no web videos): a video it
//! publishes reaches ferrotube, which follows it, with its streaming playlist, and plays
//! from there. Runs wherever `../shared/peertube/peertube-peer` exists, and fails there
//! rather than skip.

// Test code: a failed step must stop the test with its message, as an assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sha1::{Digest, Sha1};

use crate::BIN;
use ferrotube_test_support::media;
use ferrotube_test_support::shape::assert_same_shape;
use ferrotube_test_support::{TestServer, http, send, workspace_root};

fn tool() -> Option<PathBuf> {
    let p = workspace_root().join("../shared/peertube/peertube-peer");
    p.is_file().then_some(p)
}

/// One PeerTube started by the tool, stopped when dropped.
struct PeerTube {
    tool: PathBuf,
    name: String,
    url: String,
    host: String,
    log: PathBuf,
    client: reqwest::Client,
}

impl PeerTube {
    fn start(tool: PathBuf, name: &str, port: u16, config_json: &str) -> PeerTube {
        let out = Command::new(&tool)
            .args(["start", name, &port.to_string()])
            .env("PEERTUBE_CONFIG_JSON", config_json)
            .stdin(Stdio::null())
            .output()
            .expect("peertube-peer runs");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "peertube-peer start failed: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let line = |key: &str| {
            stdout
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .map(str::to_string)
        };
        let url = line("url=").expect("url= line");
        PeerTube {
            tool,
            name: name.to_string(),
            host: url.trim_start_matches("http://").to_string(),
            url,
            log: PathBuf::from(line("log=").unwrap_or_default()),
            client: http(),
        }
    }

    fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.url)
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    async fn root_token(&self) -> String {
        let (_, client) = send(self.client.get(self.api("/oauth-clients/local"))).await;
        let form = [
            ("client_id", client["client_id"].as_str().unwrap()),
            ("client_secret", client["client_secret"].as_str().unwrap()),
            ("grant_type", "password"),
            ("response_type", "code"),
            ("username", "root"),
            ("password", "test"),
        ];
        let (status, token) = send(self.client.post(self.api("/users/token")).form(&form)).await;
        assert_eq!(status, 200, "{token}");
        token["access_token"].as_str().unwrap().to_string()
    }
}

impl Drop for PeerTube {
    fn drop(&mut self) {
        let _ = Command::new(&self.tool)
            .args(["stop", &self.name])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// Polls `check` for at most `secs`; None when it never answered.
async fn eventually<T>(secs: u64, mut check: impl AsyncFnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = check().await {
            return Some(v);
        }
        if Instant::now() > deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn a_peertube_hls_only_video_reaches_ferrotube_and_plays() {
    let Some(tool) = tool() else {
        eprintln!("../shared/peertube/peertube-peer is not on this machine: not run");
        return;
    };
    let ft = TestServer::start(BIN).await;
    let port = 9523;
    // One name: each run replaces the last one's database and files.
    let name = "ft_hls".to_string();
    let config = r#"{"transcoding":{"web_videos":{"enabled":false},"hls":{"enabled":true}}}"#;
    let pt = tokio::task::spawn_blocking(move || PeerTube::start(tool, &name, port, config))
        .await
        .unwrap();

    // ferrotube follows the PeerTube server.
    let root = ft.root_token().await;
    let (status, body) = send(
        ft.client
            .post(ft.api("/server/following"))
            .bearer_auth(&root)
            .json(&json!({ "hosts": [pt.host] })),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    eventually(60, async || {
        let (_, list) = send(
            ft.client
                .get(ft.api("/server/following"))
                .bearer_auth(&root),
        )
        .await;
        list["data"]
            .as_array()?
            .iter()
            .any(|f| f["following"]["host"] == pt.host && f["state"] == "accepted")
            .then_some(())
    })
    .await
    .unwrap_or_else(|| panic!("PeerTube never accepted the follow:\n{}", pt.log_tail()));

    // PeerTube publishes a video: HLS only.
    let pt_token = pt.root_token().await;
    let (_, me) = send(pt.client.get(pt.api("/users/me")).bearer_auth(&pt_token)).await;
    let channel = me["videoChannels"][0]["id"].to_string();
    let bytes = std::fs::read(media::video().await).unwrap();
    let form = reqwest::multipart::Form::new()
        .text("name", "PeerTube HLS only")
        .text("channelId", channel)
        .text("privacy", "1")
        .part(
            "videofile",
            reqwest::multipart::Part::bytes(bytes)
                .file_name("video.mp4")
                .mime_str("video/mp4")
                .unwrap(),
        );
    let (status, up) = send(
        pt.client
            .post(pt.api("/videos/upload"))
            .bearer_auth(&pt_token)
            .multipart(form),
    )
    .await;
    assert_eq!(status, 200, "{up}");
    let uuid = up["video"]["uuid"].as_str().unwrap().to_string();
    let theirs = eventually(180, async || {
        let (_, v) = send(pt.client.get(pt.api(&format!("/videos/{uuid}")))).await;
        (v["state"]["id"] == 1 && v["streamingPlaylists"][0]["files"][0].is_object()).then_some(v)
    })
    .await
    .unwrap_or_else(|| panic!("PeerTube never published its video:\n{}", pt.log_tail()));
    assert_eq!(theirs["files"], json!([]), "PeerTube was to make HLS only");

    // It reaches ferrotube with its streaming playlist, files and swarm.
    let ours = eventually(60, async || {
        let (status, v) = send(ft.client.get(ft.api(&format!("/videos/{uuid}")))).await;
        (status == 200 && v["streamingPlaylists"][0]["files"][0].is_object()).then_some(v)
    })
    .await
    .unwrap_or_else(|| {
        panic!(
            "the video never reached ferrotube with its playlist:\n{}\n{}",
            pt.log_tail(),
            ft.log_text()
        )
    });
    assert_eq!(ours["isLocal"], false);
    assert_eq!(ours["files"], json!([]));
    let (p, their_p) = (
        &ours["streamingPlaylists"][0],
        &theirs["streamingPlaylists"][0],
    );
    assert_same_shape(p, their_p, &[]);
    for key in ["playlistUrl", "segmentsSha256Url"] {
        assert_eq!(p[key], their_p[key], "{key}");
    }
    let (f, their_f) = (&p["files"][0], &their_p["files"][0]);
    for key in [
        "fileUrl",
        "size",
        "fps",
        "width",
        "height",
        "resolution",
        "metadataUrl",
    ] {
        assert_eq!(f[key], their_f[key], "{key}");
    }
    let xt = |m: &Value| {
        let m = m.as_str().unwrap_or_default();
        m.split("xt=urn:btih:").nth(1).map(|h| h[..40].to_string())
    };
    assert_eq!(xt(&f["magnetUri"]), xt(&their_f["magnetUri"]));
    let listed = listed_uuids(&ft).await;
    assert!(listed.contains(&uuid), "{listed:?}");

    // Its files answer from the origin: master playlist, a segment by range.
    let master_url = p["playlistUrl"].as_str().unwrap();
    let res = ft.client.get(master_url).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let master = res.text().await.unwrap();
    assert!(master.starts_with("#EXTM3U"), "{master}");
    let res = ft
        .client
        .get(f["fileUrl"].as_str().unwrap())
        .header("Range", "bytes=0-1023")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 206);

    // ferrotube's tracker knows the swarm PeerTube's player joins for it.
    let swarm = Sha1::digest(format!("2{master_url}+V0").as_bytes());
    let enc: String = swarm.iter().map(|b| format!("%{b:02X}")).collect();
    let announce = format!(
        "{}/tracker/announce?info_hash={enc}&peer_id=-FT0001-abcdefghijkl&port=6881&uploaded=0&downloaded=0&left=0&compact=1",
        ft.url
    );
    let body = ft
        .client
        .get(&announce)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&body).contains("failure reason"),
        "{}",
        String::from_utf8_lossy(&body)
    );

    // The other way: PeerTube follows ferrotube and imports a ferrotube video's HLS playlist.
    let (status, body) = send(
        pt.client
            .post(pt.api("/server/following"))
            .bearer_auth(&pt_token)
            .json(&json!({ "hosts": [ft.host] })),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    eventually(60, async || {
        let (_, list) = send(
            pt.client
                .get(pt.api("/server/following"))
                .bearer_auth(&pt_token),
        )
        .await;
        list["data"]
            .as_array()?
            .iter()
            .any(|f| f["following"]["host"] == ft.host && f["state"] == "accepted")
            .then_some(())
    })
    .await
    .unwrap_or_else(|| {
        panic!(
            "ferrotube never accepted PeerTube's follow:\n{}",
            pt.log_tail()
        )
    });
    let ours_uuid = media::upload_ok(&ft, &root, media::video().await, "ferrotube HLS", &[]).await;
    let local = media::wait_for(&ft, &root, &ours_uuid, |v| {
        v["state"]["id"] == 1 && v["streamingPlaylists"][0]["files"][0]["magnetUri"].is_string()
    })
    .await;
    let imported = eventually(60, async || {
        let (status, v) = send(pt.client.get(pt.api(&format!("/videos/{ours_uuid}")))).await;
        (status == 200 && v["streamingPlaylists"][0]["files"][0].is_object()).then_some(v)
    })
    .await
    .unwrap_or_else(|| {
        panic!(
            "PeerTube never listed ferrotube's video with its playlist:\n{}",
            pt.log_tail()
        )
    });
    let (p, their_p) = (
        &local["streamingPlaylists"][0],
        &imported["streamingPlaylists"][0],
    );
    for key in ["playlistUrl", "segmentsSha256Url"] {
        assert_eq!(p[key], their_p[key], "{key}");
    }
    let (f, their_f) = (&p["files"][0], &their_p["files"][0]);
    for key in ["fileUrl", "size", "fps", "width", "height", "resolution"] {
        assert_eq!(f[key], their_f[key], "{key}");
    }
    assert_eq!(xt(&f["magnetUri"]), xt(&their_f["magnetUri"]));
}

/// The UUIDs ferrotube lists.
async fn listed_uuids(ft: &TestServer) -> Vec<String> {
    let list = ft.get_json("/api/v1/videos?count=50").await;
    list["data"]
        .as_array()
        .map(|d| {
            d.iter()
                .filter_map(|v| v["uuid"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}
