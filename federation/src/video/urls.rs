//! Public URLs of a video's files, torrents, images and magnet links, laid out as PeerTube's.

use crate::models::video::Video;
use crate::models::video_file::VideoFile;
use crate::models::video_streaming_playlist::StreamingPlaylist;
use crate::urls::InstanceUrls;

pub fn watch_url(urls: &InstanceUrls, video: &Video) -> String {
    if video.is_local {
        format!("{}/videos/watch/{}", urls.base, video.uuid)
    } else {
        video.url.clone()
    }
}

pub fn http_announce(urls: &InstanceUrls) -> String {
    format!("{}/tracker/announce", urls.base)
}

/// Files of non-public videos live behind `/private/`, served only to those allowed.
pub fn file_url(urls: &InstanceUrls, video: &Video, file: &VideoFile) -> Option<String> {
    if let Some(remote) = &file.file_url {
        return Some(remote.clone());
    }
    let name = file.filename.as_deref()?;
    if file.is_hls() {
        return Some(format!("{}/{name}", hls_base_url(urls, video)));
    }
    Some(if video.privacy.in_public_folder() {
        format!("{}/static/web-videos/{name}", urls.base)
    } else {
        format!("{}/static/web-videos/private/{name}", urls.base)
    })
}

pub fn file_download_url(urls: &InstanceUrls, video: &Video, file: &VideoFile) -> String {
    if file.is_hls() {
        return format!(
            "{}/download/streaming-playlists/hls/videos/{}-{}-fragmented.mp4",
            urls.base, video.uuid, file.resolution
        );
    }
    format!(
        "{}/download/web-videos/{}-{}.{}",
        urls.base,
        video.uuid,
        file.resolution,
        file.extension.trim_start_matches('.')
    )
}

pub fn torrent_url(urls: &InstanceUrls, file: &VideoFile) -> Option<String> {
    match &file.torrent_filename {
        Some(name) => Some(format!("{}/lazy-static/torrents/{name}", urls.base)),
        None => file.torrent_url.clone(),
    }
}

pub fn torrent_download_url(urls: &InstanceUrls, file: &VideoFile) -> Option<String> {
    match &file.torrent_filename {
        Some(name) => Some(format!("{}/download/torrents/{name}", urls.base)),
        None => file.torrent_url.clone(),
    }
}

/// Ours, or the origin's for a remote file that gave one.
pub fn metadata_url(urls: &InstanceUrls, video: &Video, file: &VideoFile) -> String {
    if let Some(remote) = &file.metadata_url {
        return remote.clone();
    }
    format!(
        "{}/api/v1/videos/{}/metadata/{}",
        urls.base, video.uuid, file.id
    )
}

/// `{URL}/static/streaming-playlists/hls/{uuid}`, under `/private/` for non-public videos:
/// where a local video's HLS files are served.
pub fn hls_base_url(urls: &InstanceUrls, video: &Video) -> String {
    if video.privacy.in_public_folder() {
        format!(
            "{}/static/streaming-playlists/hls/{}",
            urls.base, video.uuid
        )
    } else {
        format!(
            "{}/static/streaming-playlists/hls/private/{}",
            urls.base, video.uuid
        )
    }
}

/// The master playlist: ours, or the origin's for a remote video. Byte for byte what the
/// swarm ids are computed from.
pub fn master_playlist_url(
    urls: &InstanceUrls,
    video: &Video,
    playlist: &StreamingPlaylist,
) -> Option<String> {
    if video.is_local {
        Some(format!(
            "{}/{}",
            hls_base_url(urls, video),
            playlist.playlist_filename
        ))
    } else {
        playlist.playlist_url.clone()
    }
}

pub fn segments_sha256_url(
    urls: &InstanceUrls,
    video: &Video,
    playlist: &StreamingPlaylist,
) -> Option<String> {
    if video.is_local {
        let name = playlist.segments_sha256_filename.as_deref()?;
        Some(format!("{}/{name}", hls_base_url(urls, video)))
    } else {
        playlist.segments_sha256_url.clone()
    }
}

pub fn thumbnail_path(video: &Video) -> Option<String> {
    video
        .thumbnail_filename
        .as_ref()
        .map(|f| format!("/lazy-static/thumbnails/{f}"))
}

pub fn preview_path(video: &Video) -> Option<String> {
    video
        .preview_filename
        .as_ref()
        .map(|f| format!("/lazy-static/previews/{f}"))
}

/// PeerTube's magnet: `xs`, `xt`, `dn`, the HTTP then the WebSocket tracker, and `ws` (the
/// WebSeed) for public videos only.
pub fn magnet(urls: &InstanceUrls, video: &Video, file: &VideoFile) -> Option<String> {
    let info_hash = file.info_hash.as_deref()?;
    let torrent = torrent_url(urls, file)?;
    let public = video.privacy.in_public_folder();
    let web_seeds: Vec<String> = file_url(urls, video, file)
        .filter(|_| public)
        .into_iter()
        .collect();
    Some(super::magnet::magnet_uri(&super::magnet::MagnetSpec {
        torrent_url: &torrent,
        info_hash_hex: info_hash,
        video_name: &video.name,
        http_announce: &http_announce(urls),
        ws_announce: &urls.tracker_ws,
        web_seeds: &web_seeds,
    }))
}

pub fn resolution_label(resolution: i32) -> String {
    if resolution == 0 {
        "Audio".into()
    } else {
        format!("{resolution}p")
    }
}
