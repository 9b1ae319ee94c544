//! `POST /api/v1/videos/{id}/comment-threads` `{text}`: a new thread on the video.

use axum::Json;
use axum::extract::{Path, State};
use ferrotube_federation::AppState;
use ferrotube_federation::comments::local::{self, NewComment};
use ferrotube_federation::models::user::UserRight;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::fields::Body;
use crate::views::comment::{CommentView, CreatedComment};

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<String>,
    body: Body,
) -> ApiResult<Json<CreatedComment>> {
    let text = super::read_text(body)?;
    let mut conn = state.conn().await?;
    let video = super::visible_video(&mut conn, &id, Some(&auth.user)).await?;
    drop(conn);
    let author = super::my_account(&state, &auth).await?;
    let trusted = video.owner_user_id() == Some(auth.user.id)
        || auth.user.has_right(UserRight::ManageAnyVideoComment);
    let comment = local::create(
        &state,
        NewComment {
            author: &author,
            trusted,
            video: &video,
            parent: None,
            text,
        },
    )
    .await?;
    Ok(Json(CreatedComment {
        comment: CommentView::new(&state.urls, &comment, Some(&author), (0, 0)),
    }))
}
