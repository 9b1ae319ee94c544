//! `POST /api/v1/users/revoke-token`: logs the caller's token out.

use axum::Json;
use axum::extract::State;
use ferrotube_federation::AppState;
use ferrotube_federation::models::oauth::OAuthToken;
use serde_json::{Value, json};

use crate::auth::AuthUser;
use crate::error::ApiResult;

pub async fn handler(State(state): State<AppState>, auth: AuthUser) -> ApiResult<Json<Value>> {
    let mut conn = state.conn().await?;
    OAuthToken::delete_by_access(&mut conn, &auth.token.access_token).await?;
    Ok(Json(json!({})))
}
