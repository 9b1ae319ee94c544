//! Setting and removing a local account's or channel's avatar or banner: the upload is made
//! into each size PeerTube makes (`ferrotube_media::images`), the rows replaced and the
//! Update sent in one transaction, then the replaced rows' files removed.

use std::path::{Path, PathBuf};

use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::files;
use super::update::{Profile, send_update};
use crate::error::FederationError;
use crate::models::account::AccountFull;
use crate::models::actor_image::{ActorImage, ActorImageKind, ActorImages, NewActorImage};
use crate::models::channel::ChannelFull;
use crate::state::AppState;

async fn actor_of(conn: &mut AsyncPgConnection, profile: Profile) -> Result<i64, FederationError> {
    let actor = match profile {
        Profile::Account(id) => AccountFull::load(conn, id).await?.map(|a| a.actor.id),
        Profile::Channel(id) => ChannelFull::load(conn, id).await?.map(|c| c.actor.id),
    };
    actor.ok_or_else(|| FederationError::NotFound("Actor not found".into()))
}

async fn remove_paths(paths: &[PathBuf]) {
    for p in paths {
        let _ = tokio::fs::remove_file(p).await;
    }
}

/// Makes the sizes of `kind` from `upload` (an image with `extension`, `.png` …), which it
/// leaves in place; an image ffmpeg cannot read is [`FederationError::UnreadableImage`].
async fn make_sizes(
    state: &AppState,
    actor_id: i64,
    kind: ActorImageKind,
    upload: &Path,
    extension: &str,
) -> Result<(Vec<NewActorImage>, Vec<PathBuf>), FederationError> {
    let mut rows = Vec::new();
    let mut written = Vec::new();
    for &(width, height) in kind.sizes() {
        let filename = files::new_filename(extension);
        let Some(path) = files::path(&state.config.storage, &filename) else {
            remove_paths(&written).await;
            return Err(FederationError::Internal(format!(
                "bad image name {filename}"
            )));
        };
        written.push(path.clone());
        if let Err(e) = ferrotube_media::images::resize_cover(upload, (width, height), &path).await
        {
            remove_paths(&written).await;
            return Err(match e {
                ferrotube_media::MediaError::Unreadable(_) => FederationError::UnreadableImage(e),
                e => e.into(),
            });
        }
        rows.push(NewActorImage {
            actor_id,
            kind,
            filename,
            width: i32::try_from(width).ok(),
            height: i32::try_from(height).ok(),
            file_url: None,
        });
    }
    Ok((rows, written))
}

/// Gives the profile a new avatar or banner from `upload`; its images of that kind come back
/// in the order they were made (largest first), as PeerTube answers the upload.
pub async fn set(
    state: &AppState,
    profile: Profile,
    kind: ActorImageKind,
    upload: &Path,
    extension: &str,
) -> Result<Vec<ActorImage>, FederationError> {
    let actor_id = {
        let mut conn = state.conn().await?;
        actor_of(&mut conn, profile).await?
    };
    let (rows, written) = make_sizes(state, actor_id, kind, upload, extension).await?;
    let mut conn = state.conn().await?;
    let urls = state.urls.clone();
    let result = conn
        .transaction::<_, FederationError, _>(async move |conn| {
            let removed = ActorImage::replace(conn, actor_id, kind, &rows).await?;
            send_update(conn, &urls, profile).await?;
            Ok(removed)
        })
        .await;
    let removed = match result {
        Ok(removed) => removed,
        Err(e) => {
            remove_paths(&written).await;
            return Err(e);
        }
    };
    files::remove(&state.config.storage, &removed).await;
    let mut images = ActorImages::of_actors(&mut conn, &[actor_id]).await?;
    let mut made = images
        .remove(&actor_id)
        .map(|i| i.of(kind).to_vec())
        .unwrap_or_default();
    made.sort_by_key(|i| i.id);
    Ok(made)
}

/// Removes the profile's avatar or banner (PeerTube tells followers even when it had none).
pub async fn delete(
    state: &AppState,
    profile: Profile,
    kind: ActorImageKind,
) -> Result<(), FederationError> {
    let mut conn = state.conn().await?;
    let actor_id = actor_of(&mut conn, profile).await?;
    let urls = state.urls.clone();
    let removed = conn
        .transaction::<_, FederationError, _>(async move |conn| {
            let removed = ActorImage::remove(conn, actor_id, Some(kind)).await?;
            send_update(conn, &urls, profile).await?;
            Ok(removed)
        })
        .await?;
    files::remove(&state.config.storage, &removed).await;
    Ok(())
}
