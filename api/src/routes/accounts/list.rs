//! `GET /api/v1/accounts`

use axum::Json;
use axum::extract::{RawQuery, State};
use ferrotube_federation::AppState;
use ferrotube_federation::models::account::{ACCOUNT_SORTS, AccountFull};
use serde_json::Value;

use crate::error::ApiResult;
use crate::pagination::{List, Page};
use crate::views::account::account_json;

pub async fn handler(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<List<Value>>> {
    let page = Page::from_query(query.as_deref(), ACCOUNT_SORTS, "-createdAt")?;
    let mut conn = state.conn().await?;
    let (total, accounts) =
        AccountFull::list(&mut conn, page.start, page.count, page.descending()).await?;
    let data = accounts
        .iter()
        .map(|a| account_json(&state.urls, a))
        .collect();
    Ok(Json(List { total, data }))
}
