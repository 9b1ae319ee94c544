//! `POST /api/v1/video-channels`: a new channel for the caller's account.

use axum::Json;
use axum::extract::State;
use ferrotube_federation::AppState;
use ferrotube_federation::local::channel::{ChannelSpec, create_channel};
use ferrotube_federation::local::names;
use ferrotube_federation::models::account::AccountFull;
use serde_json::{Value, json};

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::fields::Body;

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    Body(mut body): Body,
) -> ApiResult<Json<Value>> {
    let name = body.req_str("name", names::is_valid_channel_name);
    let display_name = body.req_str("displayName", names::is_valid_display_name);
    let description = body
        .nullable_str("description", names::is_valid_description)
        .flatten();
    let support = body
        .nullable_str("support", names::is_valid_support)
        .flatten();
    body.finish()?;
    let mut conn = state.conn().await?;
    let account = AccountFull::load_by_user(&mut conn, auth.user.id)
        .await?
        .ok_or_else(|| ApiError::not_found("Account not found"))?;
    drop(conn);
    let channel = create_channel(
        &state,
        ChannelSpec {
            account_id: account.account.id,
            name,
            display_name,
            description,
            support,
        },
    )
    .await?;
    Ok(Json(json!({ "videoChannel": { "id": channel.id } })))
}
