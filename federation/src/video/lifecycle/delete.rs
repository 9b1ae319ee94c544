//! Deleting a local video: the Delete to other instances, the rows (HLS playlists and their
//! renditions go by cascade), the trackers' infohashes and every file, removed by the same
//! code as the rows.

use std::path::PathBuf;

use diesel_async::AsyncConnection;

use crate::error::FederationError;
use crate::models::video::{Video, VideoFull};
use crate::state::AppState;
use crate::video::{federate, infohashes, storage};

pub async fn delete_local(state: &AppState, video: &VideoFull) -> Result<(), FederationError> {
    let mut conn = state.conn().await?;
    let federated = federate::is_federable(video);
    let urls = state.urls.clone();
    let (video_id, full) = (video.video.id, video.clone());
    conn.transaction::<_, FederationError, _>(async move |conn| {
        if federated {
            federate::send_delete(conn, &urls, &full, false).await?;
        }
        Video::delete(conn, video_id).await?;
        Ok(())
    })
    .await?;
    drop(conn);
    for hash in video.tracker_infohashes() {
        infohashes::removed(state, &hash).await;
    }
    for p in files_of(state, video) {
        let _ = tokio::fs::remove_file(p).await;
    }
    if !video.streaming_playlists.is_empty() {
        let dir = storage::hls_video_dir(&state.config.storage, &video.video.uuid);
        let _ = tokio::fs::remove_dir_all(dir).await;
    }
    tracing::info!(video = %video.video.uuid, "video deleted");
    Ok(())
}

/// Every file a local video has on disk outside its HLS folder: its web videos, every
/// torrent, its images.
fn files_of(state: &AppState, video: &VideoFull) -> Vec<PathBuf> {
    let s = &state.config.storage;
    let mut paths = Vec::new();
    for f in video
        .streaming_playlists
        .iter()
        .flat_map(|p| p.files.iter())
    {
        if let Some(name) = &f.torrent_filename {
            paths.push(storage::torrent_path(s, name));
        }
    }
    for f in &video.files {
        if let Some(name) = &f.filename {
            paths.push(storage::video_file_path(s, name));
        }
        if let Some(name) = &f.torrent_filename {
            paths.push(storage::torrent_path(s, name));
        }
    }
    if let Some(name) = &video.video.thumbnail_filename {
        paths.push(storage::thumbnail_path(s, name));
    }
    if let Some(name) = &video.video.preview_filename {
        paths.push(storage::preview_path(s, name));
    }
    paths
}
