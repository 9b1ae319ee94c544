//! `GET /`: the most recent videos, local and remote, as `GET /api/v1/videos` lists them for
//! anonymous viewers. Cached per video generation (`cache.rs`).

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ferrotube_federation::AppState;
use ferrotube_federation::models::video::{VideoFilters, VideoScope};
use ferrotube_federation::models::video_generation;

use super::{PageQuery, list};
use crate::error::WebResult;
use crate::meta::Head;
use crate::site::Site;
use crate::view::{Pager, VideoCard};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    site: &'a Site,
    head: Head,
    cards: Vec<VideoCard<'a>>,
    pager: Pager,
}

pub async fn handler(
    State(state): State<AppState>,
    Extension(site): Extension<Arc<Site>>,
    Query(query): Query<PageQuery>,
) -> Response {
    super::respond(&site, render(&state, &site, query.number()).await)
}

async fn render(state: &AppState, site: &Site, page: u32) -> WebResult<Response> {
    let mut conn = state.conn().await?;
    let generation = video_generation::current(&mut conn).await?;
    let key = format!("home|{page}");
    if let Some(body) = site.pages.get(&key, generation) {
        return Ok(super::page(StatusCode::OK, body));
    }
    let listed = list(
        &mut conn,
        site,
        VideoScope::All,
        VideoFilters::default(),
        "-publishedAt",
        page,
    )
    .await?;
    drop(conn);
    let mut head = Head::new(&site.name, None, &site.description);
    head.canonical = Some(site.url("/"));
    head.properties = vec![
        ("og:type", "website".into()),
        ("og:site_name", site.name.clone()),
        ("og:title", site.name.clone()),
        ("og:url", site.url("/")),
        ("og:description", site.description.clone()),
    ];
    head.alternate(
        "application/rss+xml",
        site.url("/feeds/videos.xml"),
        &site.name,
    );
    head.alternate(
        "application/atom+xml",
        site.url("/feeds/videos.atom"),
        &site.name,
    );
    head.alternate(
        "application/feed+json",
        site.url("/feeds/videos.json"),
        &site.name,
    );
    let page_data = HomePage {
        site,
        head,
        cards: VideoCard::list(&listed.videos, &listed.channels),
        pager: Pager::new("/?", page, listed.has_more),
    };
    let body = super::render(&page_data)?;
    site.pages.put(key, generation, body.clone());
    Ok(super::page(StatusCode::OK, body))
}
