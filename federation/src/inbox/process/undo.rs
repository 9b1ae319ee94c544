//! Undo: of a Follow here; of Announce, Like, Dislike and Create(CacheFile) in `video.rs`.
//! The undone activity must be embedded and belong to the signer.

use serde_json::Value;

use super::{InboxContext, id_of, type_of, video};
use crate::error::FederationError;
use crate::follows;
use crate::remote::actor::find_by_url;

pub async fn process(cx: &InboxContext, activity: &Value) -> Result<(), FederationError> {
    let object = activity.get("object").unwrap_or(&Value::Null);
    if !object.is_object() {
        return Err(FederationError::BadRequest(
            "Undo needs the embedded activity".into(),
        ));
    }
    if object.get("actor").and_then(id_of) != Some(cx.signer.url.as_str()) {
        return Err(FederationError::BadRequest(
            "Undo of another actor's activity".into(),
        ));
    }
    match type_of(object) {
        "Follow" => {
            let target_url = object
                .get("object")
                .and_then(Value::as_str)
                .ok_or_else(|| FederationError::BadRequest("Follow object must be a URL".into()))?;
            let mut conn = cx.state.conn().await?;
            let Some(target) = find_by_url(&mut conn, target_url).await? else {
                return Err(FederationError::NotFound("unknown follow target".into()));
            };
            if let Some(f) = follows::find(&mut conn, cx.signer.id, target.id).await? {
                follows::remove(&mut conn, &f).await?;
                tracing::info!(follower = %cx.signer.url, target = %target.url, "follow undone");
            }
            Ok(())
        }
        _ => video::undo(cx, activity, object).await,
    }
}
