//! File limits PeerTube publishes in `/api/v1/config` and NodeInfo.

use serde_json::{Value, json};

pub const IMAGE_MAX_SIZE: u64 = 4 * 1024 * 1024;
pub const CAPTION_MAX_SIZE: u64 = 20 * 1024 * 1024;

pub const AVATAR_EXTENSIONS: &[&str] = &[".png", ".jpeg", ".jpg", ".gif", ".webp"];
pub const VIDEO_IMAGE_EXTENSIONS: &[&str] = &[".png", ".jpg", ".jpeg", ".webp"];
pub const CAPTION_EXTENSIONS: &[&str] = &[".vtt", ".srt"];
pub const VIDEO_EXTENSIONS: &[&str] = &[
    ".webm", ".ogv", ".ogg", ".mp4", ".mkv", ".mov", ".qt", ".mqv", ".m4v", ".flv", ".f4v", ".wmv",
    ".avi", ".3gp", ".3gpp", ".3g2", ".3gpp2", ".nut", ".mts", ".m2ts", ".mpv", ".m2v", ".m1v",
    ".mpg", ".mpe", ".mpeg", ".vob", ".mxf", ".mp3", ".wma", ".wav", ".flac", ".aac", ".m4a",
    ".ac3",
];

pub fn avatar() -> Value {
    json!({ "file": { "size": { "max": IMAGE_MAX_SIZE }, "extensions": AVATAR_EXTENSIONS } })
}

pub fn video_image() -> Value {
    json!({ "extensions": VIDEO_IMAGE_EXTENSIONS, "size": { "max": IMAGE_MAX_SIZE } })
}

pub fn caption() -> Value {
    json!({ "file": { "size": { "max": CAPTION_MAX_SIZE }, "extensions": CAPTION_EXTENSIONS } })
}
