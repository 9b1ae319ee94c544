//! Where a video's files live on disk, and the random names PeerTube gives them.

use std::path::PathBuf;

use uuid::Uuid;

use crate::config::Storage;

/// `{rnd}-{res}.{ext}`: a fresh random name per file, not the video's UUID.
pub fn new_video_filename(resolution: i32, extension: &str) -> String {
    format!("{}-{resolution}{}", Uuid::new_v4(), dotted(extension))
}

/// `{rnd}-{res}.torrent`
pub fn new_torrent_filename(resolution: i32) -> String {
    format!("{}-{resolution}.torrent", Uuid::new_v4())
}

/// `{rnd}-{res}-fragmented.mp4`: an HLS rendition.
pub fn new_hls_video_filename(resolution: i32) -> String {
    format!("{}-{resolution}-fragmented.mp4", Uuid::new_v4())
}

/// `{rnd}-{res}.m3u8`: the variant playlist of the rendition `{rnd}-{res}-fragmented.mp4`
/// (derived, never stored, as in PeerTube).
pub fn hls_variant_playlist_filename(video_filename: &str) -> String {
    let stem = video_filename
        .strip_suffix("-fragmented.mp4")
        .unwrap_or(video_filename);
    format!("{stem}.m3u8")
}

/// `{rnd}-master.m3u8`
pub fn new_hls_master_filename() -> String {
    format!("{}-master.m3u8", Uuid::new_v4())
}

/// `{rnd}-segments-sha256.json`
pub fn new_hls_segments_sha256_filename() -> String {
    format!("{}-segments-sha256.json", Uuid::new_v4())
}

/// `{rnd}-{res}-hls.torrent`
pub fn new_hls_torrent_filename(resolution: i32) -> String {
    format!("{}-{resolution}-hls.torrent", Uuid::new_v4())
}

/// `{rnd}.jpg`
pub fn new_image_filename() -> String {
    format!("{}.jpg", Uuid::new_v4())
}

pub fn dotted(extension: &str) -> String {
    if extension.starts_with('.') {
        extension.to_string()
    } else {
        format!(".{extension}")
    }
}

/// A name we generated: no separators, no dot-dot, nothing a path could escape with.
pub fn is_safe_filename(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

pub fn video_file_path(storage: &Storage, filename: &str) -> PathBuf {
    storage.web_videos_dir().join(filename)
}

/// The folder of a video's HLS files, whatever its privacy (only the URLs differ).
pub fn hls_video_dir(storage: &Storage, video_uuid: &Uuid) -> PathBuf {
    storage.hls_dir().join(video_uuid.to_string())
}

pub fn hls_file_path(storage: &Storage, video_uuid: &Uuid, filename: &str) -> PathBuf {
    hls_video_dir(storage, video_uuid).join(filename)
}

pub fn torrent_path(storage: &Storage, filename: &str) -> PathBuf {
    storage.torrents_dir().join(filename)
}

pub fn thumbnail_path(storage: &Storage, filename: &str) -> PathBuf {
    storage.thumbnails_dir().join(filename)
}

pub fn preview_path(storage: &Storage, filename: &str) -> PathBuf {
    storage.previews_dir().join(filename)
}

pub fn tmp_path(storage: &Storage, name: &str) -> PathBuf {
    storage.tmp_dir().join(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_names() {
        assert!(is_safe_filename("0b7c-360.mp4"));
        assert!(!is_safe_filename("../etc/passwd"));
        assert!(!is_safe_filename("a/b.mp4"));
        assert!(!is_safe_filename(".hidden"));
        let hls = new_hls_video_filename(720);
        assert!(hls.ends_with("-720-fragmented.mp4") && is_safe_filename(&hls));
        assert_eq!(
            hls_variant_playlist_filename("ab-cd-360-fragmented.mp4"),
            "ab-cd-360.m3u8"
        );
    }
}
