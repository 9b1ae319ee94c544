//! `DELETE /api/v1/videos/{id}` (owner, or REMOVE_ANY_VIDEO): the row and every file.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use ferrotube_federation::AppState;
use ferrotube_federation::models::user::UserRight;
use ferrotube_federation::video::lifecycle::delete::delete_local;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::videos::access::ensure_can_manage;

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let mut conn = state.conn().await?;
    let video = super::load(&mut conn, &id).await?;
    drop(conn);
    ensure_can_manage(&auth, &video, UserRight::RemoveAnyVideo)?;
    delete_local(&state, &video).await?;
    Ok(StatusCode::NO_CONTENT)
}
