//! The `Note` object: a comment on a video or a reply to another comment, as PeerTube writes it
//! and as Mastodon sends replies (HTML content, mentions).

use activitypub_federation::kinds::link::MentionType;
use activitypub_federation::kinds::object::NoteType;
use activitypub_federation::protocol::helpers::deserialize_skip_error;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::lenient::vec_skip_invalid;
use super::link::Hashtag;
use super::{Audience, HttpUrl, ObjectRef};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NoteObject {
    #[serde(default)]
    pub to: Audience,
    #[serde(default)]
    pub cc: Audience,
    #[serde(rename = "type")]
    pub kind: NoteType,
    pub id: HttpUrl,
    /// Markdown from PeerTube, HTML from Mastodon (see `media_type`).
    #[serde(default)]
    pub content: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// The video, or the comment this one answers.
    pub in_reply_to: ObjectRef,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::option"
    )]
    pub updated: Option<DateTime<Utc>>,
    #[serde(with = "crate::time")]
    pub published: DateTime<Utc>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub url: Option<String>,
    pub attributed_to: ObjectRef,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub reply_approval: Option<HttpUrl>,
    #[serde(default, deserialize_with = "vec_skip_invalid")]
    pub tag: Vec<NoteTag>,
}

/// A mention of an ancestor comment's author, or a hashtag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum NoteTag {
    Mention(Mention),
    Hashtag(Hashtag),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    #[serde(rename = "type")]
    pub kind: MentionType,
    pub href: HttpUrl,
    /// `@user@host`.
    pub name: String,
}

/// A comment as served at its URL: the Note, or its Tombstone once deleted.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CommentObject {
    Note(Box<NoteObject>),
    Tombstone(Box<super::tombstone::Tombstone>),
}
