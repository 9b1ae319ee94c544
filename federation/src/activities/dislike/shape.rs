use activitypub_federation::kinds::activity::DislikeType;
use serde::{Deserialize, Serialize};

use crate::protocol::{Audience, HttpUrl, ObjectRef};

/// `{type: "Dislike", id: "{actor}/dislikes/{videoDbId}", actor, object: <video URL>}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dislike {
    #[serde(rename = "type")]
    pub kind: DislikeType,
    pub id: HttpUrl,
    pub actor: ObjectRef,
    pub object: ObjectRef,
    #[serde(default)]
    pub to: Audience,
    #[serde(default)]
    pub cc: Audience,
}
