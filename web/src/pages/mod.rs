//! One module per page. Handlers load what the page shows, build the template's data and
//! render it; errors become an HTML error page.

pub mod actor;
pub mod embed;
pub mod error;
pub mod home;
pub mod search;
pub mod watch;

use std::collections::HashMap;

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use diesel_async::AsyncPgConnection;
use ferrotube_federation::models::channel::ChannelFull;
use ferrotube_federation::models::video::{Video, VideoFilters, VideoScope, Viewer, channels_of};
use serde::Deserialize;

use crate::error::WebResult;
use crate::site::Site;

/// Videos per page of a list.
pub const PAGE_SIZE: i64 = 24;

const HTML: HeaderValue = HeaderValue::from_static("text/html; charset=utf-8");

/// Renders a template into one buffer sized by its hint.
pub fn render<T: Template>(template: &T) -> WebResult<Bytes> {
    let mut body = String::with_capacity(T::SIZE_HINT.max(4096));
    template.render_into(&mut body)?;
    Ok(Bytes::from(body))
}

/// A rendered page, served as HTML.
pub fn page(status: StatusCode, body: Bytes) -> Response {
    (status, [(header::CONTENT_TYPE, HTML)], body).into_response()
}

/// Renders a template, served as HTML.
pub fn html<T: Template>(status: StatusCode, template: &T) -> WebResult<Response> {
    Ok(page(status, render(template)?))
}

/// The page's response, or its error as a page.
pub fn respond(site: &Site, result: WebResult<Response>) -> Response {
    result.unwrap_or_else(|e| e.page(site))
}

/// `?page=N` of lists (from 1; anything else is the first page).
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

impl PageQuery {
    pub fn number(&self) -> u32 {
        self.page
            .as_deref()
            .and_then(|p| p.parse::<u32>().ok())
            .filter(|p| (1..=10_000).contains(p))
            .unwrap_or(1)
    }
}

/// One page of a list as anonymous viewers see it (the rules of `GET /api/v1/videos`), with
/// the channels of its videos, and whether more follow.
pub struct Listed {
    pub videos: Vec<Video>,
    pub channels: HashMap<i64, ChannelFull>,
    pub has_more: bool,
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    site: &Site,
    scope: VideoScope,
    mut filters: VideoFilters,
    sort: &str,
    page: u32,
) -> WebResult<Listed> {
    filters.nsfw = site.nsfw_filter();
    let start = i64::from(page - 1) * PAGE_SIZE;
    let mut videos = Video::page(
        conn,
        scope,
        Viewer::Anonymous,
        &filters,
        sort,
        start,
        PAGE_SIZE + 1,
    )
    .await?;
    let has_more = videos.len() as i64 > PAGE_SIZE;
    videos.truncate(PAGE_SIZE as usize);
    let channels = channels_of(conn, &videos).await?;
    Ok(Listed {
        videos,
        channels,
        has_more,
    })
}
