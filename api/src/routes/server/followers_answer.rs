//! `POST /api/v1/server/followers/{handle}/accept|reject`: answer a pending follower of the
//! server actor (with `followers.instance.manual_approval`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use ferrotube_federation::AppState;
use ferrotube_federation::models::actor::Actor;
use ferrotube_federation::models::user::UserRight;
use ferrotube_federation::outbox::follow::answer;

use super::common::server_actor;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};

pub async fn accept(
    state: State<AppState>,
    auth: AuthUser,
    handle: Path<String>,
) -> ApiResult<StatusCode> {
    run(state, auth, handle, true).await
}

pub async fn reject(
    state: State<AppState>,
    auth: AuthUser,
    handle: Path<String>,
) -> ApiResult<StatusCode> {
    run(state, auth, handle, false).await
}

async fn run(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(handle): Path<String>,
    accept: bool,
) -> ApiResult<StatusCode> {
    auth.require(UserRight::ManageServerFollow)?;
    let (name, host) = crate::routes::split_handle(&handle, &state.urls);
    let target = server_actor(&state).await?;
    let mut conn = state.conn().await?;
    let follower = Actor::find_by_handle(&mut conn, name, host)
        .await?
        .ok_or_else(|| ApiError::not_found("Follow not found"))?;
    if !answer(
        &mut conn,
        &state.config,
        &state.urls,
        &follower,
        &target,
        accept,
    )
    .await?
    {
        return Err(ApiError::not_found("Follow not found"));
    }
    Ok(StatusCode::NO_CONTENT)
}
