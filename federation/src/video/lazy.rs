//! "Lazy" images of remote videos: fetched from the origin the first time someone asks for
//! them, then served from our storage, as PeerTube's `/lazy-static` does.

use super::storage;
use crate::error::FederationError;
use crate::fetch;
use crate::limits::IMAGE_MAX_SIZE;
use crate::models::video::Video;
use crate::state::AppState;

#[derive(Debug, Clone, Copy)]
pub enum Image {
    Thumbnail,
    Preview,
}

/// Fetches `filename` from the remote video it names, when it is one; true when the file is
/// now on disk.
pub async fn ensure_remote_image(
    state: &AppState,
    filename: &str,
    kind: Image,
) -> Result<bool, FederationError> {
    if !storage::is_safe_filename(filename) {
        return Ok(false);
    }
    let mut conn = state.conn().await?;
    let remote_url = match kind {
        Image::Thumbnail => Video::remote_thumbnail_url(&mut conn, filename).await?,
        Image::Preview => Video::remote_preview_url(&mut conn, filename).await?,
    };
    drop(conn);
    let Some(url) = remote_url else {
        return Ok(false);
    };
    let max = usize::try_from(IMAGE_MAX_SIZE).unwrap_or(usize::MAX);
    let body = fetch::fetch_file(state, &url, max).await?;
    let path = match kind {
        Image::Thumbnail => storage::thumbnail_path(&state.config.storage, filename),
        Image::Preview => storage::preview_path(&state.config.storage, filename),
    };
    // Written under a temporary name, then renamed: a concurrent reader never sees half a file.
    let tmp = path.with_extension("part");
    tokio::fs::write(&tmp, &body)
        .await
        .map_err(|e| FederationError::Internal(e.to_string()))?;
    tokio::fs::rename(&tmp, &path)
        .await
        .map_err(|e| FederationError::Internal(e.to_string()))?;
    Ok(true)
}
