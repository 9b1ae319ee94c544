//! `DELETE /api/v1/video-channels/{name}` (owner, or a moderator); never the last one.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use ferrotube_federation::AppState;
use ferrotube_federation::local::channel::delete_channel;
use ferrotube_federation::models::user::UserRight;

use crate::auth::AuthUser;
use crate::error::ApiResult;

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(handle): Path<String>,
) -> ApiResult<StatusCode> {
    let mut conn = state.conn().await?;
    let channel = super::load(&mut conn, &state.urls, &handle).await?;
    super::ensure_can_manage(&auth, &channel, UserRight::ManageAnyVideoChannel)?;
    let images = delete_channel(&mut conn, &channel.channel).await?;
    ferrotube_federation::profile::files::remove(&state.config.storage, &images).await;
    Ok(StatusCode::NO_CONTENT)
}
