use activitypub_federation::kinds::kind;
use serde::{Deserialize, Serialize};

use crate::protocol::{Audience, HttpUrl, ObjectRef};

kind!(ApproveReplyType, ApproveReply);

/// `{type: "ApproveReply", id: "{comment}/approve-reply", actor: <video owner>, inReplyTo:
/// <parent comment or video>, object: <comment URL>}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApproveReply {
    #[serde(rename = "type")]
    pub kind: ApproveReplyType,
    pub id: HttpUrl,
    pub actor: ObjectRef,
    pub in_reply_to: ObjectRef,
    pub object: ObjectRef,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Audience,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cc: Audience,
}
