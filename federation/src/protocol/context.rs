//! PeerTube's JSON-LD `@context` values, bundled so that nothing is fetched at run time. Each is
//! a constant document (`contexts/*.json`, checked against PeerTube's captures in the tests),
//! serialised as it stands and never read from received documents (receivers ignore it).

use std::sync::LazyLock;

use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

pub const ACTIVITYSTREAMS: &str = "https://www.w3.org/ns/activitystreams";
pub const SECURITY_V1: &str = "https://w3id.org/security/v1";
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// Which of PeerTube's contexts a document carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// The three entries every PeerTube document starts with; Collection, Follow, Accept,
    /// Reject, Undo, Announce, Delete, Like and Dislike carry only these.
    Base,
    /// Person, Group and Application documents.
    Actor,
    /// Video objects and the Create and Update that carry them.
    Video,
    /// Comments (Note) and the Create that carries them.
    Note,
    /// A video's chapters (`hasParts`).
    Chapters,
    /// The approval of a reply to one of our videos.
    ApproveReply,
}

fn parsed(text: &'static str) -> Box<RawValue> {
    match RawValue::from_string(text.trim().to_string()) {
        Ok(v) => v,
        // The documents are compiled in and covered by tests.
        Err(e) => unreachable!("bundled context is not JSON: {e}"),
    }
}

static BASE: LazyLock<Box<RawValue>> = LazyLock::new(|| parsed(include_str!("contexts/base.json")));
static ACTOR: LazyLock<Box<RawValue>> =
    LazyLock::new(|| parsed(include_str!("contexts/actor.json")));
static VIDEO: LazyLock<Box<RawValue>> =
    LazyLock::new(|| parsed(include_str!("contexts/video.json")));
static NOTE: LazyLock<Box<RawValue>> = LazyLock::new(|| parsed(include_str!("contexts/note.json")));
static CHAPTERS: LazyLock<Box<RawValue>> =
    LazyLock::new(|| parsed(include_str!("contexts/chapters.json")));
static APPROVE_REPLY: LazyLock<Box<RawValue>> =
    LazyLock::new(|| parsed(include_str!("contexts/approve-reply.json")));

impl Context {
    pub fn document(self) -> &'static RawValue {
        match self {
            Self::Base => &BASE,
            Self::Actor => &ACTOR,
            Self::Video => &VIDEO,
            Self::Note => &NOTE,
            Self::Chapters => &CHAPTERS,
            Self::ApproveReply => &APPROVE_REPLY,
        }
    }
}

impl Serialize for Context {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.document().serialize(serializer)
    }
}

/// A document with its `@context` first, as PeerTube writes them. Sent documents are built as
/// `WithContext::new(Context::Video, object)`; embedded objects go without one.
#[derive(Debug, Clone, Serialize)]
pub struct WithContext<T> {
    #[serde(rename = "@context")]
    pub context: Context,
    #[serde(flatten)]
    pub inner: T,
}

impl<T> WithContext<T> {
    pub fn new(context: Context, inner: T) -> Self {
        Self { context, inner }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts_start_with_the_base_three() {
        for c in [
            Context::Base,
            Context::Actor,
            Context::Video,
            Context::Note,
            Context::Chapters,
            Context::ApproveReply,
        ] {
            let v: serde_json::Value = match serde_json::from_str(c.document().get()) {
                Ok(v) => v,
                Err(e) => panic!("{c:?}: {e}"),
            };
            assert_eq!(v[0], ACTIVITYSTREAMS);
            assert_eq!(v[1], SECURITY_V1);
            assert_eq!(
                v[2]["RsaSignature2017"],
                "https://w3id.org/security#RsaSignature2017"
            );
        }
    }
}
