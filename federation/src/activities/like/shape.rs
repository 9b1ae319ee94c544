use activitypub_federation::kinds::activity::LikeType;
use serde::{Deserialize, Serialize};

use crate::protocol::{Audience, HttpUrl, ObjectRef};

/// `{type: "Like", id: "{actor}/likes/{videoDbId}", actor, object: <video URL>}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Like {
    #[serde(rename = "type")]
    pub kind: LikeType,
    pub id: HttpUrl,
    pub actor: ObjectRef,
    pub object: ObjectRef,
    #[serde(default)]
    pub to: Audience,
    #[serde(default)]
    pub cc: Audience,
}
