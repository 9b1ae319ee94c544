//! `POST /api/v1/users` (MANAGE_USERS): an admin creates a user with its account and channel.

use axum::Json;
use axum::extract::State;
use ferrotube_federation::AppState;
use ferrotube_federation::local::names;
use ferrotube_federation::local::user::{ChannelNames, UserSpec, create_user};
use ferrotube_federation::models::user::{Role, UserRight};
use serde_json::{Value, json};

use super::common::{valid_quota, valid_role};
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::fields::Body;

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    Body(mut body): Body,
) -> ApiResult<Json<Value>> {
    auth.require(UserRight::ManageUsers)?;
    let username = body.req_str("username", names::is_valid_username);
    let password = body.req_str("password", names::is_valid_password);
    let email = body.req_str("email", names::is_valid_email);
    let video_quota = body.opt_i64("videoQuota", valid_quota);
    let video_quota_daily = body.opt_i64("videoQuotaDaily", valid_quota);
    let role = body.opt_i64("role", valid_role);
    let channel_name = body.opt_str("channelName", names::is_valid_channel_name);
    let admin_flags = body.opt_i64("adminFlags", |n| (0..=1).contains(&n));
    for required in ["videoQuota", "videoQuotaDaily", "role"] {
        if !body.has(required) {
            body.fail(required);
        }
    }
    body.finish()?;
    let role = role
        .and_then(|r| Role::from_id(r as i16))
        .unwrap_or(Role::User);
    if auth.user.role != Role::Administrator && role != Role::User {
        return Err(ApiError::forbidden(
            "You can only create users (and not administrators or moderators)",
        ));
    }
    if channel_name.as_deref() == Some(username.as_str()) {
        return Err(ApiError::bad_request(
            "Channel name cannot be the same as user username.",
        ));
    }
    let created = create_user(
        &state,
        UserSpec {
            channel: channel_name.map(|name| ChannelNames {
                display_name: format!("Main {username} channel"),
                name,
            }),
            username,
            password,
            email,
            role,
            video_quota: video_quota.unwrap_or(state.config.user.video_quota),
            video_quota_daily: video_quota_daily.unwrap_or(state.config.user.video_quota_daily),
            email_verified: Some(true),
            admin_flags: admin_flags.unwrap_or(0) as i32,
            display_name: None,
        },
    )
    .await?;
    Ok(Json(json!({
        "user": { "id": created.user.id, "account": { "id": created.account.id } }
    })))
}
