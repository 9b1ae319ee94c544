//! `DELETE /api/v1/users/me/avatar`: removes the caller's avatar (every size) and tells
//! followers; PeerTube answers `{avatars: []}`.

use axum::Json;
use axum::extract::State;
use ferrotube_federation::AppState;
use ferrotube_federation::models::account::AccountFull;
use ferrotube_federation::models::actor_image::ActorImageKind;
use ferrotube_federation::profile::{Profile, images};

use crate::actor_images::Avatars;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};

/// The caller's account id.
pub(super) async fn my_account(state: &AppState, auth: &AuthUser) -> ApiResult<i64> {
    let mut conn = state.conn().await?;
    AccountFull::load_by_user(&mut conn, auth.user.id)
        .await?
        .map(|a| a.account.id)
        .ok_or_else(|| ApiError::not_found("Account not found"))
}

pub async fn handler(State(state): State<AppState>, auth: AuthUser) -> ApiResult<Json<Avatars>> {
    let account = my_account(&state, &auth).await?;
    images::delete(&state, Profile::Account(account), ActorImageKind::Avatar).await?;
    Ok(Json(Avatars {
        avatars: Vec::new(),
    }))
}
