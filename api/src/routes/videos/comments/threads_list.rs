//! `GET /api/v1/videos/{id}/comment-threads`: root comments with their reply counts, and how many
//! comments are not deleted; none when the video's comments are disabled.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use ferrotube_federation::AppState;
use ferrotube_federation::models::enums::CommentsPolicy;
use ferrotube_federation::models::video_comment::{ThreadSort, VideoComment};

use crate::auth::MaybeUser;
use crate::error::ApiResult;
use crate::pagination::Page;
use crate::views::comment::{CommentThreads, CommentView};

pub async fn handler(
    State(state): State<AppState>,
    MaybeUser(auth): MaybeUser,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<CommentThreads>> {
    let page = Page::from_query(
        query.as_deref(),
        &["createdAt", "totalReplies"],
        "-createdAt",
    )?;
    let mut conn = state.conn().await?;
    let video = super::visible_video(&mut conn, &id, auth.as_ref().map(|a| &a.user)).await?;
    if video.video.comments_policy == CommentsPolicy::Disabled {
        return Ok(Json(CommentThreads {
            total: 0,
            data: Vec::new(),
            total_not_deleted_comments: 0,
        }));
    }
    let viewer = super::viewer(&mut conn, auth.as_ref(), &video).await?;
    let sort = ThreadSort::parse(&page.sort).unwrap_or(ThreadSort::CreatedAt { descending: true });
    let (total, roots) = VideoComment::threads(
        &mut conn,
        video.video.id,
        video.channel.owner.account.id,
        viewer,
        sort,
        (page.start, page.count),
    )
    .await?;
    let not_deleted = VideoComment::count_not_deleted(&mut conn, video.video.id).await?;
    let comments: Vec<&VideoComment> = roots.iter().map(|r| &r.comment).collect();
    let authors = super::authors(&mut conn, &comments).await?;
    let data = roots
        .iter()
        .map(|r| {
            let author = r.comment.account_id.and_then(|a| authors.get(&a));
            CommentView::new(
                &state.urls,
                &r.comment,
                author,
                (r.total_replies, r.total_replies_from_video_author),
            )
        })
        .collect();
    Ok(Json(CommentThreads {
        total,
        data,
        total_not_deleted_comments: not_deleted,
    }))
}
