//! What a deleted comment becomes: a `Tombstone` remembering it was a Note.

use activitypub_federation::kinds::object::TombstoneType;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{HttpUrl, ObjectRef};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tombstone {
    #[serde(rename = "type")]
    pub kind: TombstoneType,
    pub id: HttpUrl,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub former_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<ObjectRef>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::option"
    )]
    pub published: Option<DateTime<Utc>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::option"
    )]
    pub updated: Option<DateTime<Utc>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::option"
    )]
    pub deleted: Option<DateTime<Utc>>,
}
