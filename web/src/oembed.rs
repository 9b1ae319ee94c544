//! `GET /services/oembed?url=…[&maxwidth=…][&maxheight=…][&format=json|xml]`: the embed of a
//! watch URL of this instance, as PeerTube builds it (an iframe of `/videos/embed/{uuid}`, the
//! preview as thumbnail), in JSON or in the oEmbed XML format.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use ferrotube_federation::AppState;
use ferrotube_federation::models::enums::{VideoPrivacy, VideoState};
use ferrotube_federation::models::video::Video;
use ferrotube_federation::video::{short_uuid, urls as vurls};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{WebError, WebResult};
use crate::meta::EMBED_SIZE;
use crate::site::Site;
use crate::view;

/// The preview's size (the media crate makes 850x480 previews).
const PREVIEW_SIZE: (u32, u32) = (850, 480);

/// Embed parameters carried over from the watch URL's query (PeerTube's list).
const PLAYER_PARAMETERS: &[&str] = &[
    "start",
    "stop",
    "loop",
    "autoplay",
    "muted",
    "controls",
    "controlBar",
    "title",
    "api",
    "warningTitle",
    "peertubeLink",
    "p2p",
    "subtitle",
    "bigPlayBackgroundColor",
    "mode",
    "foregroundColor",
    "playbackRate",
    "waitPasswordFromEmbedAPI",
    "playlistPosition",
];

#[derive(Debug, Deserialize)]
pub struct OEmbedQuery {
    url: Option<String>,
    maxwidth: Option<String>,
    maxheight: Option<String>,
    format: Option<String>,
}

/// The oEmbed response (`type: video`); the same struct is written as JSON and as XML.
#[derive(Debug, Serialize)]
#[serde(rename = "oembed")]
pub struct OEmbed {
    #[serde(rename = "type")]
    kind: &'static str,
    version: &'static str,
    html: String,
    width: u32,
    height: u32,
    title: String,
    author_name: String,
    author_url: String,
    provider_name: &'static str,
    provider_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    thumbnail_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    thumbnail_width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    thumbnail_height: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Json,
    Xml,
}

pub async fn handler(
    State(state): State<AppState>,
    Extension(site): Extension<Arc<Site>>,
    Query(query): Query<OEmbedQuery>,
) -> Response {
    match answer(&state, &site, &query).await {
        Ok(res) => res,
        Err(e) => e.problem(),
    }
}

fn int_param(name: &'static str, value: &Option<String>) -> WebResult<Option<u32>> {
    match value {
        None => Ok(None),
        Some(v) => v
            .parse::<i64>()
            .map(|n| Some(n.clamp(0, i64::from(u32::MAX)) as u32))
            .map_err(|_| WebError::InvalidQuery {
                name,
                value: Some(v.clone()),
            }),
    }
}

async fn answer(state: &AppState, site: &Site, q: &OEmbedQuery) -> WebResult<Response> {
    let raw = q.url.as_deref().unwrap_or_default();
    let url = url::Url::parse(raw)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .ok_or_else(|| WebError::InvalidQuery {
            name: "url",
            value: q.url.clone(),
        })?;
    let max_width = int_param("maxwidth", &q.maxwidth)?;
    let max_height = int_param("maxheight", &q.maxheight)?;
    let format = match q.format.as_deref() {
        None | Some("json") => Format::Json,
        Some("xml") => Format::Xml,
        Some(other) => {
            return Err(WebError::InvalidQuery {
                name: "format",
                value: Some(other.to_string()),
            });
        }
    };
    let id =
        video_id(site, raw, &url).ok_or_else(|| WebError::BadRequest("Invalid url.".into()))?;
    let video = {
        let mut conn = state.conn().await?;
        Video::find_by_any_id(&mut conn, &id.to_string())
            .await?
            .ok_or(WebError::NotFound("Video not found"))?
    };
    // Unlisted videos only through their full link, as PeerTube; and only what is published.
    let public = video.privacy == VideoPrivacy::Public
        || (video.privacy == VideoPrivacy::Unlisted && matches!(id, VideoId::Uuid(_)));
    let published = video.state == VideoState::Published
        || (video.state == VideoState::ToTranscode && !video.wait_transcoding);
    if !public || !published {
        return Err(WebError::Forbidden("Video is not publicly available"));
    }
    let channel = {
        let mut conn = state.conn().await?;
        ferrotube_federation::models::channel::ChannelFull::load(&mut conn, video.channel_id)
            .await?
            .ok_or(WebError::NotFound("Video not found"))?
    };
    let embed = build(site, &video, &channel, &url, max_width, max_height);
    match format {
        Format::Json => {
            let body = serde_json::to_vec(&embed).map_err(|e| WebError::Render(e.to_string()))?;
            Ok((
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json; charset=utf-8"),
                )],
                body,
            )
                .into_response())
        }
        Format::Xml => {
            let xml =
                quick_xml::se::to_string(&embed).map_err(|e| WebError::Render(e.to_string()))?;
            let body =
                format!("<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\n{xml}");
            Ok((
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/xml; charset=utf-8"),
                )],
                body,
            )
                .into_response())
        }
    }
}

