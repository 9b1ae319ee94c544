//! A file's torrent (a web video's, or an HLS rendition's `-hls.torrent` whose WebSeed is the
//! fragmented MP4): built off the request path, stored under a fresh name, and announced to
//! every tracker by its new infohash. Building itself is the tracker crate's.

use ferrotube_tracker::{TorrentSpec, build_torrent};

use crate::models::enums::VideoState;
use crate::models::video::Video;
use crate::models::video_file::VideoFile;
use crate::queue::{BackgroundJob, JobError};
use crate::state::AppState;
use crate::video::jobs::federate::FederateVideo;
use crate::video::{infohashes, storage, urls};

/// Builds and records the torrent of a local file, replacing any previous one. With `federate`,
/// followers of a published video get an Update naming the new torrent.
pub async fn build_and_store(
    state: &AppState,
    video: &Video,
    file: &VideoFile,
    federate: bool,
) -> Result<(), JobError> {
    let Some(filename) = file.filename.clone() else {
        return Ok(());
    };
    let public = video.privacy.in_public_folder();
    let s = &state.config.storage;
    let (file_path, torrent_name) = if file.is_hls() {
        (
            storage::hls_file_path(s, &video.uuid, &filename),
            storage::new_hls_torrent_filename(file.resolution),
        )
    } else {
        (
            storage::video_file_path(s, &filename),
            storage::new_torrent_filename(file.resolution),
        )
    };
    let spec = TorrentSpec {
        name: video.name.clone(),
        resolution: file.resolution.max(0) as u32,
        extension: storage::dotted(&file.extension),
        file_path,
        // A WebSeed only for files anyone may fetch, as PeerTube.
        file_url: urls::file_url(&state.urls, video, file).filter(|_| public),
        ws_announce: state.urls.tracker_ws.clone(),
        http_announce: urls::http_announce(&state.urls),
    };
    let built = tokio::task::spawn_blocking(move || build_torrent(&spec))
        .await
        .map_err(JobError::retry)?
        .map_err(JobError::permanent)?;
    let path = storage::torrent_path(s, &torrent_name);
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
    if federate && video.state == VideoState::Published {
        FederateVideo::update(video.id).enqueue(&mut conn).await?;
    }
    drop(conn);
    infohashes::added(state, &built.info_hash_hex).await;
    if let Some(old) = &file.torrent_filename {
        let _ = tokio::fs::remove_file(storage::torrent_path(s, old)).await;
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
