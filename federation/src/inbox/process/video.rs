//! Video-side processing: Create and Update of videos (re-fetched or taken from the embedded
//! object as PeerTube does), Announce by an Application or a Group, Delete by the owner.
//! Comments, rates, shares' Undo and cache files are acknowledged and dropped for now.

use serde_json::Value;

use super::{InboxContext, id_of, type_of};
use crate::error::FederationError;
use crate::video::ingest;

fn dropped(what: &str, activity: &Value) -> Result<(), FederationError> {
    tracing::info!(what, id = ?activity.get("id"), "activity acknowledged, not handled");
    Ok(())
}

/// Create(Video): the video is fetched again from its id; the embedded copy is not trusted.
pub async fn create(
    cx: &InboxContext,
    activity: &Value,
    object: &Value,
) -> Result<(), FederationError> {
    match type_of(object) {
        "Video" => {
            let url = id_of(object)
                .ok_or_else(|| FederationError::BadRequest("Video without id".into()))?;
            ingest::fetch_and_store(&cx.state, url).await.map(|_| ())
        }
        other => dropped(&format!("Create({other})"), activity),
    }
}

/// Announce of a video URL, by an Application or a Group only (PeerTube drops the others).
pub async fn announce(
    cx: &InboxContext,
    _activity: &Value,
    object: &Value,
) -> Result<(), FederationError> {
    if !matches!(cx.signer.actor_type.as_str(), "Application" | "Group") {
        tracing::info!(actor = %cx.signer.url, "Announce from a non-Application/Group dropped");
        return Ok(());
    }
    let url = id_of(object)
        .ok_or_else(|| FederationError::BadRequest("Announce without object".into()))?;
    ingest::get_or_fetch(&cx.state, url).await.map(|_| ())
}

/// Update of a non-actor object: videos are taken from the embedded object.
pub async fn update(
    cx: &InboxContext,
    activity: &Value,
    object: &Value,
) -> Result<(), FederationError> {
    match type_of(object) {
        "Video" => ingest::update(&cx.state, &cx.signer, object).await,
        other => dropped(&format!("Update({other})"), activity),
    }
}

/// Delete of a non-actor object, by URL: a remote video, by its owning account.
pub async fn delete(
    cx: &InboxContext,
    _activity: &Value,
    object_url: &str,
) -> Result<(), FederationError> {
    ingest::delete(&cx.state, &cx.signer, object_url).await
}

/// Like or Dislike of a local video.
pub async fn rate(cx: &InboxContext, activity: &Value, kind: &str) -> Result<(), FederationError> {
    crate::video::rates::rate(&cx.state, &cx.signer, activity, kind).await
}

/// Undo of Like or Dislike; Announce and Create(CacheFile) are acknowledged (shares and
/// redundancy are not stored).
pub async fn undo(
    cx: &InboxContext,
    activity: &Value,
    object: &Value,
) -> Result<(), FederationError> {
    match type_of(object) {
        "Like" | "Dislike" => crate::video::rates::unrate(&cx.state, &cx.signer, object).await,
        other => dropped(&format!("Undo({other})"), activity),
    }
}
