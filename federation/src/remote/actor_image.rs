//! Remote actors' avatars and banners: taken from `icon` / `image` of their documents as
//! PeerTube takes them (an http(s) URL and a known image type, from `mediaType` or the URL's
//! extension), stored as URLs, and fetched into our folder the first time someone asks for
//! one at `/lazy-static/{avatars,banners}/{file}`.

use crate::error::FederationError;
use crate::fetch;
use crate::limits::IMAGE_MAX_SIZE;
use crate::models::actor_image::{ActorImage, ActorImageKind, NewActorImage};
use crate::profile::files;
use crate::protocol::HttpUrl;
use crate::protocol::link::Image;
use crate::state::AppState;

/// One image a remote document announces.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteImage {
    pub url: String,
    /// `.png`, `.jpg`, … : the extension its cached file gets.
    pub extension: &'static str,
    pub width: Option<i32>,
    pub height: Option<i32>,
}

/// The usable entries of an `icon` or `image` list; others are dropped, as PeerTube drops them.
pub fn from_object(images: &[Image]) -> Vec<RemoteImage> {
    images
        .iter()
        .filter(|i| HttpUrl::parse(&i.url).is_ok())
        .filter_map(|i| {
            let extension = match &i.media_type {
                Some(mime) => files::extension_for_mime(mime),
                None => files::extension_of_name(i.url.split(['?', '#']).next().unwrap_or("")),
            }?;
            Some(RemoteImage {
                url: i.url.clone(),
                extension,
                width: i.width,
                height: i.height,
            })
        })
        .collect()
}

/// Rows for an actor's images, each named for the file it will be cached as
/// (`ActorImage::sync_remote` keeps the rows, and names, of images that did not change).
pub fn rows(actor_id: i64, kind: ActorImageKind, images: &[RemoteImage]) -> Vec<NewActorImage> {
    images
        .iter()
        .map(|i| NewActorImage {
            actor_id,
            kind,
            filename: files::new_filename(i.extension),
            width: i.width,
            height: i.height,
            file_url: Some(i.url.clone()),
        })
        .collect()
}

/// Makes sure `filename` of `kind` is on disk: ours are, a remote one is fetched from its
/// origin. False when no such image exists (or ours lost its file).
pub async fn ensure_on_disk(
    state: &AppState,
    kind: ActorImageKind,
    filename: &str,
) -> Result<bool, FederationError> {
    let Some(path) = files::path(&state.config.storage, filename) else {
        return Ok(false);
    };
    if tokio::fs::try_exists(&path).await.unwrap_or(false) {
        return Ok(true);
    }
    let image = {
        let mut conn = state.conn().await?;
        ActorImage::find_by_filename(&mut conn, kind, filename).await?
    };
    let Some(url) = image.and_then(|i| i.file_url) else {
        return Ok(false);
    };
    let max = usize::try_from(IMAGE_MAX_SIZE).unwrap_or(usize::MAX);
    let body = fetch::fetch_file(state, &url, max).await?;
    // Written under a name of its own, then renamed: a concurrent reader never sees half a file.
    let tmp = path.with_extension(format!("{}.part", uuid::Uuid::new_v4()));
    let io = |context| move |source| FederationError::Io { context, source };
    tokio::fs::write(&tmp, &body)
        .await
        .map_err(io("writing a remote actor image"))?;
    tokio::fs::rename(&tmp, &path)
        .await
        .map_err(io("storing a remote actor image"))?;
    tracing::info!(%url, filename, "remote actor image cached");
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(url: &str, mime: Option<&str>) -> Image {
        Image {
            kind: Default::default(),
            url: url.into(),
            media_type: mime.map(Into::into),
            width: Some(48),
            height: Some(48),
        }
    }

    #[test]
    fn images_need_a_url_and_a_known_type() {
        let got = from_object(&[
            image("https://a.example/x.png", Some("image/png")),
            image("https://a.example/y.jpeg", None),
            image("https://a.example/z", Some("image/svg+xml")),
            image("https://a.example/w.bmp", None),
            image("ftp://a.example/v.png", Some("image/png")),
        ]);
        let exts: Vec<&str> = got.iter().map(|i| i.extension).collect();
        assert_eq!(exts, [".png", ".jpg"]);
    }
}