enum VideoId {
    Number(i64),
    Uuid(Uuid),
}

impl std::fmt::Display for VideoId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Number(n) => write!(f, "{n}"),
            Self::Uuid(u) => write!(f, "{u}"),
        }
    }
}

/// The video a URL names: `{base}/videos/watch/{id}` or `{base}/w/{id}` of this instance,
/// the id numeric, a UUID or a short UUID.
fn video_id(site: &Site, raw: &str, url: &url::Url) -> Option<VideoId> {
    let rest = ["/videos/watch/", "/w/"]
        .iter()
        .find_map(|p| raw.strip_prefix(&site.url(p)))?;
    if rest.starts_with("p/") || rest.starts_with("playlist/") {
        return None;
    }
    let last = url.path().rsplit('/').next()?;
    if let Ok(n) = last.parse::<i64>() {
        return Some(VideoId::Number(n));
    }
    Uuid::parse_str(last)
        .ok()
        .or_else(|| short_uuid::decode(last))
        .map(VideoId::Uuid)
}

fn build(
    site: &Site,
    video: &Video,
    channel: &ferrotube_federation::models::channel::ChannelFull,
    url: &url::Url,
    max_width: Option<u32>,
    max_height: Option<u32>,
) -> OEmbed {
    let params: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| PLAYER_PARAMETERS.contains(&k.as_ref()))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut embed_url = site.url(&view::embed_path(video));
    if !params.is_empty() {
        embed_url.push('?');
        embed_url.push_str(
            &url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(params)
                .finish(),
        );
    }
    let width = max_width.map_or(EMBED_SIZE.0, |m| m.min(EMBED_SIZE.0));
    let height = max_height.map_or(EMBED_SIZE.1, |m| m.min(EMBED_SIZE.1));
    // No thumbnail when the consumer's box is smaller than the preview.
    let too_small = max_width.is_some_and(|m| m < PREVIEW_SIZE.0)
        || max_height.is_some_and(|m| m < PREVIEW_SIZE.1);
    let thumbnail_url = vurls::preview_path(video)
        .filter(|_| !too_small)
        .map(|p| site.url(&p));
    let html = format!(
        "<iframe width=\"{width}\" height=\"{height}\" sandbox=\"allow-same-origin allow-scripts allow-popups allow-forms\" \
         title=\"{}\" src=\"{}\" frameborder=\"0\" allowfullscreen></iframe>",
        escape_attribute(&video.name),
        escape_attribute(&embed_url)
    );
    OEmbed {
        kind: "video",
        version: "1.0",
        html,
        width,
        height,
        title: video.name.clone(),
        author_name: channel.channel.display_name.clone(),
        author_url: channel.actor.url.clone(),
        provider_name: "PeerTube",
        provider_url: site.base.clone(),
        thumbnail_width: thumbnail_url.as_ref().map(|_| PREVIEW_SIZE.0),
        thumbnail_height: thumbnail_url.as_ref().map(|_| PREVIEW_SIZE.1),
        thumbnail_url,
    }
}

fn escape_attribute(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_is_the_oembed_format() {
        let e = OEmbed {
            kind: "video",
            version: "1.0",
            html: "<iframe src=\"x\"></iframe>".into(),
            width: 560,
            height: 315,
            title: "A & B".into(),
            author_name: "c".into(),
            author_url: "http://h/video-channels/c".into(),
            provider_name: "PeerTube",
            provider_url: "http://h".into(),
            thumbnail_url: None,
            thumbnail_width: None,
            thumbnail_height: None,
        };
        let xml = quick_xml::se::to_string(&e).unwrap_or_default();
        assert!(
            xml.starts_with("<oembed><type>video</type><version>1.0</version>"),
            "{xml}"
        );
        assert!(
            xml.contains("<html>&lt;iframe src=\"x\"&gt;&lt;/iframe&gt;</html>"),
            "{xml}"
        );
        assert!(xml.contains("<title>A &amp; B</title>"), "{xml}");
        assert!(!xml.contains("thumbnail"), "{xml}");
    }
}
