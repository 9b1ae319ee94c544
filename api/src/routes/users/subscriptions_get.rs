//! `GET /api/v1/users/me/subscriptions/{handle}`: the subscribed channel, or 404.

use axum::Json;
use axum::extract::{Path, State};
use ferrotube_federation::AppState;
use serde_json::Value;

use super::subscriptions_common::subscribed_channel;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::views::channel::channel_json;

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(handle): Path<String>,
) -> ApiResult<Json<Value>> {
    let (_, channel) = subscribed_channel(&state, &auth, &handle)
        .await?
        .ok_or_else(|| ApiError::not_found("Subscription not found"))?;
    Ok(Json(channel_json(&state.urls, &channel)))
}
