use activitypub_federation::kinds::activity::ViewType;
use activitypub_federation::protocol::helpers::deserialize_skip_error;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::protocol::lenient::opt_integer;
use crate::protocol::{Audience, HttpUrl, ObjectRef};

/// `{type: "View", id: "{actor}/views/videos/{videoDbId}/{uuid}", actor, object: <video URL>}`,
/// with `expires` (and a `result` counter) for a live viewer, without for a counted view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct View {
    #[serde(rename = "type")]
    pub kind: ViewType,
    pub id: HttpUrl,
    pub actor: ObjectRef,
    pub object: ObjectRef,
    #[serde(default)]
    pub to: Audience,
    #[serde(default)]
    pub cc: Audience,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::option"
    )]
    pub expires: Option<DateTime<Utc>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub result: Option<InteractionCounter>,
}

/// `{type: "InteractionCounter", interactionType: "WatchAction", userInteractionCount}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InteractionCounter {
    #[serde(rename = "type")]
    pub kind: String,
    pub interaction_type: String,
    #[serde(default, deserialize_with = "opt_integer")]
    pub user_interaction_count: Option<i64>,
}
