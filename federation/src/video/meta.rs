//! The editable fields of a video, as an upload or an update gives them (the REST API reads
//! and checks them as PeerTube's validators do).

use chrono::{DateTime, Utc};

use crate::models::enums::{CommentsPolicy, VideoPrivacy};

/// What an upload or an update may set. `None` leaves a field as it is (or to its default).
#[derive(Debug, Default, Clone)]
pub struct VideoMeta {
    pub name: Option<String>,
    pub channel_id: Option<i64>,
    pub privacy: Option<VideoPrivacy>,
    pub category: Option<Option<i32>>,
    pub licence: Option<Option<i32>>,
    pub language: Option<Option<String>>,
    pub description: Option<Option<String>>,
    pub support: Option<Option<String>>,
    pub tags: Option<Vec<String>>,
    pub nsfw: Option<bool>,
    pub comments_policy: Option<CommentsPolicy>,
    pub download_enabled: Option<bool>,
    pub wait_transcoding: Option<bool>,
    pub originally_published_at: Option<Option<DateTime<Utc>>>,
}
