//! `GET /api/v1/videos/{id}/comment-threads/{threadId}`: the thread as a tree.

use axum::Json;
use axum::extract::{Path, State};
use ferrotube_federation::AppState;
use ferrotube_federation::models::enums::CommentsPolicy;
use ferrotube_federation::models::video_comment::VideoComment;

use crate::auth::MaybeUser;
use crate::error::{ApiError, ApiResult};
use crate::views::comment::CommentTree;

pub async fn handler(
    State(state): State<AppState>,
    MaybeUser(auth): MaybeUser,
    Path((id, raw_id)): Path<(String, String)>,
) -> ApiResult<Json<CommentTree>> {
    let thread_id = super::id_param(&raw_id, "threadId")?;
    let mut conn = state.conn().await?;
    let video = super::visible_video(&mut conn, &id, auth.as_ref().map(|a| &a.user)).await?;
    let root = super::comment_of(&mut conn, &video, thread_id).await?;
    if root.in_reply_to_comment_id.is_some() {
        return Err(ApiError::bad_request("Video comment is not a thread."));
    }
    let none = || ApiError::not_found("No comments were found");
    if video.video.comments_policy == CommentsPolicy::Disabled {
        return Err(none());
    }
    let viewer = super::viewer(&mut conn, auth.as_ref(), &video).await?;
    let comments = VideoComment::thread(&mut conn, video.video.id, root.id, viewer).await?;
    let refs: Vec<&VideoComment> = comments.iter().collect();
    let authors = super::authors(&mut conn, &refs).await?;
    CommentTree::build(
        &state.urls,
        &comments,
        &authors,
        video.channel.owner.account.id,
    )
    .map(Json)
    .ok_or_else(none)
}
