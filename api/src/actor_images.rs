//! What the avatar and banner routes share: reading the one image of a multipart body
//! (streamed to tmp, at most 4 MB, a PeerTube image type), making it the profile's image, and
//! PeerTube's answers (`{avatars: […]}`, `{banners: […]}`, the 400 naming the field).

use std::path::PathBuf;

use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;
use ferrotube_federation::limits::{AVATAR_EXTENSIONS, IMAGE_MAX_SIZE};
use ferrotube_federation::models::actor_image::ActorImageKind;
use ferrotube_federation::problem::InvalidParam;
use ferrotube_federation::profile::{Profile, files, images};
use ferrotube_federation::video::storage;
use ferrotube_federation::{AppState, FederationError};
use serde::Serialize;
use tokio::io::AsyncWriteExt;

use crate::error::{ApiError, ApiResult};
use crate::views::account::ActorImage;

/// The whole body may carry a little more than the image (boundaries, other fields).
pub const BODY_LIMIT: usize = IMAGE_MAX_SIZE as usize + 256 * 1024;

/// `{avatars: […]}`, the answer to an avatar pick.
#[derive(Debug, Serialize)]
pub struct Avatars {
    pub avatars: Vec<ActorImage>,
}

/// `{banners: […]}`, the answer to a banner pick.
#[derive(Debug, Serialize)]
pub struct Banners {
    pub banners: Vec<ActorImage>,
}

/// The multipart field PeerTube reads the image from.
pub fn field_of(kind: ActorImageKind) -> &'static str {
    match kind {
        ActorImageKind::Avatar => "avatarfile",
        ActorImageKind::Banner => "bannerfile",
    }
}

/// PeerTube's 400 for a missing, too large or unsupported image.
fn invalid_file(field: &str, instance: &str) -> ApiError {
    let msg = format!(
        "This file is not supported or too large. Please, make sure it is of the following type : {}",
        AVATAR_EXTENSIONS.join(", ")
    );
    ApiError::invalid_params(
        Some(instance.into()),
        vec![InvalidParam::new("body", field, None, &msg)],
    )
}

/// An uploaded image in tmp, removed when dropped.
struct TmpImage {
    path: PathBuf,
    extension: &'static str,
}

impl Drop for TmpImage {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The image's extension, from the part's type as PeerTube decides (a client that sends no
/// type, or a generic one, is judged by the file name).
fn extension(content_type: Option<&str>, file_name: Option<&str>) -> Option<&'static str> {
    match content_type {
        Some(t) if t != "application/octet-stream" => files::extension_for_mime(t),
        _ => files::extension_of_name(file_name?),
    }
}

/// Streams field `field` of the body to tmp; every refusal is PeerTube's 400 on that field.
async fn read_image(
    state: &AppState,
    multipart: Result<Multipart, MultipartRejection>,
    field: &str,
    instance: &str,
) -> ApiResult<TmpImage> {
    let invalid = || invalid_file(field, instance);
    let mut multipart = multipart.map_err(|_| invalid())?;
    let mut image: Option<TmpImage> = None;
    while let Some(mut part) = multipart.next_field().await.map_err(|_| invalid())? {
        if image.is_some() || part.name() != Some(field) {
            // Other fields are read and dropped; the body limit bounds them.
            while part.chunk().await.map_err(|_| invalid())?.is_some() {}
            continue;
        }
        let ext = extension(part.content_type(), part.file_name()).ok_or_else(invalid)?;
        let tmp = TmpImage {
            path: storage::tmp_path(
                &state.config.storage,
                &format!("{}-{field}{ext}", uuid::Uuid::new_v4()),
            ),
            extension: ext,
        };
        let io = |source| FederationError::Io {
            context: "writing an uploaded image",
            source,
        };
        let mut file = tokio::fs::File::create(&tmp.path).await.map_err(io)?;
        let mut written: u64 = 0;
        while let Some(chunk) = part.chunk().await.map_err(|_| invalid())? {
            written += chunk.len() as u64;
            if written > IMAGE_MAX_SIZE {
                // Read to the end (the body limit bounds it) so the client gets the answer.
                while let Ok(Some(_)) = part.chunk().await {}
                while let Ok(Some(mut rest)) = multipart.next_field().await {
                    while let Ok(Some(_)) = rest.chunk().await {}
                }
                return Err(invalid());
            }
            file.write_all(&chunk).await.map_err(io)?;
        }
        file.flush().await.map_err(io)?;
        if written == 0 {
            return Err(invalid());
        }
        image = Some(tmp);
    }
    image.ok_or_else(invalid)
}

/// Makes the uploaded image the profile's avatar or banner; its images of that kind come back.
pub async fn pick(
    state: &AppState,
    profile: Profile,
    kind: ActorImageKind,
    multipart: Result<Multipart, MultipartRejection>,
    instance: &str,
) -> ApiResult<Vec<ActorImage>> {
    let field = field_of(kind);
    let upload = read_image(state, multipart, field, instance).await?;
    match images::set(state, profile, kind, &upload.path, upload.extension).await {
        Ok(rows) => Ok(ActorImage::list(&rows)),
        Err(FederationError::UnreadableImage(e)) => {
            tracing::info!(error = %e, field, "unreadable image upload");
            Err(invalid_file(field, instance))
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_part_type_decides_else_the_name() {
        assert_eq!(extension(Some("image/png"), Some("a.jpg")), Some(".png"));
        assert_eq!(extension(Some("text/plain"), Some("a.png")), None);
        assert_eq!(
            extension(Some("application/octet-stream"), Some("a.webp")),
            Some(".webp")
        );
        assert_eq!(extension(None, Some("a.GIF")), Some(".gif"));
        assert_eq!(extension(None, None), None);
    }
}
