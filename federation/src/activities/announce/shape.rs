use activitypub_federation::kinds::activity::AnnounceType;
use serde::{Deserialize, Serialize};

use crate::protocol::{Audience, HttpUrl, ObjectRef};

/// `{type: "Announce", id: "{video}/announces/{actorDbId}", actor, object: <video URL>}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Announce {
    #[serde(rename = "type")]
    pub kind: AnnounceType,
    pub id: HttpUrl,
    pub actor: ObjectRef,
    pub object: ObjectRef,
    #[serde(default)]
    pub to: Audience,
    #[serde(default)]
    pub cc: Audience,
}
