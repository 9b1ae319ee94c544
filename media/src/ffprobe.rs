//! What ffprobe tells of a media file: duration, dimensions, frame rate, streams.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::MediaError;
use crate::process::run;

#[derive(Debug, Clone)]
pub struct Probe {
    pub duration_secs: f64,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub fps: i32,
    pub has_video: bool,
    pub has_audio: bool,
    pub video_codec: Option<String>,
    pub audio_codec: Option<String>,
    /// The video stream's codec tag (`avc1`), profile (`High`) and level (`30`): what an HLS
    /// master playlist's `CODECS` is made of.
    pub video_codec_tag: Option<String>,
    pub video_profile: Option<String>,
    pub video_level: Option<i64>,
    pub size: u64,
    /// ffprobe's whole JSON (format and streams), served as the file's metadata.
    pub raw: Value,
}

impl Probe {
    /// PeerTube's resolution of a file: the smaller side, so portrait videos count right.
    pub fn resolution(&self) -> i32 {
        match (self.width, self.height) {
            (Some(w), Some(h)) if self.has_video => w.min(h),
            _ => 0,
        }
    }

    pub fn aspect_ratio(&self) -> Option<f32> {
        match (self.width, self.height) {
            (Some(w), Some(h)) if h > 0 && self.has_video => {
                Some(((w as f64 / h as f64) * 10_000.0).round() as f32 / 10_000.0)
            }
            _ => None,
        }
    }
}

fn frame_rate(s: &str) -> Option<f64> {
    let (n, d) = s.split_once('/')?;
    let (n, d): (f64, f64) = (n.parse().ok()?, d.parse().ok()?);
    (d > 0.0).then(|| n / d)
}

pub async fn probe(path: &Path) -> Result<Probe, MediaError> {
    let path_str = path.to_string_lossy();
    let out = run(
        "ffprobe",
        &[
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
            &path_str,
        ],
        Duration::from_secs(60),
    )
    .await
    .map_err(|e| match e {
        MediaError::Failed { stderr, .. } => MediaError::Unreadable(stderr),
        other => other,
    })?;
    let raw: Value = serde_json::from_slice(&out)
        .map_err(|e| MediaError::Unreadable(format!("ffprobe output: {e}")))?;
    let streams = raw["streams"].as_array().cloned().unwrap_or_default();
    // Cover art is a "video" stream too; it does not make an audio file a video.
    let video = streams.iter().find(|s| {
        s["codec_type"] == "video" && s["disposition"]["attached_pic"].as_i64() != Some(1)
    });
    let audio = streams.iter().find(|s| s["codec_type"] == "audio");
    if video.is_none() && audio.is_none() {
        return Err(MediaError::Unreadable("no audio or video stream".into()));
    }
    let duration_secs = raw["format"]["duration"]
        .as_str()
        .and_then(|d| d.parse::<f64>().ok())
        .or_else(|| {
            video
                .or(audio)
                .and_then(|s| s["duration"].as_str())
                .and_then(|d| d.parse().ok())
        })
        .filter(|d: &f64| d.is_finite() && *d >= 0.0)
        .ok_or_else(|| MediaError::Unreadable("no duration".into()))?;
    let fps = video
        .and_then(|v| {
            v["avg_frame_rate"]
                .as_str()
                .and_then(frame_rate)
                .filter(|f| *f > 0.0)
                .or_else(|| v["r_frame_rate"].as_str().and_then(frame_rate))
        })
        .map(|f| f.round() as i32)
        .unwrap_or(0);
    let size = tokio::fs::metadata(path)
        .await
        .map(|m| m.len())
        .unwrap_or(0);
    Ok(Probe {
        duration_secs,
        width: video.and_then(|v| v["width"].as_i64()).map(|w| w as i32),
        height: video.and_then(|v| v["height"].as_i64()).map(|h| h as i32),
        fps,
        has_video: video.is_some(),
        has_audio: audio.is_some(),
        video_codec: video
            .and_then(|v| v["codec_name"].as_str())
            .map(str::to_string),
        audio_codec: audio
            .and_then(|a| a["codec_name"].as_str())
            .map(str::to_string),
        video_codec_tag: video
            .and_then(|v| v["codec_tag_string"].as_str())
            .map(str::to_string),
        video_profile: video
            .and_then(|v| v["profile"].as_str())
            .map(str::to_string),
        video_level: video.and_then(|v| v["level"].as_i64()),
        size,
        raw,
    })
}
