//! `GET /accounts/{name}/likes/{videoId}` and `/dislikes/{videoId}`: our account's rating as the
//! Like or Dislike it sent, so that its id stays fetchable (PeerTube's cleaner re-fetches rates
//! and drops those that answer 404).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{ActivityJson, wants_activity_json};
use crate::activities::dislike::Dislike;
use crate::activities::like::Like;
use crate::error::FederationError;
use crate::models::account::AccountFull;
use crate::models::video::{Video, VideoFull};
use crate::models::video_rate::{Rating, VideoRate};
use crate::protocol::{Context, WithContext};
use crate::state::AppState;
use crate::video::rates::local_rate_url;

async fn serve(
    state: &AppState,
    headers: &HeaderMap,
    (name, video_id): (String, String),
    rating: Rating,
) -> Result<Response, FederationError> {
    if !wants_activity_json(headers) {
        return Ok(StatusCode::NOT_FOUND.into_response());
    }
    let not_found = || FederationError::NotFound("Video rate not found".into());
    let video_id: i64 = video_id.parse().map_err(|_| not_found())?;
    let mut conn = state.conn().await?;
    let account = AccountFull::load_by_handle(&mut conn, &name, None)
        .await?
        .ok_or_else(not_found)?;
    let rate = VideoRate::find(&mut conn, account.actor.id, video_id)
        .await?
        .filter(|r| r.kind == rating)
        .ok_or_else(not_found)?;
    let video = Video::find(&mut conn, rate.video_id)
        .await?
        .ok_or_else(not_found)?;
    let full = VideoFull::load(&mut conn, video)
        .await?
        .ok_or_else(not_found)?;
    let url = local_rate_url(&account.actor, video_id, rating);
    let origin = &full.channel.owner.actor.url;
    let video_url = &full.video.url;
    Ok(match rating {
        Rating::Like => {
            let like = Like::of_video(&url, &account.actor.url, video_url, origin)?;
            ActivityJson(WithContext::new(Context::Base, like)).into_response()
        }
        Rating::Dislike => {
            let dislike = Dislike::of_video(&url, &account.actor.url, video_url, origin)?;
            ActivityJson(WithContext::new(Context::Base, dislike)).into_response()
        }
    })
}

pub async fn like(
    State(state): State<AppState>,
    Path(ids): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, FederationError> {
    serve(&state, &headers, ids, Rating::Like).await
}

pub async fn dislike(
    State(state): State<AppState>,
    Path(ids): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, FederationError> {
    serve(&state, &headers, ids, Rating::Dislike).await
}
