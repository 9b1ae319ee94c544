//! `DELETE /api/v1/server/followers/{nameWithHost}`: drop a follower of the server actor; a
//! remote follower whose follow was accepted or pending gets a Reject, as PeerTube sends.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use ferrotube_federation::AppState;
use ferrotube_federation::models::actor::Actor;
use ferrotube_federation::models::user::UserRight;
use ferrotube_federation::outbox::follow::remove_follower;

use super::common::{server_actor, valid_handle};
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(handle): Path<String>,
) -> ApiResult<StatusCode> {
    auth.require(UserRight::ManageServerFollow)?;
    if !valid_handle(&handle) {
        return Err(ApiError::invalid_field(
            "params",
            "nameWithHost",
            serde_json::Value::String(handle),
        ));
    }
    let not_found = || ApiError::not_found(format!("Follower {handle} not found."));
    let (name, host) = crate::routes::split_handle(&handle, &state.urls);
    let target = server_actor(&state).await?;
    let mut conn = state.conn().await?;
    let follower = Actor::find_by_handle(&mut conn, name, host)
        .await?
        .ok_or_else(not_found)?;
    if !remove_follower(&mut conn, &state.urls, &follower, &target).await? {
        return Err(not_found());
    }
    Ok(StatusCode::NO_CONTENT)
}
