//! `POST /api/v1/video-channels/{handle}/avatar/pick` (`avatarfile`) and `…/banner/pick`
//! (`bannerfile`), by the owner or a holder of `MANAGE_ANY_VIDEO_CHANNEL`: the channel's new
//! image in PeerTube's sizes, sent to followers as `Update(Group)`.

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use ferrotube_federation::AppState;
use ferrotube_federation::models::actor_image::ActorImageKind;
use ferrotube_federation::models::user::UserRight;
use ferrotube_federation::profile::Profile;

use crate::actor_images::{Avatars, Banners, pick};
use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::views::account::ActorImage;

async fn pick_for(
    state: &AppState,
    auth: &AuthUser,
    handle: &str,
    kind: ActorImageKind,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<Vec<ActorImage>> {
    let channel = {
        let mut conn = state.conn().await?;
        super::load(&mut conn, &state.urls, handle).await?
    };
    super::ensure_can_manage(auth, &channel, UserRight::ManageAnyVideoChannel)?;
    let instance = format!(
        "/api/v1/video-channels/{handle}/{}/pick",
        match kind {
            ActorImageKind::Avatar => "avatar",
            ActorImageKind::Banner => "banner",
        }
    );
    pick(
        state,
        Profile::Channel(channel.channel.id),
        kind,
        multipart,
        &instance,
    )
    .await
}

pub async fn avatar(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(handle): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<Json<Avatars>> {
    let avatars = pick_for(&state, &auth, &handle, ActorImageKind::Avatar, multipart).await?;
    Ok(Json(Avatars { avatars }))
}

pub async fn banner(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(handle): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<Json<Banners>> {
    let banners = pick_for(&state, &auth, &handle, ActorImageKind::Banner, multipart).await?;
    Ok(Json(Banners { banners }))
}
