use activitypub_federation::kinds::activity::FollowType;
use serde::{Deserialize, Serialize};

use crate::protocol::{Audience, HttpUrl, ObjectRef};

/// `{type: "Follow", id, actor, object}`; PeerTube gives it no audience, and rebuilds exactly
/// these four fields inside Accept, Reject and Undo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Follow {
    #[serde(rename = "type")]
    pub kind: FollowType,
    pub id: HttpUrl,
    pub actor: ObjectRef,
    pub object: ObjectRef,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Audience,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cc: Audience,
}
