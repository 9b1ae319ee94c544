//! `GET /search?search=…`: videos whose name, description or tags match, best match first.

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ferrotube_federation::AppState;
use ferrotube_federation::models::video::{VideoFilters, VideoScope};
use serde::Deserialize;

use super::list;
use crate::error::WebResult;
use crate::meta::Head;
use crate::site::Site;
use crate::view::{Pager, VideoCard};

#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    search: String,
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage<'a> {
    site: &'a Site,
    head: Head,
    search: &'a str,
    cards: Vec<VideoCard<'a>>,
    pager: Pager,
}

pub async fn handler(
    State(state): State<AppState>,
    Extension(site): Extension<Arc<Site>>,
    Query(query): Query<SearchQuery>,
) -> Response {
    super::respond(&site, render(&state, &site, &query).await)
}

async fn render(state: &AppState, site: &Site, query: &SearchQuery) -> WebResult<Response> {
    let search = query.search.trim();
    let page = super::PageQuery {
        page: query.page.clone(),
    }
    .number();
    let listed = if search.is_empty() {
        None
    } else {
        let mut conn = state.conn().await?;
        let filters = VideoFilters {
            search: Some(search.to_string()),
            ..VideoFilters::default()
        };
        Some(list(&mut conn, site, VideoScope::All, filters, "-match", page).await?)
    };
    let mut head = Head::new(&site.name, Some("Search"), &site.description);
    head.noindex = true;
    let (cards, has_more) = match &listed {
        Some(l) => (VideoCard::list(&l.videos, &l.channels), l.has_more),
        None => (Vec::new(), false),
    };
    let base = format!(
        "/search?search={}&",
        url::form_urlencoded::byte_serialize(search.as_bytes()).collect::<String>()
    );
    let page_data = SearchPage {
        site,
        head,
        search,
        cards,
        pager: Pager::new(&base, page, has_more),
    };
    super::html(StatusCode::OK, &page_data)
}
