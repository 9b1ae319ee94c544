//! `DELETE /api/v1/users/{id}` (MANAGE_USERS): the user, its account and its channels.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use ferrotube_federation::AppState;
use ferrotube_federation::local::user::delete_user;
use ferrotube_federation::models::user::UserRight;

use super::common::{ensure_can_manage, find_user, parse_id};
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    auth.require(UserRight::ManageUsers)?;
    let id = parse_id(&id)?;
    let mut conn = state.conn().await?;
    let target = find_user(&mut conn, id).await?;
    if target.username == "root" {
        return Err(ApiError::bad_request("Cannot remove the root user"));
    }
    ensure_can_manage(&auth.user, &target)?;
    let images = delete_user(&mut conn, target.id).await?;
    ferrotube_federation::profile::files::remove(&state.config.storage, &images).await;
    Ok(StatusCode::NO_CONTENT)
}
