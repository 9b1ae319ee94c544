//! Web video transcoding: H.264 + AAC in MP4 with the index at the front, as PeerTube's
//! `optimize-to-web-video`; audio-only input becomes a 480p, 25 fps video over a still image.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use crate::MediaError;

pub struct TranscodeSpec<'a> {
    pub input: &'a Path,
    pub output: &'a Path,
    /// Target resolution (the smaller side); None keeps the input's.
    pub resolution: Option<i32>,
    pub portrait: bool,
    /// Frame rate cap, PeerTube's `fps.max` (60).
    pub max_fps: i32,
    pub input_fps: i32,
    pub duration_secs: f64,
    pub threads: u32,
    pub timeout: Duration,
    /// For audio-only input: the still image to show.
    pub still_image: Option<&'a Path>,
}

/// Runs ffmpeg, calling `progress` with 0–100 as it goes.
pub async fn transcode(
    spec: TranscodeSpec<'_>,
    mut progress: impl FnMut(u8) + Send,
) -> Result<(), MediaError> {
    let mut args: Vec<String> = vec!["-y".into(), "-v".into(), "error".into()];
    match spec.still_image {
        Some(image) => {
            args.extend(["-loop".into(), "1".into(), "-i".into()]);
            args.push(image.to_string_lossy().into());
            args.push("-i".into());
            args.push(spec.input.to_string_lossy().into());
            args.extend(
                [
                    "-map",
                    "0:v",
                    "-map",
                    "1:a",
                    "-shortest",
                    "-tune",
                    "stillimage",
                    "-r",
                    "25",
                    "-vf",
                    "scale=-2:480,format=yuv420p",
                ]
                .map(String::from),
            );
        }
        None => {
            args.push("-i".into());
            args.push(spec.input.to_string_lossy().into());
            let scale = match (spec.resolution, spec.portrait) {
                (Some(r), false) => format!("scale=-2:{r},format=yuv420p"),
                (Some(r), true) => format!("scale={r}:-2,format=yuv420p"),
                (None, _) => "scale=trunc(iw/2)*2:trunc(ih/2)*2,format=yuv420p".into(),
            };
            args.extend([
                "-map".into(),
                "0:v:0".into(),
                "-map".into(),
                "0:a:0?".into(),
            ]);
            args.extend(["-vf".into(), scale]);
            if spec.input_fps > spec.max_fps {
                args.extend(["-r".into(), spec.max_fps.to_string()]);
            }
        }
    }
    args.extend(
        [
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-crf",
            "23",
            "-profile:v",
            "high",
            "-level",
            "4.1",
            "-c:a",
            "aac",
            "-b:a",
            "128k",
            "-ar",
            "48000",
            "-movflags",
            "+faststart",
            "-max_muxing_queue_size",
            "1024",
            "-progress",
            "pipe:1",
            "-nostats",
        ]
        .map(String::from),
    );
    args.extend(["-threads".into(), spec.threads.max(1).to_string()]);
    args.push(spec.output.to_string_lossy().into());

    let mut child = Command::new("ffmpeg")
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| MediaError::Spawn("ffmpeg", e))?;
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let total_us = (spec.duration_secs * 1_000_000.0).max(1.0);
    let work = async {
        let stderr_task = tokio::spawn(async move {
            let mut text = String::new();
            if let Some(err) = stderr {
                let mut lines = BufReader::new(err).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    if text.len() < 4000 {
                        text.push_str(&line);
                        text.push('\n');
                    }
                }
            }
            text
        });
        if let Some(out) = stdout {
            let mut lines = BufReader::new(out).lines();
            let mut last = 0u8;
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(us) = line
                    .strip_prefix("out_time_us=")
                    .and_then(|v| v.parse::<f64>().ok())
                {
                    let pct = ((us / total_us) * 100.0).clamp(0.0, 99.0) as u8;
                    if pct != last {
                        last = pct;
                        progress(pct);
                    }
                }
            }
        }
        let status = child
            .wait()
            .await
            .map_err(|e| MediaError::Spawn("ffmpeg", e))?;
        let stderr = stderr_task.await.unwrap_or_default();
        if status.success() {
            progress(100);
            Ok(())
        } else {
            let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
            Err(MediaError::Failed {
                tool: "ffmpeg",
                stderr: tail.join(" | "),
            })
        }
    };
    tokio::time::timeout(spec.timeout, work)
        .await
        .map_err(|_| MediaError::Timeout("ffmpeg", spec.timeout))?
}
