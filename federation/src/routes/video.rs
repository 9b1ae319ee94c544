//! `GET /videos/watch/{id}` and `GET /w/{id}`: the Video object for ActivityPub clients; a
//! remote video redirects to its origin; other clients get the (absent) HTML page.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use super::{ActivityJson, wants_activity_json};
use crate::error::FederationError;
use crate::models::enums::VideoState;
use crate::models::video::{Video, VideoFull};
use crate::protocol::video::VideoObject;
use crate::protocol::{Context, WithContext};
use crate::state::AppState;

pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, FederationError> {
    if !wants_activity_json(&headers) {
        return Ok(StatusCode::NOT_FOUND.into_response());
    }
    let mut conn = state.conn().await?;
    let video = Video::find_by_any_id(&mut conn, &id)
        .await?
        .ok_or_else(|| FederationError::NotFound("Video not found".into()))?;
    if !video.is_local {
        return Ok(Redirect::to(&video.url).into_response());
    }
    // Only what may federate is served: public or unlisted, and published.
    let federable = video.privacy.in_public_folder() && video.state == VideoState::Published;
    if !federable {
        return Err(FederationError::NotFound("Video not found".into()));
    }
    let full = VideoFull::load(&mut conn, video)
        .await?
        .ok_or_else(|| FederationError::NotFound("Video not found".into()))?;
    let object = VideoObject::local(&state.urls, &full)?;
    Ok(ActivityJson(WithContext::new(Context::Video, object)).into_response())
}
