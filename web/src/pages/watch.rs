//! `GET /videos/watch/{id}` and `GET /w/{id}` for browsers: the player, the video's details and
//! the meta tags of link previews (OpenGraph, Twitter player card, oEmbed, ActivityPub). Cached
//! per video generation (`cache.rs`); refusals (401, 404) are not cached.

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ferrotube_federation::AppState;
use ferrotube_federation::models::enums::VideoPrivacy;
use ferrotube_federation::models::video::{Video, VideoFull};
use ferrotube_federation::models::video_generation;
use ferrotube_federation::video::urls as vurls;
use serde::Deserialize;

use crate::error::WebResult;
use crate::handle;
use crate::meta::{EMBED_SIZE, Head};
use crate::player::{Fallback, PlayerConfig, Start};
use crate::site::Site;
use crate::text;
use crate::view;

#[derive(Debug, Default, Deserialize)]
pub struct WatchQuery {
    start: Option<String>,
}

#[derive(Template)]
#[template(path = "watch.html")]
struct WatchPage<'a> {
    site: &'a Site,
    head: Head,
    video: &'a Video,
    poster: Option<String>,
    fallback: Fallback,
    start: Start,
    config_json: String,
    published: String,
    published_iso: String,
    duration: String,
    host: Option<&'a str>,
    channel_name: &'a str,
    channel_path: String,
    account_name: &'a str,
    account_path: String,
    tags: &'a [String],
    downloads: Vec<(String, String)>,
}

pub async fn handler(
    State(state): State<AppState>,
    Extension(site): Extension<Arc<Site>>,
    Path(id): Path<String>,
    Query(query): Query<WatchQuery>,
) -> Response {
    super::respond(&site, render(&state, &site, &id, &query).await)
}

async fn render(
    state: &AppState,
    site: &Site,
    id: &str,
    query: &WatchQuery,
) -> WebResult<Response> {
    let mut conn = state.conn().await?;
    let generation = video_generation::current(&mut conn).await?;
    let key = format!("watch|{id}|{}", query.start.as_deref().unwrap_or_default());
    if let Some(body) = site.pages.get(&key, generation) {
        return Ok(super::page(StatusCode::OK, body));
    }
    let full = handle::visible_video(&mut conn, id).await?;
    drop(conn);
    let start = Start {
        time: query.start.as_deref().map(text::parse_start).unwrap_or(0),
        autoplay: false,
        muted: false,
        p2p: true,
    };
    let v = &full.video;
    let config = PlayerConfig::new(site, &full, start);
    let fallback = config.fallback();
    let config_json =
        text::json_for_script(&config).map_err(|e| crate::WebError::Render(e.to_string()))?;
    let downloads = if v.download_enabled {
        full.files
            .iter()
            .map(|f| {
                let label = format!(
                    "{} ({:.1} MB)",
                    vurls::resolution_label(f.resolution),
                    f.size as f64 / 1_000_000.0
                );
                (label, vurls::file_download_url(&site.urls, v, f))
            })
            .collect()
    } else {
        Vec::new()
    };
    let page = WatchPage {
        site,
        head: video_head(site, &full, query.start.as_deref()),
        video: v,
        poster: vurls::preview_path(v).or_else(|| vurls::thumbnail_path(v)),
        fallback,
        start,
        config_json,
        published: text::day(&v.published_at),
        published_iso: v.published_at.to_rfc3339(),
        duration: text::duration(v.duration),
        host: full.channel.server.as_ref().map(|s| s.host.as_str()),
        channel_name: &full.channel.channel.display_name,
        channel_path: view::channel_path(&full.channel),
        account_name: &full.channel.owner.account.display_name,
        account_path: view::account_path(&full.channel.owner),
        tags: &full.tags,
        downloads,
    };
    let body = super::render(&page)?;
    site.pages.put(key, generation, body.clone());
    Ok(super::page(StatusCode::OK, body))
}

fn encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The tags a link preview reads: PeerTube's OpenGraph `video` object and Twitter `player`
/// card pointing at the embed, oEmbed discovery (JSON and XML) and the ActivityPub object.
pub fn video_head(site: &Site, full: &VideoFull, start: Option<&str>) -> Head {
    let v = &full.video;
    let description = match text::one_line(v.description.as_deref(), 200) {
        d if d.is_empty() => site.description.clone(),
        d => d,
    };
    let mut head = Head::new(&site.name, Some(&v.name), &description);
    let watch_url = site.url(&view::watch_path(v));
    let embed_url = site.url(&view::embed_path(v));
    let image = vurls::preview_path(v)
        .or_else(|| vurls::thumbnail_path(v))
        .map(|p| site.url(&p));
    // Only public local videos are for search engines (PeerTube's indexation policy).
    head.noindex = !v.is_local || v.privacy != VideoPrivacy::Public;
    head.canonical = Some(watch_url.clone());
    let (w, h) = (EMBED_SIZE.0.to_string(), EMBED_SIZE.1.to_string());
    head.properties = vec![
        ("og:type", "video".into()),
        ("og:site_name", site.name.clone()),
        ("og:title", v.name.clone()),
    ];
    if let Some(image) = &image {
        head.properties.push(("og:image", image.clone()));
    }
    head.properties.extend([
        ("og:url", watch_url.clone()),
        ("og:description", description.clone()),
        ("og:video", embed_url.clone()),
        ("og:video:url", embed_url.clone()),
        ("og:video:secure_url", embed_url.clone()),
        ("og:video:type", "text/html".into()),
        ("og:video:width", w.clone()),
        ("og:video:height", h.clone()),
        ("video:duration", v.duration.to_string()),
    ]);
    head.names = vec![
        ("twitter:card", "player".into()),
        ("twitter:title", v.name.clone()),
        ("twitter:description", description),
    ];
    if let Some(image) = image {
        head.names.push(("twitter:image", image));
    }
    head.names.extend([
        ("twitter:player", embed_url),
        ("twitter:player:width", w),
        ("twitter:player:height", h),
    ]);
    // oEmbed of the watch URL; `start` is the one parameter PeerTube carries over.
    let mut oembed_target = watch_url;
    if let Some(start) = start.filter(|s| !s.is_empty()) {
        oembed_target.push_str("?start=");
        oembed_target.push_str(&encode(start));
    }
    let oembed = site.url(&format!("/services/oembed?url={}", encode(&oembed_target)));
    head.alternate(
        "application/json+oembed",
        format!("{oembed}&format=json"),
        &v.name,
    );
    head.alternate("text/xml+oembed", format!("{oembed}&format=xml"), &v.name);
    head.alternate(
        "application/activity+json",
        vurls::watch_url(&site.urls, v),
        &v.name,
    );
    head
}
