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
