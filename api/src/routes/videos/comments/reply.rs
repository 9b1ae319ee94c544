//! `POST /api/v1/videos/{id}/comments/{commentId}` `{text}`: a reply to a comment.

use axum::Json;
use axum::extract::{Path, State};
use ferrotube_federation::AppState;
use ferrotube_federation::comments::local::{self, NewComment};
use ferrotube_federation::models::user::UserRight;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::fields::Body;
use crate::views::comment::{CommentView, CreatedComment};

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    Path((id, raw_id)): Path<(String, String)>,
    body: Body,
) -> ApiResult<Json<CreatedComment>> {
    let text = super::read_text(body)?;
    let comment_id = super::id_param(&raw_id, "commentId")?;
    let mut conn = state.conn().await?;
    let video = super::visible_video(&mut conn, &id, Some(&auth.user)).await?;
    let parent = super::comment_of(&mut conn, &video, comment_id).await?;
    drop(conn);
    if parent.is_deleted() {
        return Err(ApiError::conflict("This comment is deleted"));
    }
    let author = super::my_account(&state, &auth).await?;
    let trusted = video.owner_user_id() == Some(auth.user.id)
        || auth.user.has_right(UserRight::ManageAnyVideoComment);
    let comment = local::create(
        &state,
        NewComment {
            author: &author,
            trusted,
            video: &video,
            parent: Some(&parent),
            text,
        },
    )
    .await?;
    Ok(Json(CreatedComment {
        comment: CommentView::new(&state.urls, &comment, Some(&author), (0, 0)),
    }))
}
