//! A video's chapters, served at its `hasParts` link: `{id, hasPart: [{name, startOffset,
//! endOffset}]}`. PeerTube fetches it while it creates a remote video and drops the video when
//! the fetch fails.

use serde::{Deserialize, Serialize};

use super::lenient::{integer, vec_skip_invalid};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChaptersObject {
    pub id: String,
    #[serde(default, deserialize_with = "vec_skip_invalid")]
    pub has_part: Vec<Chapter>,
}

/// One chapter, in seconds from the start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Chapter {
    pub name: String,
    #[serde(deserialize_with = "integer")]
    pub start_offset: i64,
    #[serde(deserialize_with = "integer")]
    pub end_offset: i64,
}
