//! The ActivityPub `Video` object: sent for our videos as PeerTube builds it, and received from
//! other servers (checked and turned into a model row by `video::remote`).

use activitypub_federation::kinds::object::VideoType;
use activitypub_federation::protocol::helpers::deserialize_skip_error;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::lenient::{integer, opt_integer, vec_skip_invalid};
use super::link::{Hashtag, Image, Infohash, Link, LinkTag, PropertyValue};
use super::{Audience, HttpUrl, PUBLIC, public, url};
use crate::FederationError;
use crate::models::actor::ActorType;
use crate::models::enums::{CommentsPolicy, VideoPrivacy};
use crate::models::video::VideoFull;
use crate::urls::InstanceUrls;
use crate::video::{self, urls as vurls};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VideoObject {
    #[serde(default)]
    pub to: Audience,
    #[serde(default)]
    pub cc: Audience,
    #[serde(rename = "type")]
    pub kind: VideoType,
    pub id: HttpUrl,
    pub name: String,
    /// `PT{seconds}S`.
    pub duration: String,
    pub uuid: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub category: Option<Identifier>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub licence: Option<Identifier>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub language: Option<Identifier>,
    #[serde(deserialize_with = "integer")]
    pub views: i64,
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub wait_transcoding: bool,
    #[serde(default, deserialize_with = "opt_integer")]
    pub state: Option<i16>,
    #[serde(default)]
    pub comments_enabled: Option<bool>,
    /// Null when comments are open, the Public URI when they need approval.
    #[serde(default)]
    pub can_reply: Option<String>,
    #[serde(default, deserialize_with = "opt_integer")]
    pub comments_policy: Option<i16>,
    #[serde(default)]
    pub download_enabled: Option<bool>,
    #[serde(with = "crate::time")]
    pub published: DateTime<Utc>,
    #[serde(default, with = "crate::time::option")]
    pub originally_published_at: Option<DateTime<Utc>>,
    #[serde(with = "crate::time")]
    pub updated: DateTime<Utc>,
    #[serde(default, deserialize_with = "vec_skip_invalid")]
    pub tag: Vec<Hashtag>,
    #[serde(default)]
    pub media_type: Option<String>,
    /// The raw Markdown description.
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default)]
    pub support: Option<String>,
    #[serde(default, deserialize_with = "vec_skip_invalid")]
    pub subtitle_language: Vec<SubtitleLanguage>,
    #[serde(default, deserialize_with = "vec_skip_invalid")]
    pub icon: Vec<Image>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "vec_skip_invalid"
    )]
    pub preview: Vec<Storyboard>,
    #[serde(default)]
    pub aspect_ratio: Option<f64>,
    #[serde(default, deserialize_with = "vec_skip_invalid")]
    pub url: Vec<Link>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub likes: Option<HttpUrl>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub dislikes: Option<HttpUrl>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub shares: Option<HttpUrl>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub comments: Option<HttpUrl>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub has_parts: Option<HttpUrl>,
    #[serde(default, deserialize_with = "vec_skip_invalid")]
    pub attributed_to: Vec<AttributedTo>,
    #[serde(default)]
    pub is_live_broadcast: bool,
    #[serde(default)]
    pub live_save_replay: Option<bool>,
    #[serde(default)]
    pub permanent_live: Option<bool>,
    #[serde(default, deserialize_with = "opt_integer")]
    pub latency_mode: Option<i16>,
}

/// `{identifier, name}` of a category, licence or language; the identifier of a number is a
/// string.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Identifier {
    pub identifier: String,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubtitleLanguage {
    pub identifier: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub automatically_generated: Option<bool>,
    #[serde(default)]
    pub url: Option<String>,
}

/// The storyboard sprite sheet (`preview` with rel `storyboard`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Storyboard {
    #[serde(rename = "type")]
    pub kind: activitypub_federation::kinds::object::ImageType,
    #[serde(default)]
    pub rel: Vec<String>,
    #[serde(default, deserialize_with = "vec_skip_invalid")]
    pub url: Vec<StoryboardUrl>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoryboardUrl {
    pub media_type: String,
    pub href: String,
    #[serde(deserialize_with = "integer")]
    pub width: i32,
    #[serde(deserialize_with = "integer")]
    pub height: i32,
    #[serde(deserialize_with = "integer")]
    pub tile_width: i32,
    #[serde(deserialize_with = "integer")]
    pub tile_height: i32,
    pub tile_duration: String,
}

