//! Processing of received activities: the dispatch point, one file per activity type.
//!
//! To handle a new type or object, add a file here and a match arm in [`dispatch`]; the
//! video-specific ones go through `video.rs`. An `Err(BadRequest | NotFound)` drops the
//! activity with a log line; other errors retry the job.

mod accept;
mod delete;
mod follow;
mod undo;
mod update;
pub mod video;

use serde_json::Value;

use crate::error::FederationError;
use crate::models::actor::Actor;
use crate::state::AppState;

pub use super::verify::id_of;

/// What a processor knows besides the activity.
pub struct InboxContext {
    pub state: AppState,
    /// The verified sender: the HTTP signer, or the LD signer of a forwarded activity.
    pub signer: Actor,
    /// The local actor whose own inbox received it; `None` for the shared inbox.
    pub inbox_owner: Option<Actor>,
}

/// The `type` of a value, or of the object it embeds.
pub fn type_of(v: &Value) -> &str {
    v.get("type").and_then(Value::as_str).unwrap_or("")
}

/// Whether `to` and `cc` are absent or arrays of URLs, as PeerTube requires.
fn valid_audience(activity: &Value) -> bool {
    ["to", "cc"].iter().all(|k| match activity.get(*k) {
        None | Some(Value::Null) => true,
        Some(Value::Array(items)) => items.iter().all(|i| {
            i.as_str()
                .and_then(|s| url::Url::parse(s).ok())
                .is_some_and(|u| matches!(u.scheme(), "http" | "https"))
        }),
        _ => false,
    })
}

pub async fn dispatch(cx: &InboxContext, activity: &Value) -> Result<(), FederationError> {
    let actor = activity.get("actor").and_then(id_of).unwrap_or("");
    if actor != cx.signer.url {
        return Err(FederationError::BadRequest(format!(
            "actor {actor} is not the signer {}",
            cx.signer.url
        )));
    }
    if !valid_audience(activity) {
        return Err(FederationError::BadRequest("invalid to/cc".into()));
    }
    let object = activity.get("object").unwrap_or(&Value::Null);
    match type_of(activity) {
        "Follow" => follow::process(cx, activity).await,
        "Accept" => accept::process(cx, activity, true).await,
        "Reject" => accept::process(cx, activity, false).await,
        "Undo" => undo::process(cx, activity).await,
        "Update" => update::process(cx, activity).await,
        "Delete" => delete::process(cx, activity).await,
        "Create" => video::create(cx, activity, object).await,
        "Announce" => video::announce(cx, activity, object).await,
        "Like" => video::rate(cx, activity, "like").await,
        "Dislike" => video::rate(cx, activity, "dislike").await,
        other => {
            tracing::info!(kind = other, id = ?activity.get("id"), "activity type not handled; dropped");
            Ok(())
        }
    }
}
