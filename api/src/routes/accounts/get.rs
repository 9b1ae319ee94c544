//! `GET /api/v1/accounts/{name[@host]}`

use axum::Json;
use axum::extract::{Path, State};
use ferrotube_federation::AppState;
use ferrotube_federation::models::account::AccountFull;
use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::routes::split_handle;
use crate::views::account::account_json;

pub async fn handler(
    State(state): State<AppState>,
    Path(handle): Path<String>,
) -> ApiResult<Json<Value>> {
    let (name, host) = split_handle(&handle, &state.urls);
    let mut conn = state.conn().await?;
    let account = AccountFull::load_by_handle(&mut conn, name, host)
        .await?
        .ok_or_else(|| ApiError::not_found("Account not found"))?;
    Ok(Json(account_json(&state.urls, &account)))
}
