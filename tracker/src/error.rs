//! The tracker crate's one error type. Announce refusals carry the exact text clients receive
//! as `failure reason`.

#[derive(Debug, thiserror::Error)]
pub enum TrackerError {
    #[error("Tracker is disabled on this instance.")]
    Disabled,
    #[error("Unknown infoHash {0}")]
    UnknownInfoHash(String),
    #[error("Too many announces for infoHash {0}")]
    TooManyAnnounces(String),
    /// A malformed request; the text names the offending parameter.
    #[error("{0}")]
    Invalid(&'static str),
    #[error("{0}")]
    Io(String),
    #[error("torrent: {0}")]
    Torrent(String),
}
