//! The editable fields of a video, read and checked as PeerTube's validators do.

use chrono::{DateTime, Utc};
use ferrotube_federation::models::enums::{CommentsPolicy, VideoPrivacy};
use ferrotube_federation::video;
use ferrotube_federation::video::meta::VideoMeta;

use crate::fields::Fields;

fn valid_name(s: &str) -> bool {
    (3..=120).contains(&s.chars().count())
}

fn valid_tag(s: &str) -> bool {
    (2..=30).contains(&s.chars().count())
}

/// Nullable integers arrive as `null`, `""` or a number (forms send strings).
fn nullable_int(f: &mut Fields, name: &str, valid: impl Fn(i64) -> bool) -> Option<Option<i32>> {
    match f.raw(name) {
        None => None,
        Some(serde_json::Value::Null) => Some(None),
        Some(serde_json::Value::String(s)) if s.is_empty() || s == "null" => Some(None),
        Some(_) => f.opt_i64(name, valid).map(|n| Some(n as i32)),
    }
}

/// Reads the fields; `creating` makes `name` and `channelId` required.
pub fn read_meta(f: &mut Fields, creating: bool) -> VideoMeta {
    let name = if creating {
        Some(f.req_str("name", valid_name))
    } else {
        f.opt_str("name", valid_name)
    };
    let channel_id = f.opt_i64("channelId", |n| n > 0);
    if creating && channel_id.is_none() && !f.has("channelId") {
        f.fail("channelId");
    }
    let privacy = f
        .opt_i64("privacy", |n| (1..=4).contains(&n))
        .and_then(|n| VideoPrivacy::from_id(n as i16));
    let category = nullable_int(f, "category", |n| video::category_label(n as i32).is_some());
    let licence = nullable_int(f, "licence", |n| video::licence_label(n as i32).is_some());
    let language = f.nullable_str("language", |s| video::language_label(s).is_some());
    let description = f.nullable_str("description", |s| (3..=10_000).contains(&s.chars().count()));
    let support = f.nullable_str("support", |s| (3..=1000).contains(&s.chars().count()));
    let tags = match f.opt_str_array("tags", valid_tag) {
        Some(Some(t)) if t.len() > 5 => {
            f.fail("tags");
            None
        }
        Some(t) => {
            let mut tags = t.unwrap_or_default();
            let mut seen = std::collections::HashSet::new();
            tags.retain(|t| seen.insert(t.to_lowercase()));
            Some(tags)
        }
        None => None,
    };
    let nsfw = f.opt_bool("nsfw");
    let mut comments_policy = f
        .opt_i64("commentsPolicy", |n| {
            i16::try_from(n)
                .ok()
                .and_then(CommentsPolicy::from_id)
                .is_some()
        })
        .and_then(|n| CommentsPolicy::from_id(n as i16));
    if comments_policy.is_none() {
        // The deprecated boolean still works, as in PeerTube.
        comments_policy = f.opt_bool("commentsEnabled").map(|on| {
            if on {
                CommentsPolicy::Enabled
            } else {
                CommentsPolicy::Disabled
            }
        });
    }
    let download_enabled = f.opt_bool("downloadEnabled");
    let wait_transcoding = f.opt_bool("waitTranscoding");
    let originally_published_at = match f.raw("originallyPublishedAt") {
        None => None,
        Some(serde_json::Value::Null) => Some(None),
        Some(serde_json::Value::String(s)) if s.is_empty() => Some(None),
        Some(_) => f
            .opt_str("originallyPublishedAt", |s| {
                DateTime::parse_from_rfc3339(s).is_ok()
            })
            .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
            .map(|d| Some(d.with_timezone(&Utc))),
    };
    VideoMeta {
        name,
        channel_id,
        privacy,
        category,
        licence,
        language,
        description,
        support,
        tags,
        nsfw,
        comments_policy,
        download_enabled,
        wait_transcoding,
        originally_published_at,
    }
}
