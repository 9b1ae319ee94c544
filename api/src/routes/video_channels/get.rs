//! `GET /api/v1/video-channels/{name[@host]}`

use axum::Json;
use axum::extract::{Path, State};
use ferrotube_federation::AppState;
use serde_json::Value;

use crate::error::ApiResult;
use crate::views::channel::channel_json;

pub async fn handler(
    State(state): State<AppState>,
    Path(handle): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut conn = state.conn().await?;
    let channel = super::load(&mut conn, &state.urls, &handle).await?;
    Ok(Json(channel_json(&state.urls, &channel)))
}
