use activitypub_federation::kinds::activity::DeleteType;
use serde::{Deserialize, Serialize};

use crate::protocol::{Audience, HttpUrl, ObjectRef};

/// `{type: "Delete", id: "{object}/delete", actor, object: <URL, or a Tombstone>}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delete {
    #[serde(rename = "type")]
    pub kind: DeleteType,
    pub id: HttpUrl,
    pub actor: ObjectRef,
    pub object: ObjectRef,
    #[serde(default)]
    pub to: Audience,
    #[serde(default)]
    pub cc: Audience,
}
