//! A local video's HLS playlist files: the master playlist and `segments-sha256.json`,
//! rewritten under fresh names from the renditions on disk (as PeerTube does after each
//! rendition), and the swarm ids the master playlist's URL gives, told to the tracker.

use ferrotube_media::hls::master::{Rendition, bandwidth, codecs, master_playlist};
use ferrotube_media::hls::segments::{FileHashes, SegmentsSha256, byte_ranges, hash_ranges};

use crate::error::FederationError;
use crate::models::video::Video;
use crate::models::video_file::VideoFile;
use crate::models::video_streaming_playlist::{StreamingPlaylist, StreamingPlaylistFull};
use crate::state::AppState;
use crate::video::{infohashes, storage, urls};

/// Writes the master playlist and segment hashes of `playlist` over `files` (its renditions),
/// records their names and the new swarm ids, and tells the tracker.
pub async fn write_playlist_files(
    state: &AppState,
    video: &Video,
    playlist: &StreamingPlaylist,
    files: &[VideoFile],
) -> Result<(), FederationError> {
    let s = &state.config.storage;
    let mut renditions = Vec::new();
    let mut hashes = Vec::new();
    for f in files {
        let Some(name) = f.filename.as_deref() else {
            continue;
        };
        let path = storage::hls_file_path(s, &video.uuid, name);
        let variant = storage::hls_variant_playlist_filename(name);
        let probe = ferrotube_media::probe(&path).await?;
        renditions.push(Rendition {
            playlist_filename: variant.clone(),
            resolution: f.resolution,
            width: probe.width.unwrap_or(0),
            height: probe.height.unwrap_or(0),
            fps: f.fps,
            bandwidth: bandwidth(u64::try_from(f.size).unwrap_or(0), video.duration),
            codecs: codecs(&probe),
        });
        let text = tokio::fs::read_to_string(storage::hls_file_path(s, &video.uuid, &variant))
            .await
            .map_err(FederationError::io("reading a variant playlist"))?;
        hashes.push(FileHashes {
            filename: name.to_string(),
            ranges: hash_ranges(&path, &byte_ranges(&text)).await?,
        });
    }
    let master_name = storage::new_hls_master_filename();
    let sha_name = storage::new_hls_segments_sha256_filename();
    let json = serde_json::to_vec(&SegmentsSha256(hashes))
        .map_err(|e| FederationError::Internal(format!("segments-sha256.json: {e}")))?;
    let write = async |name: &str, bytes: &[u8]| {
        tokio::fs::write(storage::hls_file_path(s, &video.uuid, name), bytes)
            .await
            .map_err(FederationError::io("writing an HLS playlist"))
    };
    write(&master_name, master_playlist(&renditions).as_bytes()).await?;
    write(&sha_name, &json).await?;
    let renamed = StreamingPlaylist {
        playlist_filename: master_name.clone(),
        ..playlist.clone()
    };
    let master_url = urls::master_playlist_url(&state.urls, video, &renamed).unwrap_or_default();
    let swarm_ids = infohashes::hls_swarm_ids(&master_url, renditions.len());
    let mut conn = state.conn().await?;
    StreamingPlaylist::set_outputs(&mut conn, playlist.id, &master_name, &sha_name, &swarm_ids)
        .await?;
    drop(conn);
    infohashes::changed(state, &playlist.p2p_media_loader_infohashes, &swarm_ids).await;
    let old = [
        Some(playlist.playlist_filename.as_str()),
        playlist.segments_sha256_filename.as_deref(),
    ];
    for name in old.into_iter().flatten() {
        if name != master_name && name != sha_name && storage::is_safe_filename(name) {
            let _ = tokio::fs::remove_file(storage::hls_file_path(s, &video.uuid, name)).await;
        }
    }
    tracing::info!(video = %video.uuid, renditions = renditions.len(), %master_url, "HLS playlist written");
    Ok(())
}

/// The swarm ids of each playlist again, after a privacy change moved the master playlist's
/// URL between the public and the private path.
pub async fn refresh_swarm_ids(
    state: &AppState,
    video: &Video,
    playlists: &[StreamingPlaylistFull],
) -> Result<(), FederationError> {
    for StreamingPlaylistFull { playlist, files } in playlists {
        let Some(master_url) = urls::master_playlist_url(&state.urls, video, playlist) else {
            continue;
        };
        let ids = infohashes::hls_swarm_ids(&master_url, files.len());
        if ids == playlist.p2p_media_loader_infohashes {
            continue;
        }
        let mut conn = state.conn().await?;
        StreamingPlaylist::set_infohashes(&mut conn, playlist.id, &ids).await?;
        drop(conn);
        infohashes::changed(state, &playlist.p2p_media_loader_infohashes, &ids).await;
    }
    Ok(())
}
