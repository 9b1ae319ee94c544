//! Delete: of the signer itself (its account or channel goes), else of an object by URL,
//! handled in `video.rs`.

use serde_json::Value;

use super::{InboxContext, id_of, video};
use crate::error::FederationError;
use crate::remote::actor as remote_actor;

pub async fn process(cx: &InboxContext, activity: &Value) -> Result<(), FederationError> {
    let object = activity
        .get("object")
        .and_then(id_of)
        .ok_or_else(|| FederationError::BadRequest("Delete without object".into()))?;
    if object == cx.signer.url {
        let mut conn = cx.state.conn().await?;
        remote_actor::delete(&mut conn, cx.signer.id).await?;
        tracing::info!(actor = %object, "remote actor deleted");
        return Ok(());
    }
    video::delete(cx, activity, object).await
}
