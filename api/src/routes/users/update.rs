//! `PUT /api/v1/users/{id}` (MANAGE_USERS): e-mail, quotas, role, password, admin flags.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use ferrotube_federation::AppState;
use ferrotube_federation::local::{names, password};
use ferrotube_federation::models::oauth::OAuthToken;
use ferrotube_federation::models::user::{Role, User, UserChanges, UserRight};

use super::common::{ensure_can_manage, find_user, parse_id, valid_quota, valid_role};
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::fields::Body;

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<String>,
    Body(mut body): Body,
) -> ApiResult<StatusCode> {
    auth.require(UserRight::ManageUsers)?;
    let id = parse_id(&id)?;
    let email = body.opt_str("email", names::is_valid_email);
    let new_password = body.opt_str("password", names::is_valid_password);
    let role = body.opt_i64("role", valid_role);
    let mut changes = UserChanges {
        email_verified: body.opt_bool("emailVerified").map(Some),
        video_quota: body.opt_i64("videoQuota", valid_quota),
        video_quota_daily: body.opt_i64("videoQuotaDaily", valid_quota),
        admin_flags: body
            .opt_i64("adminFlags", |n| (0..=1).contains(&n))
            .map(|n| n as i32),
        updated_at: Some(Utc::now()),
        ..UserChanges::default()
    };
    body.finish()?;

    let mut conn = state.conn().await?;
    let target = find_user(&mut conn, id).await?;
    ensure_can_manage(&auth.user, &target)?;
    if let Some(role) = role.and_then(|r| Role::from_id(r as i16)) {
        if target.username == "root" && role != target.role {
            return Err(ApiError::bad_request("Cannot change root role."));
        }
        if auth.user.role != Role::Administrator && role != Role::User {
            return Err(ApiError::forbidden(
                "Only administrators can grant this role",
            ));
        }
        changes.role = Some(role);
    }
    if let Some(email) = email {
        if User::email_taken_by_other(&mut conn, &email, target.id).await? {
            return Err(ApiError::conflict("User with this email already exists."));
        }
        changes.email = Some(email);
    }
    let logout = new_password.is_some() || changes.role.is_some_and(|r| r != target.role);
    if let Some(p) = new_password {
        changes.password_hash = Some(password::hash(p).await?);
    }
    User::update(&mut conn, target.id, &changes).await?;
    if logout {
        OAuthToken::delete_for_user(&mut conn, target.id).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}
