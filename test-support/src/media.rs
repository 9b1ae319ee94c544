//! Media for upload tests: the committed tiny fixtures, files of given properties made by ffmpeg
//! once per test process (for tests that check those properties), and the upload helpers.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::OnceCell;

use crate::{Instance, fixtures, send};

fn dir() -> PathBuf {
    std::env::temp_dir().join(format!("ferrotube-media-{}", std::process::id()))
}

fn ffmpeg(args: &[&str]) {
    let out = Command::new("ffmpeg")
        .args(["-y", "-v", "error"])
        .args(args)
        .output();
    match out {
        Ok(o) if o.status.success() => {}
        Ok(o) => panic!("ffmpeg failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => panic!("ffmpeg is needed (scripts/test installs it): {e}"),
    }
}

/// The committed tiny video (2 s, 320x240, H.264/AAC): for tests that need some video.
pub fn tiny_video() -> PathBuf {
    fixtures::path(fixtures::TINY_MP4)
}

/// The committed tiny JPEG (320x240, plain red).
pub fn tiny_image() -> PathBuf {
    fixtures::path(fixtures::TINY_JPG)
}

/// A 5 s 640x360 test pattern with a 440 Hz tone, H.264/AAC.
pub async fn video() -> &'static Path {
    static V: OnceCell<PathBuf> = OnceCell::const_new();
    V.get_or_init(|| async {
        let _ = std::fs::create_dir_all(dir());
        let p = dir().join("video.mp4");
        let s = p.to_string_lossy().into_owned();
        ffmpeg(&[
            "-f",
            "lavfi",
            "-i",
            "testsrc=duration=5:size=640x360:rate=25",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:duration=5",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-shortest",
            &s,
        ]);
        p
    })
    .await
}

/// A 3 s MP3 with no picture.
pub async fn audio() -> &'static Path {
    static A: OnceCell<PathBuf> = OnceCell::const_new();
    A.get_or_init(|| async {
        let _ = std::fs::create_dir_all(dir());
        let p = dir().join("audio.mp3");
        let s = p.to_string_lossy().into_owned();
        ffmpeg(&[
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=330:duration=3",
            "-c:a",
            "libmp3lame",
            &s,
        ]);
        p
    })
    .await
}

/// Bytes that look like nothing ffprobe can read, named .mp4.
pub async fn corrupt() -> &'static Path {
    static C: OnceCell<PathBuf> = OnceCell::const_new();
    C.get_or_init(|| async {
        let _ = std::fs::create_dir_all(dir());
        let p = dir().join("corrupt.mp4");
        let junk: Vec<u8> = (0..50_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let _ = std::fs::write(&p, junk);
        p
    })
    .await
}

/// A multipart upload as PeerTube's CLI sends it; returns status and body.
pub async fn upload(
    s: &Instance,
    token: &str,
    file: &Path,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    upload_files(s, token, &[("videofile", file)], fields).await
}

/// A multipart upload of text `fields` and then files (`videofile`, `thumbnailfile`,
/// `previewfile`, …), each part named after its file; returns status and body.
pub async fn upload_files(
    s: &Instance,
    token: &str,
    files: &[(&str, &Path)],
    fields: &[(&str, &str)],
) -> (u16, Value) {
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    for (part, file) in files {
        let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // PeerTube checks each part's type, as a browser or its CLI sends it.
        let mime = match file.extension().and_then(|e| e.to_str()) {
            Some("mp4") => "video/mp4",
            Some("webm") => "video/webm",
            Some("jpg" | "jpeg") => "image/jpeg",
            Some("png") => "image/png",
            Some("m4a") => "audio/mp4",
            Some("mp3") => "audio/mpeg",
            _ => "application/octet-stream",
        };
        let part_body = reqwest::multipart::Part::bytes(bytes)
            .file_name(name)
            .mime_str(mime)
            .unwrap_or_else(|e| panic!("{mime}: {e}"));
        form = form.part(part.to_string(), part_body);
    }
    send(
        s.client
            .post(s.api("/videos/upload"))
            .bearer_auth(token)
            .multipart(form),
    )
    .await
}

/// Uploads to the caller's first channel and returns the new video's uuid.
pub async fn upload_ok(
    s: &Instance,
    token: &str,
    file: &Path,
    name: &str,
    extra: &[(&str, &str)],
) -> String {
    let (_, me) = send(s.client.get(s.api("/users/me")).bearer_auth(token)).await;
    let channel = me["videoChannels"][0]["id"].to_string();
    let mut fields = vec![("name", name), ("channelId", channel.as_str())];
    if !extra.iter().any(|(k, _)| *k == "privacy") {
        fields.push(("privacy", "1"));
    }
    fields.extend_from_slice(extra);
    let (status, body) = upload(s, token, file, &fields).await;
    assert_eq!(status, 200, "{body}");
    body["video"]["uuid"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Polls the video (with the owner's token) until `done` holds, as PeerTube's CLI polls.
pub async fn wait_for(
    s: &Instance,
    token: &str,
    uuid: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let (status, v) = send(
            s.client
                .get(s.api(&format!("/videos/{uuid}")))
                .bearer_auth(token),
        )
        .await;
        assert_eq!(status, 200, "{v}");
        if done(&v) {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "video never reached the expected state: {v}\n{}",
            s.log_text()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub fn published_with_torrents(v: &Value) -> bool {
    v["state"]["id"] == 1
        && v["files"].as_array().is_some_and(|f| {
            !f.is_empty()
                && f.iter()
                    .all(|f| f["torrentUrl"].is_string() && f["magnetUri"].is_string())
        })
        && v["thumbnailPath"].is_string()
}
