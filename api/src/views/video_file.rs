//! A video's files as PeerTube's REST API shows them: `files[]` (web videos) and
//! `streamingPlaylists[]` (the HLS playlist with its renditions).

use ferrotube_federation::models::video::Video;
use ferrotube_federation::models::video_file::VideoFile;
use ferrotube_federation::models::video_streaming_playlist::StreamingPlaylistFull;
use ferrotube_federation::urls::InstanceUrls;
use ferrotube_federation::video::urls as vurls;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Resolution {
    pub id: i32,
    pub label: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VideoFileView {
    pub id: i64,
    pub resolution: Resolution,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub magnet_uri: Option<String>,
    pub size: i64,
    pub fps: i32,
    pub torrent_url: Option<String>,
    pub torrent_download_url: Option<String>,
    pub file_url: Option<String>,
    pub file_download_url: String,
    pub metadata_url: String,
    pub has_audio: bool,
    pub has_video: bool,
    /// PeerTube's FileStorage: 0, the file system.
    pub storage: i32,
}

impl VideoFileView {
    pub fn new(urls: &InstanceUrls, v: &Video, f: &VideoFile) -> Self {
        Self {
            id: f.id,
            resolution: Resolution {
                id: f.resolution,
                label: vurls::resolution_label(f.resolution),
            },
            width: f.width,
            height: f.height,
            magnet_uri: vurls::magnet(urls, v, f),
            size: f.size,
            fps: f.fps,
            torrent_url: vurls::torrent_url(urls, f),
            torrent_download_url: vurls::torrent_download_url(urls, f),
            file_url: vurls::file_url(urls, v, f),
            file_download_url: vurls::file_download_url(urls, v, f),
            metadata_url: vurls::metadata_url(urls, v, f),
            has_audio: f.has_audio,
            has_video: f.has_video,
            storage: 0,
        }
    }

    pub fn list(urls: &InstanceUrls, v: &Video, files: &[VideoFile]) -> Vec<Self> {
        files.iter().map(|f| Self::new(urls, v, f)).collect()
    }
}

/// A mirror of the playlist on another instance (none yet: ferrotube makes no redundancy).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Redundancy {
    pub base_url: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StreamingPlaylistView {
    pub id: i64,
    /// 1: HLS.
    #[serde(rename = "type")]
    pub kind: i16,
    pub playlist_url: Option<String>,
    pub segments_sha256_url: Option<String>,
    pub redundancies: Vec<Redundancy>,
    pub files: Vec<VideoFileView>,
}

impl StreamingPlaylistView {
    pub fn new(urls: &InstanceUrls, v: &Video, p: &StreamingPlaylistFull) -> Self {
        Self {
            id: p.playlist.id,
            kind: p.playlist.kind,
            playlist_url: vurls::master_playlist_url(urls, v, &p.playlist),
            segments_sha256_url: vurls::segments_sha256_url(urls, v, &p.playlist),
            redundancies: Vec::new(),
            files: VideoFileView::list(urls, v, &p.files),
        }
    }

    pub fn list(urls: &InstanceUrls, v: &Video, playlists: &[StreamingPlaylistFull]) -> Vec<Self> {
        playlists.iter().map(|p| Self::new(urls, v, p)).collect()
    }
}
