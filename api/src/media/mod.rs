//! ffprobe and ffmpeg as child processes: probing, thumbnails and web video transcoding.

pub mod ffprobe;
pub mod thumbnails;
pub mod transcode;

use std::process::Stdio;
use std::time::Duration;

use tokio::process::Command;

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("cannot run {0}: {1}")]
    Spawn(&'static str, std::io::Error),
    #[error("{0} timed out after {1:?}")]
    Timeout(&'static str, Duration),
    #[error("{tool} failed: {stderr}")]
    Failed { tool: &'static str, stderr: String },
    #[error("unreadable media: {0}")]
    Unreadable(String),
}

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
