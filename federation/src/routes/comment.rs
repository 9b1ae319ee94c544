//! A comment at its URL (`{video}/comments/{id}`): the Note, or its Tombstone once deleted;
//! `/activity`, the Create that carries it; `/approve-reply`, its approval on our video. A
//! remote comment redirects to its origin; one held for review is not shown.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use super::{ActivityJson, wants_activity_json};
use crate::activities::SendActivity;
use crate::comments::object::Thread;
use crate::error::FederationError;
use crate::models::video::Video;
use crate::models::video_comment::VideoComment;
use crate::protocol::note::CommentObject;
use crate::protocol::{Context, WithContext};
use crate::state::AppState;

/// What is asked of the comment.
#[derive(Clone, Copy)]
enum Part {
    Object,
    Activity,
    Approval,
}

async fn serve(
    state: &AppState,
    headers: &HeaderMap,
    (video_id, comment_id): (String, i64),
    part: Part,
) -> Result<Response, FederationError> {
    if !wants_activity_json(headers) {
        return Ok(StatusCode::NOT_FOUND.into_response());
    }
    let not_found = || FederationError::NotFound("Video comment not found".into());
    let mut conn = state.conn().await?;
    let video = Video::find_by_any_id(&mut conn, &video_id)
        .await?
        .ok_or_else(not_found)?;
    let comment = VideoComment::find_in_video(&mut conn, video.id, comment_id)
        .await?
        .ok_or_else(not_found)?;
    let ours = comment
        .url
        .as_deref()
        .is_some_and(|u| u.starts_with(&format!("{}/", state.urls.base)));
    if !ours {
        let url = comment.url.clone().ok_or_else(not_found)?;
        return Ok(Redirect::to(&url).into_response());
    }
    if video.is_local && comment.held_for_review {
        return Err(not_found());
    }
    let thread = Thread::load(&mut conn, comment).await?;
    Ok(match part {
        Part::Object => {
            let object = thread.object(&state.urls)?;
            let context = match object {
                CommentObject::Note(_) => Context::Note,
                CommentObject::Tombstone(_) => Context::Base,
            };
            ActivityJson(WithContext::new(context, object)).into_response()
        }
        Part::Activity => {
            let CommentObject::Note(note) = thread.object(&state.urls)? else {
                return Err(not_found());
            };
            let (to, cc) = (note.to.clone(), note.cc.clone());
            let create = thread.create(&state.urls, to, cc)?.ok_or_else(not_found)?;
            ActivityJson(WithContext::new(create.context(), create)).into_response()
        }
        Part::Approval => {
            if !video.is_local {
                return Err(not_found());
            }
            let full = crate::models::video::VideoFull::load(&mut conn, video)
                .await?
                .ok_or_else(not_found)?;
            let approval = thread.approval(&full.channel.owner.actor.url)?;
            ActivityJson(WithContext::new(approval.context(), approval)).into_response()
        }
    })
}

pub async fn object(
    State(state): State<AppState>,
    Path(ids): Path<(String, i64)>,
    headers: HeaderMap,
) -> Result<Response, FederationError> {
    serve(&state, &headers, ids, Part::Object).await
}

pub async fn activity(
    State(state): State<AppState>,
    Path(ids): Path<(String, i64)>,
    headers: HeaderMap,
) -> Result<Response, FederationError> {
    serve(&state, &headers, ids, Part::Activity).await
}

pub async fn approval(
    State(state): State<AppState>,
    Path(ids): Path<(String, i64)>,
    headers: HeaderMap,
) -> Result<Response, FederationError> {
    serve(&state, &headers, ids, Part::Approval).await
}
