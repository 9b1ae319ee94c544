//! `GET /api/v1/oauth-clients/local`: the one client id and secret every local app uses.

use axum::Json;
use axum::extract::State;
use ferrotube_federation::AppState;
use ferrotube_federation::models::oauth::OAuthClient;
use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult};

pub async fn handler(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    let mut conn = state.conn().await?;
    let client = OAuthClient::local(&mut conn)
        .await?
        .ok_or_else(|| ApiError::not_found("No local client found"))?;
    Ok(Json(json!({
        "client_id": client.client_id,
        "client_secret": client.client_secret,
    })))
}
