//! `DELETE /api/v1/video-channels/{handle}/avatar` and `…/banner`, by the owner or a holder of
//! `MANAGE_ANY_VIDEO_CHANNEL`: removes the image (every size), tells followers, answers 204.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use ferrotube_federation::AppState;
use ferrotube_federation::models::actor_image::ActorImageKind;
use ferrotube_federation::models::user::UserRight;
use ferrotube_federation::profile::{Profile, images};

use crate::auth::AuthUser;
use crate::error::ApiResult;

async fn delete_for(
    state: &AppState,
    auth: &AuthUser,
    handle: &str,
    kind: ActorImageKind,
) -> ApiResult<StatusCode> {
    let channel = {
        let mut conn = state.conn().await?;
        super::load(&mut conn, &state.urls, handle).await?
    };
    super::ensure_can_manage(auth, &channel, UserRight::ManageAnyVideoChannel)?;
    images::delete(state, Profile::Channel(channel.channel.id), kind).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn avatar(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(handle): Path<String>,
) -> ApiResult<StatusCode> {
    delete_for(&state, &auth, &handle, ActorImageKind::Avatar).await
}

pub async fn banner(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(handle): Path<String>,
) -> ApiResult<StatusCode> {
    delete_for(&state, &auth, &handle, ActorImageKind::Banner).await
}
