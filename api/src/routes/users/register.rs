//! `POST /api/v1/users/register`: self-service signup, when the instance allows it.

use axum::extract::State;
use axum::http::StatusCode;
use ferrotube_federation::AppState;
use ferrotube_federation::local::names;
use ferrotube_federation::local::user::{ChannelNames, UserSpec, create_user};
use ferrotube_federation::models::user::{Role, User};

use crate::client_ip::ClientIp;
use crate::error::{ApiError, ApiResult};
use crate::fields::Body;
use crate::rate_limit;

pub async fn handler(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Body(mut body): Body,
) -> ApiResult<StatusCode> {
    rate_limit::hit(&state, "signup", ip, state.config.rates_limit.signup).await?;
    let signup = &state.config.signup;
    if !signup.enabled {
        return Err(ApiError::forbidden("User registration is not enabled."));
    }
    if signup.requires_approval {
        return Err(ApiError::forbidden(
            "Signup on this instance requires approval: send a registration request instead.",
        ));
    }
    let username = body.req_str("username", names::is_valid_username);
    let password = body.req_str("password", names::is_valid_password);
    let email = body.req_str("email", names::is_valid_email);
    let display_name = body.opt_str("displayName", names::is_valid_display_name);
    let channel = match body.opt_object("channel") {
        Some(mut c) => {
            let name = c.req_str("name", names::is_valid_channel_name);
            let display_name = c.req_str("displayName", names::is_valid_display_name);
            body.absorb("channel", c);
            Some(ChannelNames { name, display_name })
        }
        None => None,
    };
    body.finish()?;
    if channel.as_ref().is_some_and(|c| c.name == username) {
        return Err(ApiError::bad_request(
            "Channel name cannot be the same as user username.",
        ));
    }
    let mut conn = state.conn().await?;
    if signup.limit >= 0 && User::count(&mut conn).await? >= signup.limit {
        return Err(ApiError::forbidden(
            "User limit is reached on this instance",
        ));
    }
    drop(conn);
    create_user(
        &state,
        UserSpec {
            username,
            password,
            email,
            role: Role::User,
            video_quota: state.config.user.video_quota,
            video_quota_daily: state.config.user.video_quota_daily,
            email_verified: signup.requires_email_verification.then_some(false),
            admin_flags: 0,
            display_name,
            channel,
        },
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
