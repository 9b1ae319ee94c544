//! `manage-video-torrent`: builds a file's torrent off the request path, stores it under a
//! fresh name and tells every tracker of the new infohash.

use ferrotube_federation::AppState;
use ferrotube_federation::jobs::{BoxFuture, JobContext, JobError, JobHandler};
use ferrotube_federation::models::video::Video;
use ferrotube_federation::models::video_file::VideoFile;
use ferrotube_federation::video::jobs::TorrentPayload;
use ferrotube_federation::video::{infohashes, storage, urls};
use ferrotube_tracker::{TorrentSpec, build_torrent};
use serde_json::Value;

pub struct Torrent;

impl JobHandler for Torrent {
    fn run(&self, ctx: JobContext, payload: Value) -> BoxFuture<Result<(), JobError>> {
        Box::pin(async move {
            let p: TorrentPayload = super::payload(payload)?;
            let mut conn = ctx.state.conn().await?;
            let (Some(video), Some(file)) = (
                Video::find(&mut conn, p.video_id).await?,
                VideoFile::find(&mut conn, p.file_id).await?,
            ) else {
                // Deleted or replaced meanwhile: nothing left to do.
                return Ok(());
            };
            drop(conn);
            build_and_store(&ctx.state, &video, &file).await
        })
    }
}

/// Builds and records the torrent of a local file, replacing any previous one.
pub async fn build_and_store(
    state: &AppState,
    video: &Video,
    file: &VideoFile,
) -> Result<(), JobError> {
    let Some(filename) = file.filename.clone() else {
        return Ok(());
    };
    let public = ferrotube_federation::video::privacy::in_public_folder(video.privacy);
    let spec = TorrentSpec {
        name: video.name.clone(),
        resolution: file.resolution.max(0) as u32,
        extension: storage::dotted(&file.extension),
        file_path: storage::video_file_path(&state.config.storage, &filename),
        // A WebSeed only for files anyone may fetch, as PeerTube.
        file_url: urls::file_url(&state.urls, video, file).filter(|_| public),
        ws_announce: state.urls.tracker_ws.clone(),
        http_announce: urls::http_announce(&state.urls),
    };
    let built = tokio::task::spawn_blocking(move || build_torrent(&spec))
        .await
        .map_err(JobError::retry)?
        .map_err(JobError::permanent)?;
    let torrent_name = storage::new_torrent_filename(file.resolution);
    let path = storage::torrent_path(&state.config.storage, &torrent_name);
    tokio::fs::write(&path, &built.bytes)
        .await
        .map_err(JobError::retry)?;
    let mut conn = state.conn().await?;
    if VideoFile::find(&mut conn, file.id).await?.is_none() {
        let _ = tokio::fs::remove_file(&path).await;
        return Ok(());
    }
    VideoFile::set_torrent(&mut conn, file.id, &torrent_name, &built.info_hash_hex).await?;
    // Followers learn of the new torrent with an Update (a no-op for unpublished videos).
    if video.state == ferrotube_federation::video::state::PUBLISHED {
        ferrotube_federation::video::jobs::enqueue_federate(&mut conn, video.id, false).await?;
    }
    drop(conn);
    infohashes::added(state, &built.info_hash_hex).await;
    if let Some(old) = &file.torrent_filename {
        let _ = tokio::fs::remove_file(storage::torrent_path(&state.config.storage, old)).await;
    }
    if let Some(old) = file
        .info_hash
        .as_deref()
        .filter(|h| *h != built.info_hash_hex)
    {
        infohashes::removed(state, old).await;
    }
    tracing::info!(video = %video.uuid, file = file.id, info_hash = %built.info_hash_hex, "torrent built");
    Ok(())
}
