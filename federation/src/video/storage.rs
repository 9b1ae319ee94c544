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
    }
}