/// `{type, id}` of the owning account (Person) and channel (Group).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributedTo {
    #[serde(rename = "type")]
    pub kind: ActorType,
    pub id: HttpUrl,
}

impl VideoObject {
    /// The first `attributedTo` of this kind.
    pub fn attributed(&self, kind: ActorType) -> Option<&HttpUrl> {
        self.attributed_to
            .iter()
            .find(|a| a.kind == kind)
            .map(|a| &a.id)
    }
}

fn identifier(id: Option<String>, name: Option<&str>) -> Option<Identifier> {
    Some(Identifier {
        identifier: id?,
        name: Some(name?.to_string()),
    })
}

fn file_media_type(f: &crate::models::video_file::VideoFile) -> &'static str {
    if !f.has_video {
        return "audio/mp4";
    }
    match f.extension.trim_start_matches('.') {
        "webm" => "video/webm",
        "ogv" | "ogg" => "video/ogg",
        _ => "video/mp4",
    }
}

/// Each file's links: the file, its metadata, and its torrent and magnet when it has them.
/// `format` is PeerTube's `peertube_format_flag`: `web-video` or `fragmented` (HLS).
fn file_links(
    urls: &InstanceUrls,
    v: &crate::models::video::Video,
    files: &[crate::models::video_file::VideoFile],
    format: &str,
) -> Vec<Link> {
    let mut out = Vec::new();
    for f in files {
        let Some(href) = vurls::file_url(urls, v, f) else {
            continue;
        };
        let media_type = file_media_type(f);
        let height = Some(f.height.unwrap_or(f.resolution));
        let sized = |mut l: Link| {
            l.height = height;
            l.width = f.width;
            l.fps = Some(f.fps);
            l
        };
        let mut attachment = Vec::new();
        if f.has_audio {
            attachment.push(PropertyValue::new("ffprobe_codec_type", "audio"));
        }
        if f.has_video {
            attachment.push(PropertyValue::new("ffprobe_codec_type", "video"));
        }
        attachment.push(PropertyValue::new("peertube_format_flag", format));
        out.push(Link {
            size: Some(f.size),
            attachment,
            ..sized(Link::new(media_type, href))
        });
        out.push(Link {
            rel: vec!["metadata".into(), media_type.into()],
            ..sized(Link::new(
                "application/json",
                vurls::metadata_url(urls, v, f),
            ))
        });
        if let (Some(torrent), Some(magnet)) =
            (vurls::torrent_url(urls, f), vurls::magnet(urls, v, f))
        {
            out.push(sized(Link::new("application/x-bittorrent", torrent)));
            out.push(sized(Link::new(
                "application/x-bittorrent;x-scheme-handler/magnet",
                magnet,
            )));
        }
    }
    out
}

/// The HLS playlists' links: the master playlist, tagged with the renditions' swarm ids, the
/// segment hashes and the renditions' own links.
fn playlist_links(urls: &InstanceUrls, full: &VideoFull) -> Vec<Link> {
    let v = &full.video;
    let mut out = Vec::new();
    for p in &full.streaming_playlists {
        let Some(href) = vurls::master_playlist_url(urls, v, &p.playlist) else {
            continue;
        };
        let mut tag: Vec<LinkTag> = p
            .playlist
            .p2p_media_loader_infohashes
            .iter()
            .map(|h| LinkTag::Infohash(Infohash::new(h)))
            .collect();
        if let Some(sha) = vurls::segments_sha256_url(urls, v, &p.playlist) {
            tag.push(LinkTag::Link(Link {
                name: Some("sha256".into()),
                ..Link::new("application/json", sha)
            }));
        }
        tag.extend(
            file_links(urls, v, &p.files, "fragmented")
                .into_iter()
                .map(LinkTag::Link),
        );
        out.push(Link {
            tag,
            ..Link::new("application/x-mpegURL", href)
        });
    }
    out
}

