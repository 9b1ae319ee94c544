//! What an uploaded file is, from ffprobe: a file it cannot read is the uploader's fault.

use std::path::Path;

use ferrotube_media::{MediaError, Probe};

use crate::error::FederationError;

/// Probes an upload: `UnreadableVideo` when ffprobe cannot read it, `Media` when ffprobe itself
/// failed (not found, timed out).
pub async fn upload(path: &Path) -> Result<Probe, FederationError> {
    ferrotube_media::probe(path).await.map_err(|e| match e {
        MediaError::Unreadable(why) => {
            tracing::info!(%why, "refused an unreadable upload");
            FederationError::UnreadableVideo(MediaError::Unreadable(why))
        }
        other => FederationError::Media(other),
    })
}
