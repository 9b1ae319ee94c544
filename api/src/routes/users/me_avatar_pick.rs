//! `POST /api/v1/users/me/avatar/pick` (multipart `avatarfile`): the caller's new avatar, made
//! into PeerTube's four sizes and sent to followers as `Update(Person)`.

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use ferrotube_federation::AppState;
use ferrotube_federation::models::actor_image::ActorImageKind;
use ferrotube_federation::profile::Profile;

use super::me_avatar_delete::my_account;
use crate::actor_images::{Avatars, pick};
use crate::auth::AuthUser;
use crate::error::ApiResult;

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<Json<Avatars>> {
    let account = my_account(&state, &auth).await?;
    let avatars = pick(
        &state,
        Profile::Account(account),
        ActorImageKind::Avatar,
        multipart,
        "/api/v1/users/me/avatar/pick",
    )
    .await?;
    Ok(Json(Avatars { avatars }))
}
