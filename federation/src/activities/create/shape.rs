use activitypub_federation::kinds::activity::CreateType;
use serde::{Deserialize, Serialize};

use crate::activities::typed_enum;
use crate::protocol::note::NoteObject;
use crate::protocol::video::VideoObject;
use crate::protocol::{Audience, HttpUrl, ObjectRef};

/// `{type: "Create", id: "{object}/activity", actor, object}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Create {
    #[serde(default)]
    pub to: Audience,
    #[serde(default)]
    pub cc: Audience,
    #[serde(rename = "type")]
    pub kind: CreateType,
    pub id: HttpUrl,
    pub actor: ObjectRef,
    pub object: CreateObject,
}

typed_enum! {
    /// What a Create creates (CacheFile, Playlist and WatchAction are not handled).
    pub enum CreateObject {
        Video(Box<VideoObject>) = "Video",
        Note(Box<NoteObject>) = "Note",
    }
}
