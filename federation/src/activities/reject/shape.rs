use activitypub_federation::kinds::activity::RejectType;
use serde::{Deserialize, Serialize};

use crate::activities::accept::FollowRef;
use crate::protocol::{Audience, HttpUrl, ObjectRef};

/// `{type: "Reject", id: "{URL}/rejects/follows/{ISO date}", actor, object: Follow}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reject {
    #[serde(rename = "type")]
    pub kind: RejectType,
    pub id: HttpUrl,
    pub actor: ObjectRef,
    pub object: FollowRef,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Audience,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cc: Audience,
}
