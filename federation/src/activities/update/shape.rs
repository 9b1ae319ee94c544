use activitypub_federation::kinds::activity::UpdateType;
use serde::{Deserialize, Serialize};

use crate::activities::typed_enum;
use crate::protocol::actor::ActorObject;
use crate::protocol::note::NoteObject;
use crate::protocol::video::VideoObject;
use crate::protocol::{Audience, HttpUrl, ObjectRef};

/// `{type: "Update", id: "{object}/updates/{updatedAt}", actor, object}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Update {
    #[serde(default)]
    pub to: Audience,
    #[serde(default)]
    pub cc: Audience,
    #[serde(rename = "type")]
    pub kind: UpdateType,
    pub id: HttpUrl,
    pub actor: ObjectRef,
    pub object: UpdateObject,
}

typed_enum! {
    /// What an Update changes (CacheFile and Playlist are not handled).
    pub enum UpdateObject {
        Video(Box<VideoObject>) = "Video",
        Note(Box<NoteObject>) = "Note",
        Actor(Box<ActorObject>) = "Person" | "Group" | "Application" | "Service" | "Organization",
    }
}
