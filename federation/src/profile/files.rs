//! Where actor images live (`storage.avatars`, avatars and banners alike, as PeerTube keeps
//! them), the names they get and the formats they may have. Removing a row's file goes through
//! [`remove`], called with the rows a model query removed, once their transaction committed.

use std::path::PathBuf;

use crate::config::Storage;
use crate::models::actor_image::ActorImage;
use crate::video::storage::is_safe_filename;

/// The image formats actors may have: mime type and the extension their files get.
const FORMATS: &[(&str, &str)] = &[
    ("image/png", ".png"),
    ("image/gif", ".gif"),
    ("image/webp", ".webp"),
    ("image/jpeg", ".jpg"),
    ("image/jpg", ".jpg"),
];

/// The extension for a mime type (`image/jpeg` → `.jpg`), when it is an image format we take.
pub fn extension_for_mime(mime: &str) -> Option<&'static str> {
    let mime = mime.trim().to_ascii_lowercase();
    FORMATS.iter().find(|(m, _)| *m == mime).map(|(_, e)| *e)
}

/// The extension of a file name, when it is one we take (`.jpeg` counts as `.jpg`).
pub fn extension_of_name(name: &str) -> Option<&'static str> {
    let (_, ext) = name.rsplit_once('.')?;
    match ext.to_ascii_lowercase().as_str() {
        "png" => Some(".png"),
        "gif" => Some(".gif"),
        "webp" => Some(".webp"),
        "jpg" | "jpeg" => Some(".jpg"),
        _ => None,
    }
}

/// The mime type of one of our image files, from its extension.
pub fn mime_of(filename: &str) -> &'static str {
    let ext = extension_of_name(filename).unwrap_or(".jpg");
    FORMATS
        .iter()
        .find(|(_, e)| *e == ext)
        .map_or("image/jpeg", |(m, _)| *m)
}

/// `{rnd}{ext}`, a fresh random name.
pub fn new_filename(extension: &str) -> String {
    format!("{}{extension}", uuid::Uuid::new_v4())
}

pub fn path(storage: &Storage, filename: &str) -> Option<PathBuf> {
    is_safe_filename(filename).then(|| storage.avatars_dir().join(filename))
}

/// Deletes the files of removed rows; a file already gone (a remote image never fetched) is
/// fine.
pub async fn remove(storage: &Storage, removed: &[ActorImage]) {
    for image in removed {
        let Some(path) = path(storage, &image.filename) else {
            continue;
        };
        match tokio::fs::remove_file(&path).await {
            Ok(()) => tracing::debug!(file = %image.filename, "actor image removed"),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                tracing::warn!(file = %image.filename, error = %e, "cannot remove an actor image")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(extension_for_mime("image/jpeg"), Some(".jpg"));
        assert_eq!(extension_for_mime("image/svg+xml"), None);
        assert_eq!(extension_of_name("me.JPEG"), Some(".jpg"));
        assert_eq!(extension_of_name("me.bmp"), None);
        assert_eq!(mime_of("x.webp"), "image/webp");
        assert_eq!(mime_of("x.jpg"), "image/jpeg");
    }
}
