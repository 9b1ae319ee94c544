//! The media crate's one error type.

use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("cannot run {0}: {1}")]
    Spawn(&'static str, #[source] std::io::Error),
    #[error("{0} timed out after {1:?}")]
    Timeout(&'static str, Duration),
    #[error("{tool} failed: {stderr}")]
    Failed { tool: &'static str, stderr: String },
    /// The input is not media ffprobe can read: the uploader's fault, not ours.
    #[error("unreadable media: {0}")]
    Unreadable(String),
    /// Reading or writing our own outputs (playlists, segments).
    #[error("{0}: {1}")]
    Io(&'static str, #[source] std::io::Error),
}

impl MediaError {
    /// An `Io` error of `what`, for `map_err`.
    pub(crate) fn io(what: &'static str) -> impl FnOnce(std::io::Error) -> Self {
        move |e| Self::Io(what, e)
    }
}
