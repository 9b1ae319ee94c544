//! Video processing jobs: their type names and payloads, shared by the routes that enqueue
//! them and the workers that run them.

use serde::{Deserialize, Serialize};

/// Makes the miniature and the preview, from an image the uploader sent or from the video.
pub const THUMBNAILS: &str = "video-thumbnails";
/// Builds (or rebuilds, after a rename or privacy change) the torrent of one file.
pub const TORRENT: &str = "manage-video-torrent";
/// Transcodes the input into web video files, then publishes the video.
pub const TRANSCODE: &str = "video-transcoding";

/// Adds the views buffered in Redis to the videos (PeerTube does it every 30 minutes).
pub const VIEWS_FLUSH: &str = "video-views-flush";

/// Drops resumable uploads idle for an hour, with their partial files.
pub const UPLOADS_PURGE: &str = "resumable-uploads-purge";

/// Fetches a stale remote video again from its origin; a 404 or 410 deletes it.
pub const REFRESH: &str = "activitypub-refresher";

/// Remote videos older than this are fetched again when read (PeerTube: 2 days).
pub const REFRESH_AFTER: chrono::Duration = chrono::Duration::days(2);

/// Queues the refresh of a stale remote video (once while one is pending).
pub async fn enqueue_refresh(
    conn: &mut diesel_async::AsyncPgConnection,
    video_id: i64,
) -> Result<(), crate::FederationError> {
    let job = crate::models::job::NewJob::new(REFRESH, serde_json::json!({ "video_id": video_id }))
        .max_attempts(2)
        .dedup_key(video_id.to_string());
    crate::models::job::Job::enqueue(conn, &job).await?;
    Ok(())
}

/// Sends Create and Announces (a newly federable video) or an Update to followers.
pub const FEDERATE: &str = "federate-video";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FederatePayload {
    pub video_id: i64,
    /// Create and Announces when the video becomes federable; Update otherwise.
    pub is_new: bool,
}

/// Queues the federation of a video inside the caller's transaction.
pub async fn enqueue_federate(
    conn: &mut diesel_async::AsyncPgConnection,
    video_id: i64,
    is_new: bool,
) -> Result<(), crate::FederationError> {
    let payload = serde_json::to_value(FederatePayload { video_id, is_new })
        .map_err(|e| crate::FederationError::Internal(e.to_string()))?;
    let job = crate::models::job::NewJob::new(FEDERATE, payload)
        .max_attempts(3)
        .dedup_key(format!("{video_id}-{is_new}"));
    crate::models::job::Job::enqueue(conn, &job).await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ThumbnailsPayload {
    pub video_id: i64,
    /// Uploaded images in the tmp folder, used instead of a frame when present.
    pub thumbnail_source: Option<String>,
    pub preview_source: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TorrentPayload {
    pub video_id: i64,
    pub file_id: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TranscodePayload {
    pub video_id: i64,
    /// The uploaded file's row, replaced by the transcoded files.
    pub input_file_id: i64,
}
