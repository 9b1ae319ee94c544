//! `GET /api/v1/accounts/{name[@host]}/video-channels`

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use ferrotube_federation::AppState;
use ferrotube_federation::models::account::AccountFull;
use ferrotube_federation::models::channel::{CHANNEL_SORTS, ChannelFull, ChannelScope};
use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::pagination::{List, Page};
use crate::routes::split_handle;
use crate::views::channel::channel_json;

pub async fn handler(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<List<Value>>> {
    let page = Page::from_query(query.as_deref(), CHANNEL_SORTS, "-createdAt")?;
    let (name, host) = split_handle(&handle, &state.urls);
    let mut conn = state.conn().await?;
    let account = AccountFull::load_by_handle(&mut conn, name, host)
        .await?
        .ok_or_else(|| ApiError::not_found("Account not found"))?;
    let (total, channels) = ChannelFull::list(
        &mut conn,
        ChannelScope::Account(account.account.id),
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
