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
    /// Whether `web_video_files` are web videos (else the renditions' fragmented MP4s).
    #[serde(skip)]
    has_web_videos: bool,
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

#[derive(Clone, Serialize)]
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

/// The HLS playlist of a video, when it has one with renditions: the URLs the REST API gives
/// (the master playlist's names the swarm), so every page's player gets HLS and P2P.
pub fn hls_playlist(site: &Site, full: &VideoFull) -> Option<HlsPlaylist> {
    let hls = full.hls()?;
    let files: Vec<PlayerFile> = hls
        .files
        .iter()
        .filter_map(|f| player_file(site, full, f))
        .collect();
    if files.is_empty() {
        return None;
    }
    Some(HlsPlaylist {
        playlist_url: vurls::master_playlist_url(&site.urls, &full.video, &hls.playlist)?,
        segments_sha256_url: vurls::segments_sha256_url(&site.urls, &full.video, &hls.playlist),
        files,
    })
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
        let hls = hls_playlist(site, full);
        // Peers' segments are only taken when they can be checked against segments-sha256.
        let checkable = hls
            .as_ref()
            .is_some_and(|h| h.segments_sha256_url.is_some());
        let p2p = start.p2p && checkable && !site.tracker_urls.is_empty();
        // Without web videos the player falls back to the renditions' fragmented MP4s, which
        // browsers also play progressively (as PeerTube's player does).
        let mut web_video_files = web_video_files(site, full);
        let has_web_videos = !web_video_files.is_empty();
        if let Some(h) = hls.as_ref().filter(|_| web_video_files.is_empty()) {
            web_video_files = h.files.clone();
        }
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
            web_video_files,
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
            has_web_videos,
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
            .filter(|_| self.has_web_videos)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn file(resolution: i32, url: &str) -> PlayerFile {
        PlayerFile {
            resolution,
            width: None,
            height: None,
            fps: 30,
            size: None,
            file_url: url.into(),
        }
    }

    fn config(web: Vec<PlayerFile>, hls: Option<HlsPlaylist>) -> PlayerConfig<'static> {
        PlayerConfig {
            mount: "#ferrotube-player",
            video: PlayerVideo {
                id: 1,
                uuid: String::new(),
                name: "",
                duration: 1,
            },
            has_web_videos: !web.is_empty(),
            hls,
            web_video_files: web,
            p2p: P2p {
                enabled: false,
                tracker_urls: &[],
                stun_servers: &[],
            },
            views: None,
            viewer: Viewer {
                logged_in: false,
                access_token: None,
            },
            requires_auth: false,
            video_file_token: None,
            start_time: 0,
            autoplay: false,
            muted: false,
        }
    }

    #[test]
    fn the_no_js_video_plays_a_web_video_up_to_720p() {
        let c = config(
            vec![
                file(1080, "/1080.mp4"),
                file(720, "/720.mp4"),
                file(360, "/360.mp4"),
            ],
            None,
        );
        let f = c.fallback();
        assert_eq!(f.src.as_deref(), Some("/720.mp4"));
        assert!(f.sources.is_empty());
        let c = config(vec![file(1080, "/1080.mp4")], None);
        assert_eq!(c.fallback().src.as_deref(), Some("/1080.mp4"));
    }

    #[test]
    fn hls_only_videos_offer_the_master_then_a_fragmented_mp4() {
        let hls = HlsPlaylist {
            playlist_url: "/master.m3u8".into(),
            segments_sha256_url: Some("/sha.json".into()),
            files: vec![
                file(1080, "/1080-fragmented.mp4"),
                file(480, "/480-fragmented.mp4"),
            ],
        };
        let mut c = config(Vec::new(), Some(hls));
        c.web_video_files = c.hls.as_ref().map(|h| h.files.clone()).unwrap_or_default();
        let f = c.fallback();
        assert!(f.src.is_none());
        let sources: Vec<(&str, &str)> = f
            .sources
            .iter()
            .map(|s| (s.src.as_str(), s.media_type))
            .collect();
        assert_eq!(
            sources,
            vec![
                ("/master.m3u8", "application/vnd.apple.mpegurl"),
                ("/480-fragmented.mp4", "video/mp4")
            ]
        );
    }
}
