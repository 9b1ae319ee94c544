//! `GET /api/v1/users/me`

use axum::Json;
use axum::extract::State;
use ferrotube_federation::AppState;
use serde_json::Value;

use super::common::me_json;
use crate::auth::AuthUser;
use crate::error::ApiResult;

pub async fn handler(State(state): State<AppState>, auth: AuthUser) -> ApiResult<Json<Value>> {
    let mut conn = state.conn().await?;
    Ok(Json(me_json(&mut conn, &state.urls, &auth.user).await?))
}
