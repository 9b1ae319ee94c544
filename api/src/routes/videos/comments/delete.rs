//! `DELETE /api/v1/videos/{id}/comments/{commentId}`: by its author, the video's owner, or a
//! moderator (PeerTube's `MANAGE_ANY_VIDEO_COMMENT`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use ferrotube_federation::AppState;
use ferrotube_federation::comments::local;
use ferrotube_federation::models::account::AccountFull;
use ferrotube_federation::models::user::UserRight;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    Path((id, raw_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let comment_id = super::id_param(&raw_id, "commentId")?;
    let mut conn = state.conn().await?;
    let video = super::visible_video(&mut conn, &id, Some(&auth.user)).await?;
    let comment = super::comment_of(&mut conn, &video, comment_id).await?;
    if comment.is_deleted() {
        return Err(ApiError::conflict("This comment is already deleted"));
    }
    let mine = AccountFull::load_by_user(&mut conn, auth.user.id)
        .await?
        .is_some_and(|a| comment.account_id == Some(a.account.id));
    drop(conn);
    let allowed = mine
        || (video.video.is_local && video.owner_user_id() == Some(auth.user.id))
        || auth.user.has_right(UserRight::ManageAnyVideoComment);
    if !allowed {
        return Err(ApiError::forbidden(
            "Cannot remove video comment of another user",
        ));
    }
    local::delete(&state, &video, comment).await?;
    Ok(StatusCode::NO_CONTENT)
}
