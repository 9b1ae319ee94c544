use activitypub_federation::kinds::activity::UndoType;
use serde::Deserialize;

use crate::activities::announce::Announce;
use crate::activities::create::Create;
use crate::activities::dislike::Dislike;
use crate::activities::follow::Follow;
use crate::activities::like::Like;
use crate::activities::typed_enum;
use crate::protocol::{Audience, HttpUrl, ObjectRef};

/// `{type: "Undo", id: "{activity}/undo", actor, object: <the undone activity, embedded>}`.
#[derive(Debug, Clone, serde::Serialize, Deserialize)]
pub struct Undo {
    #[serde(rename = "type")]
    pub kind: UndoType,
    pub id: HttpUrl,
    pub actor: ObjectRef,
    pub object: UndoObject,
    #[serde(default)]
    pub to: Audience,
    #[serde(default)]
    pub cc: Audience,
}

typed_enum! {
    /// What an Undo undoes; PeerTube needs it embedded.
    pub enum UndoObject {
        Follow(Follow) = "Follow",
        Like(Like) = "Like",
        Dislike(Dislike) = "Dislike",
        Announce(Announce) = "Announce",
        Create(Box<Create>) = "Create",
    }
}
