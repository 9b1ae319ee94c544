//! `/api/v1/videos/{id}/comment-threads` and `/api/v1/videos/{id}/comments/{commentId}`, as
//! PeerTube's: thread lists and trees, new threads and replies, deletion, approval.

pub mod approve;
pub mod delete;
pub mod reply;
pub mod thread_create;
pub mod thread_get;
pub mod threads_list;

use std::collections::HashMap;

use diesel_async::AsyncPgConnection;
use ferrotube_federation::AppState;
use ferrotube_federation::models::account::AccountFull;
use ferrotube_federation::models::user::{User, UserRight};
use ferrotube_federation::models::video::VideoFull;
use ferrotube_federation::models::video_comment::{CommentViewer, VideoComment};

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::fields::Body;
use crate::videos::access::ensure_can_see;

/// PeerTube's limits on a comment's text.
const TEXT_MAX: usize = 10_000;

/// The `text` of a new comment: 1 to 10,000 characters.
pub(super) fn read_text(mut body: Body) -> ApiResult<String> {
    let text = body
        .0
        .req_str("text", |t| (1..=TEXT_MAX).contains(&t.chars().count()));
    body.0.finish()?;
    Ok(text)
}

/// The video (visible to the caller) of a comment route.
pub(super) async fn visible_video(
    conn: &mut AsyncPgConnection,
    id: &str,
    user: Option<&User>,
) -> ApiResult<VideoFull> {
    let video = super::load(conn, id).await?;
    ensure_can_see(user, &video)?;
    Ok(video)
}

/// Who reads: the video's owner sees held comments; an author sees their own.
pub(super) async fn viewer(
    conn: &mut AsyncPgConnection,
    auth: Option<&AuthUser>,
    video: &VideoFull,
) -> ApiResult<CommentViewer> {
    let Some(auth) = auth else {
        return Ok(CommentViewer::default());
    };
    let account = AccountFull::load_by_user(conn, auth.user.id).await?;
    Ok(CommentViewer {
        account_id: account.map(|a| a.account.id),
        is_video_owner: video.owner_user_id() == Some(auth.user.id)
            || auth.user.has_right(UserRight::ManageAnyVideoComment),
    })
}

/// A numeric id in the path; anything else is PeerTube's 400 naming the parameter.
pub(super) fn id_param(raw: &str, field: &str) -> ApiResult<i64> {
    raw.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| ApiError::invalid_field("params", field, raw.into()))
}

/// A comment of the video, 404 when unknown, as PeerTube words it.
pub(super) async fn comment_of(
    conn: &mut AsyncPgConnection,
    video: &VideoFull,
    comment_id: i64,
) -> ApiResult<VideoComment> {
    VideoComment::find_in_video(conn, video.video.id, comment_id)
        .await?
        .ok_or_else(|| ApiError::not_found("Video comment thread not found"))
}

/// The authors of these comments, by account id.
pub(super) async fn authors(
    conn: &mut AsyncPgConnection,
    comments: &[&VideoComment],
) -> ApiResult<HashMap<i64, AccountFull>> {
    let mut ids: Vec<i64> = comments.iter().filter_map(|c| c.account_id).collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(AccountFull::load_many(conn, &ids)
        .await?
        .into_iter()
        .map(|a| (a.account.id, a))
        .collect())
}

/// The caller's account, which writes the comment.
pub(super) async fn my_account(state: &AppState, auth: &AuthUser) -> ApiResult<AccountFull> {
    let mut conn = state.conn().await?;
    AccountFull::load_by_user(&mut conn, auth.user.id)
        .await?
        .ok_or_else(|| ApiError::not_found("Account not found"))
}
