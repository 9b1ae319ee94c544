//! Bringing remote videos in: fetched from their origin (PeerTube re-fetches a Created video
//! rather than trusting the embedded copy), checked, stored with their channel and account,
//! and announced to the tracker; deleted only by their owner.

use super::infohashes;
use super::remote::{self, RemoteVideo};
use crate::error::FederationError;
use crate::fetch;
use crate::models::actor::Actor;
use crate::models::channel::VideoChannel;
use crate::models::video::{Video, VideoFull};
use crate::protocol::video::VideoObject;
use crate::remote::actor as remote_actor;
use crate::state::AppState;

fn host_of(url: &str) -> Option<String> {
    url::Url::parse(url).ok().map(|u| fetch::url_host(&u))
}

/// Fetches the Video at `url` from its origin and stores it.
pub async fn fetch_and_store(state: &AppState, url: &str) -> Result<Video, FederationError> {
    if host_of(url).is_some_and(|h| state.urls.is_local_host(&h)) {
        let mut conn = state.conn().await?;
        return Video::find_by_any_id(&mut conn, url.rsplit('/').next().unwrap_or(""))
            .await?
            .ok_or_else(|| FederationError::NotFound(format!("no local video at {url}")));
    }
    let object: VideoObject = fetch::fetch_object(state, url).await?;
    store_object(state, object).await
}

/// Stores a checked Video object; its channel (and the channel's owner) are fetched when
/// unknown and must live on the video's host. Its likes and dislikes are read from its origin.
pub async fn store_object(state: &AppState, object: VideoObject) -> Result<Video, FederationError> {
    let rates = (object.likes.clone(), object.dislikes.clone());
    let parsed = RemoteVideo::try_from(object)?;
    let video_host =
        host_of(&parsed.url).ok_or_else(|| FederationError::BadRequest("video id".into()))?;
    if state.urls.is_local_host(&video_host) {
        return Err(FederationError::BadRequest(
            "a remote video cannot be on our host".into(),
        ));
    }
    let channel_url = parsed
        .channel_url
        .clone()
        .ok_or_else(|| FederationError::BadRequest("video without a channel".into()))?;
    if host_of(&channel_url).as_deref() != Some(video_host.as_str()) {
        return Err(FederationError::BadRequest(
            "the channel is not on the video's host".into(),
        ));
    }
    let channel_actor = remote_actor::get_or_fetch(state, &channel_url).await?;
    let mut conn = state.conn().await?;
    let channel_id = VideoChannel::id_by_actor(&mut conn, channel_actor.id)
        .await?
        .ok_or_else(|| FederationError::BadRequest(format!("{channel_url} is not a channel")))?;
    let stored = remote::store(&mut conn, &parsed, channel_id).await?;
    drop(conn);
    for h in &stored.added_hashes {
        infohashes::added(state, h).await;
    }
    for h in &stored.removed_hashes {
        infohashes::removed(state, h).await;
    }
    tracing::info!(
        video = %parsed.url, files = parsed.files.len(),
        hls_playlists = parsed.streaming_playlists.len(), "remote video stored"
    );
    super::remote_rates::sync(state, stored.video.id, rates.0.as_ref(), rates.1.as_ref()).await;
    Ok(stored.video)
}

/// A remote video by URL, fetched when unknown.
pub async fn get_or_fetch(state: &AppState, url: &str) -> Result<Video, FederationError> {
    let existing = {
        let mut conn = state.conn().await?;
        Video::find_by_url(&mut conn, url).await?
    };
    match existing {
        Some(v) => Ok(v),
        None => fetch_and_store(state, url).await,
    }
}

/// Update(Video): the embedded object is used for a known video; an unknown one is fetched.
/// Only the owning account or the channel may update it.
pub async fn update(
    state: &AppState,
    signer: &Actor,
    object: VideoObject,
) -> Result<(), FederationError> {
    let url = object.id.to_string();
    let url = url.as_str();
    let known = {
        let mut conn = state.conn().await?;
        Video::find_by_url(&mut conn, url).await?
    };
    let Some(video) = known else {
        fetch_and_store(state, url).await?;
        return Ok(());
    };
    if video.is_local {
        return Err(FederationError::BadRequest(
            "cannot update a local video".into(),
        ));
    }
    ensure_owner(state, signer, video, true).await?;
    store_object(state, object).await?;
    Ok(())
}

/// Delete(video URL): the signer must own the video (its account, or its channel).
pub async fn delete(state: &AppState, signer: &Actor, url: &str) -> Result<(), FederationError> {
    let found = {
        let mut conn = state.conn().await?;
        Video::find_by_url(&mut conn, url).await?
    };
    let Some(video) = found else {
        tracing::info!(url, "Delete of an unknown object ignored");
        return Ok(());
    };
    if video.is_local {
        return Err(FederationError::BadRequest(
            "cannot delete a local video remotely".into(),
        ));
    }
    let full = ensure_owner(state, signer, video, false).await?;
    let mut conn = state.conn().await?;
    Video::delete(&mut conn, full.video.id).await?;
    drop(conn);
    for h in full.tracker_infohashes() {
        infohashes::removed(state, &h).await;
    }
    tracing::info!(url, "remote video deleted");
    Ok(())
}

/// The owning account always; the channel too when `channel_may` (PeerTube lets only the
/// account delete).
async fn ensure_owner(
    state: &AppState,
    signer: &Actor,
    video: Video,
    channel_may: bool,
) -> Result<VideoFull, FederationError> {
    let mut conn = state.conn().await?;
    let full = VideoFull::load(&mut conn, video)
        .await?
        .ok_or_else(|| FederationError::NotFound("video".into()))?;
    let by_channel = channel_may && full.channel.actor.id == signer.id;
    if full.channel.owner.actor.id == signer.id || by_channel {
        Ok(full)
    } else {
        Err(FederationError::BadRequest(format!(
            "{} does not own {}",
            signer.url, full.video.url
        )))
    }
}

/// Fetches a remote video again; gone at its origin (404/410) means gone here too.
pub async fn refresh(state: &AppState, video_id: i64) -> Result<(), FederationError> {
    let video = {
        let mut conn = state.conn().await?;
        Video::find(&mut conn, video_id).await?
    };
    let Some(video) = video.filter(|v| !v.is_local) else {
        return Ok(());
    };
    match fetch::fetch_object::<VideoObject>(state, &video.url).await {
        Ok(object) => store_object(state, object).await.map(|_| ()),
        Err(FederationError::NotFound(_)) => {
            let mut conn = state.conn().await?;
            let full = VideoFull::load(&mut conn, video).await?;
            if let Some(full) = full {
                Video::delete(&mut conn, full.video.id).await?;
                drop(conn);
                for h in full.tracker_infohashes() {
                    infohashes::removed(state, &h).await;
                }
                tracing::info!(url = %full.video.url, "remote video gone at its origin: deleted");
            }
            Ok(())
        }
        Err(e) => Err(e),
    }
}
