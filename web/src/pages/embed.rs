//! `GET /videos/embed/{uuid|shortUUID}`: the player alone, for iframes (oEmbed, link
//! previews). Query: `start`, `autoplay=1`, `muted=1`, `p2p=0`, as PeerTube's embed reads them.

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ferrotube_federation::AppState;
use ferrotube_federation::models::video::Video;
use serde::Deserialize;

use crate::error::{WebError, WebResult};
use crate::handle;
use crate::meta::Head;
use crate::player::{Fallback, PlayerConfig, Start};
use crate::site::Site;
use crate::text;
use crate::view;

#[derive(Debug, Default, Deserialize)]
pub struct EmbedQuery {
    start: Option<String>,
    autoplay: Option<String>,
    muted: Option<String>,
    p2p: Option<String>,
}

fn flag(value: &Option<String>) -> Option<bool> {
    value.as_deref().map(|v| matches!(v, "1" | "true" | ""))
}

#[derive(Template)]
#[template(path = "embed.html")]
struct EmbedPage<'a> {
    site: &'a Site,
    head: Head,
    video: &'a Video,
    watch_url: String,
    poster: Option<String>,
    fallback: Fallback,
    start: Start,
    config_json: String,
}

#[derive(Template)]
#[template(path = "embed_error.html")]
struct EmbedError<'a> {
    site: &'a Site,
    message: String,
}

pub async fn handler(
    State(state): State<AppState>,
    Extension(site): Extension<Arc<Site>>,
    Path(id): Path<String>,
    Query(query): Query<EmbedQuery>,
) -> Response {
    match render(&state, &site, &id, &query).await {
        Ok(res) => res,
        Err(e) => {
            let page = EmbedError {
                site: &site,
                message: e.public_message(),
            };
            super::html(e.status(), &page).unwrap_or_else(|e| e.page(&site))
        }
    }
}

async fn render(
    state: &AppState,
    site: &Site,
    id: &str,
    query: &EmbedQuery,
) -> WebResult<Response> {
    let full = {
        let mut conn = state.conn().await?;
        handle::visible_video(&mut conn, id).await?
    };
    let start = Start {
        time: query.start.as_deref().map(text::parse_start).unwrap_or(0),
        autoplay: flag(&query.autoplay).unwrap_or(false),
        muted: flag(&query.muted).unwrap_or(false),
        p2p: flag(&query.p2p).unwrap_or(true),
    };
    let v = &full.video;
    let config = PlayerConfig::new(site, &full, start);
    let fallback = config.fallback();
    let config_json =
        text::json_for_script(&config).map_err(|e| WebError::Render(e.to_string()))?;
    let mut head = Head::new(
        &site.name,
        Some(&v.name),
        &text::one_line(v.description.as_deref(), 200),
    );
    let watch_url = site.url(&view::watch_path(v));
    head.canonical = Some(watch_url.clone());
    let page = EmbedPage {
        site,
        head,
        video: v,
        watch_url,
        poster: ferrotube_federation::video::urls::preview_path(v),
        fallback,
        start,
        config_json,
    };
    super::html(StatusCode::OK, &page)
}
