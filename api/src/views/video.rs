//! The `Video` (lists) and `VideoDetails` (one video) objects.

use ferrotube_federation::models::channel::ChannelFull;
use ferrotube_federation::models::enums::CommentsPolicy;
use ferrotube_federation::models::video::{Video, VideoFull};
use ferrotube_federation::models::video_file::VideoFile;
use ferrotube_federation::models::video_streaming_playlist::StreamingPlaylistFull;
use ferrotube_federation::time::iso;
use ferrotube_federation::urls::InstanceUrls;
use ferrotube_federation::video::{self, urls as vurls};
use serde_json::{Map, Value, json};

use super::account::{account_json, account_summary};
use super::channel::channel_json;
use super::video_file::{StreamingPlaylistView, VideoFileView};

fn id_label<T: serde::Serialize>(id: Option<T>, label: Option<&str>) -> Value {
    match id {
        Some(id) => json!({ "id": id, "label": label.unwrap_or("Unknown") }),
        None => json!({ "id": null, "label": "Unknown" }),
    }
}

/// PeerTube truncates list descriptions to 250 characters.
fn truncated(description: &Option<String>) -> Value {
    match description {
        Some(d) if d.chars().count() > 250 => {
            let cut: String = d.chars().take(247).collect();
            Value::String(format!("{cut}..."))
        }
        Some(d) => Value::String(d.clone()),
        None => Value::Null,
    }
}

fn channel_summary(urls: &InstanceUrls, c: &ChannelFull) -> Value {
    json!({
        "id": c.channel.id,
        "name": c.actor.preferred_username,
        "displayName": c.channel.display_name,
        "url": c.actor.url,
        "host": super::account::host(urls, c.server.as_ref()),
        "avatars": super::account::ActorImage::list(&c.images.avatars),
    })
}

fn base(urls: &InstanceUrls, v: &Video, channel: &ChannelFull, viewers: i64) -> Map<String, Value> {
    let json = json!({
        "id": v.id,
        "uuid": v.uuid,
        "shortUUID": video::short_uuid::encode(&v.uuid),
        "url": vurls::watch_url(urls, v),
        "name": v.name,
        "category": id_label(v.category, v.category.and_then(video::category_label)),
        "licence": id_label(v.licence, v.licence.and_then(video::licence_label)),
        "language": id_label(v.language.clone(), v.language.as_deref().and_then(video::language_label)),
        "privacy": id_label(Some(v.privacy.id()), Some(v.privacy.label())),
        "nsfw": v.nsfw,
        "truncatedDescription": truncated(&v.description),
        "description": truncated(&v.description),
        "isLocal": v.is_local,
        "duration": v.duration,
        "aspectRatio": v.aspect_ratio.map(|r| (r as f64 * 10_000.0).round() / 10_000.0),
        "views": v.views,
        "viewers": viewers,
        "likes": v.likes,
        "dislikes": v.dislikes,
        "thumbnailPath": vurls::thumbnail_path(v),
        "previewPath": vurls::preview_path(v),
        "embedPath": format!("/videos/embed/{}", v.uuid),
        "createdAt": iso(&v.created_at),
        "updatedAt": iso(&v.updated_at),
        "publishedAt": iso(&v.published_at),
        "originallyPublishedAt": v.originally_published_at.as_ref().map(iso),
        "isLive": false,
        "account": account_summary(urls, &channel.owner),
        "channel": channel_summary(urls, channel),
    });
    match json {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// A video as listed.
pub fn video_json(urls: &InstanceUrls, v: &Video, channel: &ChannelFull, viewers: i64) -> Value {
    Value::Object(base(urls, v, channel, viewers))
}

/// A list entry with the owner's extra fields (`state`, `waitTranscoding`), as in
/// `/users/me/videos`.
pub fn video_json_for_owner(
    urls: &InstanceUrls,
    v: &Video,
    channel: &ChannelFull,
    viewers: i64,
) -> Value {
    let mut m = base(urls, v, channel, viewers);
    m.insert(
        "state".into(),
        id_label(Some(v.state.id()), Some(v.state.label())),
    );
    m.insert("waitTranscoding".into(), json!(v.wait_transcoding));
    m.insert("blacklisted".into(), json!(false));
    m.insert("blacklistedReason".into(), Value::Null);
    Value::Object(m)
}

/// `files` and `streamingPlaylists`, as PeerTube adds them to a video (its details, or a list
/// entry asked for with `include` FILES).
pub fn insert_files(
    m: &mut Map<String, Value>,
    urls: &InstanceUrls,
    v: &Video,
    files: &[VideoFile],
    playlists: &[StreamingPlaylistFull],
) {
    m.insert(
        "streamingPlaylists".into(),
        to_value(StreamingPlaylistView::list(urls, v, playlists)),
    );
    m.insert(
        "files".into(),
        to_value(VideoFileView::list(urls, v, files)),
    );
}

fn to_value(v: impl serde::Serialize) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// One video, with files, tags, full channel and account.
pub fn video_details_json(urls: &InstanceUrls, full: &VideoFull, viewers: i64) -> Value {
    let v = &full.video;
    let mut m = base(urls, v, &full.channel, viewers);
    m.insert("description".into(), json!(v.description));
    m.insert("account".into(), account_json(urls, &full.channel.owner));
    m.insert("channel".into(), channel_json(urls, &full.channel));
    m.insert("blacklisted".into(), json!(false));
    m.insert("blacklistedReason".into(), Value::Null);
    insert_files(&mut m, urls, v, &full.files, &full.streaming_playlists);
    m.insert("support".into(), json!(v.support));
    m.insert(
        "descriptionPath".into(),
        json!(format!("/api/v1/videos/{}/description", v.uuid)),
    );
    m.insert("tags".into(), json!(full.tags));
    m.insert(
        "commentsEnabled".into(),
        json!(v.comments_policy != CommentsPolicy::Disabled),
    );
    m.insert(
        "commentsPolicy".into(),
        id_label(
            Some(v.comments_policy.id()),
            Some(v.comments_policy.label()),
        ),
    );
    m.insert("downloadEnabled".into(), json!(v.download_enabled));
    m.insert("waitTranscoding".into(), json!(v.wait_transcoding));
    m.insert(
        "inputFileUpdatedAt".into(),
        // ferrotube does not replace source files, so the input file is never updated.
        Value::Null,
    );
    m.insert(
        "state".into(),
        id_label(Some(v.state.id()), Some(v.state.label())),
    );
    m.insert(
        "trackerUrls".into(),
        json!([vurls::http_announce(urls), urls.tracker_ws]),
    );
    Value::Object(m)
}
