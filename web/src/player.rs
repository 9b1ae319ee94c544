//! The player of watch and embed pages: the configuration JSON `player/` reads (its shape is
//! documented in DEVELOPERS.md, "Player") and the plain `<video>` that plays without
//! JavaScript.

use ferrotube_federation::models::video::VideoFull;
use ferrotube_federation::models::video_file::VideoFile;
use ferrotube_federation::video::urls as vurls;
use serde::Serialize;

use crate::site::Site;

/// PeerTube's watching interval (`views.videos.watching_interval.anonymous`).
const VIEW_INTERVAL_MS: u32 = 5000;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlayerConfig<'a> {
    mount: &'static str,
    video: PlayerVideo<'a>,
    hls: Option<HlsPlaylist>,
    web_video_files: Vec<PlayerFile>,
    p2p: P2p<'a>,
    views: Option<Views>,
    viewer: Viewer,
    requires_auth: bool,
    video_file_token: Option<String>,
    start_time: u32,
    autoplay: bool,
    muted: bool,
}

#[derive(Serialize)]
struct PlayerVideo<'a> {
    id: i64,
    uuid: String,
    name: &'a str,
    duration: i32,
}

/// A video's HLS streaming playlist, as PeerTube's REST API advertises it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HlsPlaylist {
    /// Byte for byte PeerTube's `streamingPlaylists[0].playlistUrl`: it names the P2P swarm.
    pub playlist_url: String,
    /// Without it P2P stays off: segments from peers could not be checked.
    pub segments_sha256_url: Option<String>,
    /// The renditions' fragmented MP4s.
    pub files: Vec<PlayerFile>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlayerFile {
    pub resolution: i32,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub fps: i32,
    pub size: Option<i64>,
    pub file_url: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct P2p<'a> {
    enabled: bool,
    tracker_urls: &'a [String],
    stun_servers: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Views {
    url: String,
    interval_ms: u32,
}

/// Pages are rendered for anonymous viewers: no token is ever written into them.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Viewer {
    logged_in: bool,
    access_token: Option<String>,
}

/// How a page wants the player to start (`?start=`, and the embed's `autoplay`, `muted`,
/// `p2p`).
#[derive(Debug, Default, Clone, Copy)]
pub struct Start {
    pub time: u32,
    pub autoplay: bool,
    pub muted: bool,
    pub p2p: bool,
}

/// The HLS playlist of a video, when it has one. Videos have no streaming playlists yet (HLS
/// generation comes with its own model); this is the one place that will read them, so that
/// every page's player gets HLS, and P2P, as soon as a video has it.
pub fn hls_playlist(_full: &VideoFull) -> Option<HlsPlaylist> {
    None
}

fn player_file(site: &Site, full: &VideoFull, f: &VideoFile) -> Option<PlayerFile> {
    Some(PlayerFile {
        resolution: f.resolution,
        width: f.width,
        height: f.height,
        fps: f.fps,
        size: Some(f.size),
        file_url: vurls::file_url(&site.urls, &full.video, f)?,
    })
}

/// The web-video files, highest resolution first (the model's order).
pub fn web_video_files(site: &Site, full: &VideoFull) -> Vec<PlayerFile> {
    full.files
        .iter()
        .filter_map(|f| player_file(site, full, f))
        .collect()
}

impl<'a> PlayerConfig<'a> {
    pub fn new(site: &'a Site, full: &'a VideoFull, start: Start) -> Self {
        let v = &full.video;
        let hls = hls_playlist(full);
        let p2p = start.p2p && hls.is_some() && !site.tracker_urls.is_empty();
        Self {
            // The element of templates/player.html that holds the page's `<video>`.
            mount: "#ferrotube-player",
            video: PlayerVideo {
                id: v.id,
                uuid: v.uuid.to_string(),
                name: &v.name,
                duration: v.duration,
            },
            hls,
            web_video_files: web_video_files(site, full),
            p2p: P2p {
                enabled: p2p,
                tracker_urls: &site.tracker_urls,
                stun_servers: &site.stun_servers,
            },
            views: Some(Views {
                url: site.url(&format!("/api/v1/videos/{}/views", v.uuid)),
                interval_ms: VIEW_INTERVAL_MS,
            }),
            viewer: Viewer {
                logged_in: false,
                access_token: None,
            },
            requires_auth: false,
            video_file_token: None,
            start_time: start.time,
            autoplay: start.autoplay,
            muted: start.muted,
        }
    }

    /// What the `<video>` plays without JavaScript.
    pub fn fallback(&self) -> Fallback {
        // The largest web video up to 720p (light enough for any viewer), else the smallest.
        let files = &self.web_video_files;
        let web = files
            .iter()
            .find(|f| f.resolution <= 720 && f.resolution > 0)
            .or_else(|| files.last())
            .map(|f| f.file_url.clone());
        match (web, &self.hls) {
            (Some(src), _) => Fallback {
                src: Some(src),
                sources: Vec::new(),
            },
            // HLS only: the master playlist for browsers that play HLS natively, then a
            // rendition's fragmented MP4 for the others.
            (None, Some(hls)) => Fallback {
                src: None,
                sources: std::iter::once(Source {
                    src: hls.playlist_url.clone(),
                    media_type: "application/vnd.apple.mpegurl",
                })
                .chain(
                    hls.files
                        .iter()
                        .find(|f| f.resolution <= 720)
                        .map(|f| Source {
                            src: f.file_url.clone(),
                            media_type: "video/mp4",
                        }),
                )
                .collect(),
            },
            (None, None) => Fallback {
                src: None,
                sources: Vec::new(),
            },
        }
    }
}

/// The plain `<video>`: a `src`, or `<source>` elements.
pub struct Fallback {
    pub src: Option<String>,
    pub sources: Vec<Source>,
}

pub struct Source {
    pub src: String,
    pub media_type: &'static str,
}
