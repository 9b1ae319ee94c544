//! `GET /feeds/videos.{xml,rss,rss2,atom,atom1,json,json1}`: the most recent videos of the
//! instance, an account or a channel, in RSS 2.0 (with Media RSS), Atom or JSON Feed, with
//! PeerTube's query parameters (`accountId`, `accountName`, `videoChannelId`,
//! `videoChannelName`, `sort`, `nsfw`, `isLocal`, `format`).

mod atom;
mod item;
mod json;
mod query;
mod rss;

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use ferrotube_federation::AppState;
use ferrotube_federation::models::video::{Video, VideoFilters, Viewer, channels_of};
use ferrotube_federation::models::video_file::VideoFile;

use crate::error::{WebError, WebResult};
use crate::site::Site;
use item::Feed;
use query::{FeedFormat, FeedQuery};

pub async fn handler(
    State(state): State<AppState>,
    Extension(site): Extension<Arc<Site>>,
    Path(file): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    match answer(&state, &site, &file, raw.as_deref(), &headers).await {
        Ok(res) => res,
        Err(e) => e.problem(),
    }
}

async fn answer(
    state: &AppState,
    site: &Site,
    file: &str,
    raw: Option<&str>,
    headers: &HeaderMap,
) -> WebResult<Response> {
    let extension = file
        .strip_prefix("videos.")
        .ok_or(WebError::NotFound("Feed not found"))?;
    let query = FeedQuery::parse(raw)?;
    let format = FeedFormat::choose(extension, query.format.as_deref())?;
    let content_type = format.negotiate(headers)?;

    let mut conn = state.conn().await?;
    let source = query.source(&mut conn, site).await?;
    let filters = VideoFilters {
        nsfw: query.nsfw.unwrap_or(site.nsfw_filter()),
        is_local: query.is_local,
        ..VideoFilters::default()
    };
    let videos = Video::page(
        &mut conn,
        source.scope(),
        Viewer::Anonymous,
        &filters,
        &query.sort,
        0,
        site.feed_count,
    )
    .await?;
    let channels = channels_of(&mut conn, &videos).await?;
    let ids: Vec<i64> = videos.iter().map(|v| v.id).collect();
    let files = VideoFile::for_videos(&mut conn, &ids).await?;
    drop(conn);

    let feed = Feed::new(site, &source, raw, &videos, &channels, &files);
    let body = match format {
        FeedFormat::Rss => rss::write(&feed)?,
        FeedFormat::Atom => atom::write(&feed)?,
        FeedFormat::Json => json::write(&feed)?,
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            // PeerTube caches feeds for 15 minutes.
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=900"),
            ),
        ],
        body,
    )
        .into_response())
}
