//! Queues the processing of uploaded videos in the durable job queue, inside the caller's
//! transaction so a rolled-back upload leaves no job behind.

use diesel_async::AsyncPgConnection;
use ferrotube_federation::models::job::{Job, NewJob};
use ferrotube_federation::models::video::Video;
use ferrotube_federation::models::video_file::VideoFile;
use ferrotube_federation::video::jobs::{
    THUMBNAILS, TORRENT, TRANSCODE, ThumbnailsPayload, TorrentPayload, TranscodePayload,
};
use serde::Serialize;

use crate::error::{ApiError, ApiResult};

fn payload(p: &impl Serialize) -> ApiResult<serde_json::Value> {
    serde_json::to_value(p).map_err(|e| ApiError::bad_request(e.to_string()))
}

pub async fn enqueue_torrent(
    conn: &mut AsyncPgConnection,
    video_id: i64,
    file_id: i64,
) -> ApiResult<()> {
    let job = NewJob::new(TORRENT, payload(&TorrentPayload { video_id, file_id })?)
        .max_attempts(3)
        .dedup_key(format!("file-{file_id}"));
    Job::enqueue(conn, &job).await?;
    Ok(())
}

/// Thumbnails first (the uploader waits for them, and federation waits for them: PeerTube
/// refuses a Video without a JPEG icon), then the torrent of the uploaded file so clients can
/// fetch it at once, then transcoding when it is needed.
pub async fn enqueue_after_upload(
    conn: &mut AsyncPgConnection,
    video: &Video,
    file: &VideoFile,
    transcode: bool,
    thumbnail_source: Option<String>,
    preview_source: Option<String>,
) -> ApiResult<()> {
    let thumbs = ThumbnailsPayload {
        video_id: video.id,
        thumbnail_source,
        preview_source,
    };
    Job::enqueue(
        conn,
        &NewJob::new(THUMBNAILS, payload(&thumbs)?).priority(-2),
    )
    .await?;
    enqueue_torrent(conn, video.id, file.id).await?;
    if transcode {
        let t = TranscodePayload {
            video_id: video.id,
            input_file_id: file.id,
        };
        Job::enqueue(conn, &NewJob::new(TRANSCODE, payload(&t)?).priority(1)).await?;
    }
    Ok(())
}
