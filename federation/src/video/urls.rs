//! Public URLs of a video's files, torrents, images and magnet links, laid out as PeerTube's.

use crate::models::video::Video;
use crate::models::video_file::VideoFile;
use crate::urls::InstanceUrls;
use crate::video::privacy;

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
    Some(
        if video.privacy == privacy::PUBLIC || video.privacy == privacy::UNLISTED {
            format!("{}/static/web-videos/{name}", urls.base)
        } else {
            format!("{}/static/web-videos/private/{name}", urls.base)
        },
    )
}

pub fn file_download_url(urls: &InstanceUrls, video: &Video, file: &VideoFile) -> String {
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

pub fn metadata_url(urls: &InstanceUrls, video: &Video, file: &VideoFile) -> String {
    format!(
        "{}/api/v1/videos/{}/metadata/{}",
        urls.base, video.uuid, file.id
    )
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

/// `encodeURIComponent`: everything but `A-Z a-z 0-9 - _ . ! ~ * ' ( )` is escaped.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// PeerTube's magnet: `xs`, `xt`, `dn`, the HTTP then the WebSocket tracker, and `ws` (the
/// WebSeed) for public videos only.
pub fn magnet(urls: &InstanceUrls, video: &Video, file: &VideoFile) -> Option<String> {
    let info_hash = file.info_hash.as_deref()?;
    let torrent = torrent_url(urls, file)?;
    let mut m = format!(
        "magnet:?xs={}&xt=urn:btih:{info_hash}&dn={}&tr={}&tr={}",
        encode_component(&torrent),
        encode_component(&video.name).replace("%20", "+"),
        encode_component(&http_announce(urls)),
        encode_component(&urls.tracker_ws),
    );
    let public = video.privacy == privacy::PUBLIC || video.privacy == privacy::UNLISTED;
    if let Some(url) = file_url(urls, video, file).filter(|_| public) {
        m.push_str("&ws=");
        m.push_str(&encode_component(&url));
    }
    Some(m)
}

pub fn resolution_label(resolution: i32) -> String {
    if resolution == 0 {
        "Audio".into()
    } else {
        format!("{resolution}p")
    }
}
