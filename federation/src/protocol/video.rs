//! The ActivityPub `Video` object of a local video, as PeerTube builds it.

use serde_json::{Value, json};

use super::context::{self, PUBLIC};
use crate::models::video::VideoFull;
use crate::time::iso;
use crate::urls::InstanceUrls;
use crate::video::{self, privacy, urls as vurls};

fn identifier_name(id: Option<String>, name: Option<&str>) -> Option<Value> {
    Some(json!({ "identifier": id?, "name": name? }))
}

fn file_links(urls: &InstanceUrls, full: &VideoFull) -> Vec<Value> {
    let v = &full.video;
    let mut out = Vec::new();
    for f in &full.files {
        let Some(href) = vurls::file_url(urls, v, f) else {
            continue;
        };
        let media_type = if !f.has_video {
            "audio/mp4"
        } else {
            match f.extension.trim_start_matches('.') {
                "webm" => "video/webm",
                "ogv" | "ogg" => "video/ogg",
                _ => "video/mp4",
            }
        };
        let mut attachment = Vec::new();
        if f.has_audio {
            attachment.push(
                json!({ "type": "PropertyValue", "name": "ffprobe_codec_type", "value": "audio" }),
            );
        }
        if f.has_video {
            attachment.push(
                json!({ "type": "PropertyValue", "name": "ffprobe_codec_type", "value": "video" }),
            );
        }
        attachment.push(json!({ "type": "PropertyValue", "name": "peertube_format_flag", "value": "web-video" }));
        out.push(json!({
            "type": "Link", "mediaType": media_type, "href": href,
            "height": f.height.unwrap_or(f.resolution), "width": f.width,
            "size": f.size, "fps": f.fps, "attachment": attachment,
        }));
        out.push(json!({
            "type": "Link", "rel": ["metadata", media_type], "mediaType": "application/json",
            "href": vurls::metadata_url(urls, v, f),
            "height": f.height.unwrap_or(f.resolution), "width": f.width, "fps": f.fps,
        }));
        if let (Some(torrent), Some(magnet)) =
            (vurls::torrent_url(urls, f), vurls::magnet(urls, v, f))
        {
            out.push(json!({
                "type": "Link", "mediaType": "application/x-bittorrent", "href": torrent,
                "height": f.height.unwrap_or(f.resolution), "width": f.width, "fps": f.fps,
            }));
            out.push(json!({
                "type": "Link", "mediaType": "application/x-bittorrent;x-scheme-handler/magnet",
                "href": magnet,
                "height": f.height.unwrap_or(f.resolution), "width": f.width, "fps": f.fps,
            }));
        }
    }
    out
}

pub fn video_object(urls: &InstanceUrls, full: &VideoFull) -> Value {
    let v = &full.video;
    let id = vurls::watch_url(urls, v);
    let account_url = &full.channel.owner.actor.url;
    let followers = full
        .channel
        .owner
        .actor
        .followers_url
        .clone()
        .unwrap_or_else(|| format!("{account_url}/followers"));
    let (to, cc) = if v.privacy == privacy::PUBLIC {
        (json!([PUBLIC]), json!([followers]))
    } else {
        (json!([]), json!([]))
    };
    let mut url = vec![json!({ "type": "Link", "mediaType": "text/html", "href": id })];
    url.extend(file_links(urls, full));
    url.push(json!({
        "type": "Link", "name": "tracker-http", "rel": ["tracker", "http"],
        "href": vurls::http_announce(urls),
    }));
    url.push(json!({
        "type": "Link", "name": "tracker-websocket", "rel": ["tracker", "websocket"],
        "href": urls.tracker_ws,
    }));
    let mut icon = Vec::new();
    if let Some(t) = vurls::thumbnail_path(v) {
        icon.push(json!({ "type": "Image", "url": format!("{}{t}", urls.base), "mediaType": "image/jpeg", "width": 280, "height": 157 }));
    }
    if let Some(p) = vurls::preview_path(v) {
        icon.push(json!({ "type": "Image", "url": format!("{}{p}", urls.base), "mediaType": "image/jpeg", "width": 850, "height": 480 }));
    }
    json!({
        "@context": context::video(),
        "to": to,
        "cc": cc,
        "type": "Video",
        "id": id,
        "name": v.name,
        "duration": format!("PT{}S", v.duration),
        "uuid": v.uuid,
        "category": identifier_name(v.category.map(|c| c.to_string()), v.category.and_then(video::category_label)),
        "licence": identifier_name(v.licence.map(|l| l.to_string()), v.licence.and_then(video::licence_label)),
        "language": identifier_name(v.language.clone(), v.language.as_deref().and_then(video::language_label)),
        "views": v.views,
        "sensitive": v.nsfw,
        "waitTranscoding": v.wait_transcoding,
        "state": v.state,
        "commentsEnabled": v.comments_policy != 2,
        "canReply": if v.comments_policy == 3 { json!(PUBLIC) } else { Value::Null },
        "commentsPolicy": v.comments_policy,
        "downloadEnabled": v.download_enabled,
        "published": iso(&v.published_at),
        "originallyPublishedAt": v.originally_published_at.as_ref().map(iso),
        "updated": iso(&v.updated_at),
        "tag": full.tags.iter().map(|t| json!({ "type": "Hashtag", "name": t })).collect::<Vec<_>>(),
        "mediaType": "text/markdown",
        "content": v.description,
        "support": v.support,
        "subtitleLanguage": [],
        "icon": icon,
        "aspectRatio": v.aspect_ratio.map(|r| (r as f64 * 10_000.0).round() / 10_000.0),
        "url": url,
        "likes": format!("{id}/likes"),
        "dislikes": format!("{id}/dislikes"),
        "shares": format!("{id}/announces"),
        "comments": format!("{id}/comments"),
        "hasParts": format!("{id}/chapters"),
        "attributedTo": [
            { "type": "Person", "id": account_url },
            { "type": "Group", "id": full.channel.actor.url },
        ],
        "isLiveBroadcast": false,
        "liveSaveReplay": null,
        "permanentLive": null,
        "latencyMode": null,
    })
}
