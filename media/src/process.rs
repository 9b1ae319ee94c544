//! Running a tool as a child process, bounded in time.

use std::process::Stdio;
use std::time::Duration;

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
