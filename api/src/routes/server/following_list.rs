//! `GET /api/v1/server/following`: whom the server actor follows (public, as PeerTube).

use axum::Json;
use axum::extract::{RawQuery, State};
use ferrotube_federation::AppState;
use ferrotube_federation::models::follow::FollowSide;
use serde_json::Value;

use crate::error::ApiResult;
use crate::pagination::List;

pub async fn handler(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<List<Value>>> {
    Ok(Json(
        super::common::list(&state, FollowSide::Following, query.as_deref()).await?,
    ))
}
