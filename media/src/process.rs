//! Running a tool as a child process, bounded in time.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use crate::MediaError;

/// Runs a tool to completion within `limit`; the child is killed when the limit passes.
pub(crate) async fn run(
    tool: &'static str,
    args: &[&str],
    limit: Duration,
) -> Result<Vec<u8>, MediaError> {
    let child = Command::new(tool)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| MediaError::Spawn(tool, e))?;
    let out = tokio::time::timeout(limit, child.wait_with_output())
        .await
        .map_err(|_| MediaError::Timeout(tool, limit))?
        .map_err(|e| MediaError::Spawn(tool, e))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let tail: String = stderr.lines().rev().take(5).collect::<Vec<_>>().join(" | ");
        return Err(MediaError::Failed { tool, stderr: tail });
    }
    Ok(out.stdout)
}

/// Runs ffmpeg with `-progress pipe:1` appended, calling `progress` with 0–100 (of
/// `duration_secs` of output) as it goes; killed after `limit`.
pub(crate) async fn run_ffmpeg_with_progress(
    args: &[String],
    duration_secs: f64,
    limit: Duration,
    mut progress: impl FnMut(u8) + Send,
) -> Result<(), MediaError> {
    let mut child = Command::new("ffmpeg")
        .args(args)
        .args(["-progress", "pipe:1", "-nostats"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| MediaError::Spawn("ffmpeg", e))?;
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let total_us = (duration_secs * 1_000_000.0).max(1.0);
    let work = async {
        // Read stderr alongside stdout so a chatty ffmpeg never blocks on a full pipe.
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
    tokio::time::timeout(limit, work)
        .await
        .map_err(|_| MediaError::Timeout("ffmpeg", limit))?
}
