use activitypub_federation::kinds::activity::AcceptType;
use serde::{Deserialize, Serialize};

use crate::activities::follow::Follow;
use crate::protocol::{Audience, HttpUrl, ObjectRef};

/// `{type: "Accept", id: "{URL}/accepts/follows/{followDbId}", actor, object: Follow}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accept {
    #[serde(rename = "type")]
    pub kind: AcceptType,
    pub id: HttpUrl,
    pub actor: ObjectRef,
    pub object: FollowRef,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Audience,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cc: Audience,
}

/// The Follow being answered: embedded (PeerTube, Mastodon) or by id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FollowRef {
    Follow(Box<Follow>),
    Id(HttpUrl),
}
