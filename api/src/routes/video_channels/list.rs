//! `GET /api/v1/video-channels`

use axum::Json;
use axum::extract::{RawQuery, State};
use ferrotube_federation::AppState;
use ferrotube_federation::models::channel::{CHANNEL_SORTS, ChannelFull, ChannelScope};
use serde_json::Value;

use crate::error::ApiResult;
use crate::pagination::{List, Page};
use crate::views::channel::channel_json;

pub async fn handler(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<List<Value>>> {
    let page = Page::from_query(query.as_deref(), CHANNEL_SORTS, "-createdAt")?;
    let mut conn = state.conn().await?;
    let (total, channels) = ChannelFull::list(
        &mut conn,
        ChannelScope::All,
        page.start,
        page.count,
        &page.sort,
    )
    .await?;
    let data = channels
        .iter()
        .map(|c| channel_json(&state.urls, c))
        .collect();
    Ok(Json(List { total, data }))
}