impl VideoObject {
    /// Our video as PeerTube builds it (without `@context`: wrap it in `WithContext` to serve it
    /// alone).
    pub fn local(urls: &InstanceUrls, full: &VideoFull) -> Result<Self, FederationError> {
        let v = &full.video;
        let id = vurls::watch_url(urls, v);
        let account = &full.channel.owner.actor;
        let followers = account
            .followers_url
            .clone()
            .unwrap_or_else(|| format!("{}/followers", account.url));
        let (to, cc) = if v.privacy == VideoPrivacy::Public {
            (vec![public()], vec![url(&followers)?])
        } else {
            (Vec::new(), Vec::new())
        };
        let mut links = vec![Link::new("text/html", id.clone())];
        links.extend(file_links(urls, v, &full.files, "web-video"));
        links.extend(playlist_links(urls, full));
        links.push(Link {
            name: Some("tracker-http".into()),
            rel: vec!["tracker".into(), "http".into()],
            ..Link::new_untyped(vurls::http_announce(urls))
        });
        links.push(Link {
            name: Some("tracker-websocket".into()),
            rel: vec!["tracker".into(), "websocket".into()],
            ..Link::new_untyped(urls.tracker_ws.clone())
        });
        let mut icon = Vec::new();
        if let Some(t) = vurls::thumbnail_path(v) {
            icon.push(Image::jpeg(format!("{}{t}", urls.base), 280, 157));
        }
        if let Some(p) = vurls::preview_path(v) {
            icon.push(Image::jpeg(format!("{}{p}", urls.base), 850, 480));
        }
        let sub = |s: &str| url(&format!("{id}/{s}")).map(Some);
        Ok(Self {
            to,
            cc,
            kind: VideoType::Video,
            id: url(&id)?,
            name: v.name.clone(),
            duration: format!("PT{}S", v.duration),
            uuid: v.uuid.to_string(),
            category: identifier(
                v.category.map(|c| c.to_string()),
                v.category.and_then(video::category_label),
            ),
            licence: identifier(
                v.licence.map(|l| l.to_string()),
                v.licence.and_then(video::licence_label),
            ),
            language: identifier(
                v.language.clone(),
                v.language.as_deref().and_then(video::language_label),
            ),
            views: v.views,
            sensitive: v.nsfw,
            wait_transcoding: v.wait_transcoding,
            state: Some(v.state.id()),
            comments_enabled: Some(v.comments_policy != CommentsPolicy::Disabled),
            can_reply: (v.comments_policy == CommentsPolicy::RequiresApproval)
                .then(|| PUBLIC.to_string()),
            comments_policy: Some(v.comments_policy.id()),
            download_enabled: Some(v.download_enabled),
            published: v.published_at,
            originally_published_at: v.originally_published_at,
            updated: v.updated_at,
            tag: full.tags.iter().map(|t| Hashtag::new(t)).collect(),
            media_type: Some("text/markdown".into()),
            content: v.description.clone(),
            support: v.support.clone(),
            subtitle_language: Vec::new(),
            icon,
            preview: Vec::new(),
            aspect_ratio: v
                .aspect_ratio
                .map(|r| (f64::from(r) * 10_000.0).round() / 10_000.0),
            url: links,
            likes: sub("likes")?,
            dislikes: sub("dislikes")?,
            shares: sub("announces")?,
            comments: sub("comments")?,
            has_parts: sub("chapters")?,
            attributed_to: vec![
                AttributedTo {
                    kind: ActorType::Person,
                    id: url(&account.url)?,
                },
                AttributedTo {
                    kind: ActorType::Group,
                    id: url(&full.channel.actor.url)?,
                },
            ],
            is_live_broadcast: false,
            live_save_replay: None,
            permanent_live: None,
            latency_mode: None,
        })
    }
}

impl Link {
    /// A link without a media type (the trackers).
    fn new_untyped(href: String) -> Self {
        Self {
            href,
            ..Self::default()
        }
    }
}
