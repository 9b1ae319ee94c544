//! `GET /accounts/{name}` and `GET /video-channels/{name}` (and aliases): the actor document
//! for ActivityPub clients; other clients get the (absent) HTML page.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{ActivityJson, wants_activity_json};
use crate::error::FederationError;
use crate::models::account::AccountFull;
use crate::models::channel::ChannelFull;
use crate::protocol::actor::ActorObject;
use crate::protocol::{Context, WithContext};
use crate::state::AppState;

/// ferrotube has no web client yet; PeerTube without its client answers the same 404.
fn html_page() -> Response {
    StatusCode::NOT_FOUND.into_response()
}

pub async fn account(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Result<Response, FederationError> {
    if !wants_activity_json(&headers) {
        return Ok(html_page());
    }
    let mut conn = state.conn().await?;
    let full = AccountFull::load_by_handle(&mut conn, &name, None)
        .await?
        .ok_or_else(|| FederationError::NotFound("Account not found".into()))?;
    let object = ActorObject::account(&state.urls, &full)?;
    Ok(ActivityJson(WithContext::new(Context::Actor, object)).into_response())
}

pub async fn channel(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Result<Response, FederationError> {
    if !wants_activity_json(&headers) {
        return Ok(html_page());
    }
    let mut conn = state.conn().await?;
    let full = ChannelFull::load_by_handle(&mut conn, &name, None)
        .await?
        .ok_or_else(|| FederationError::NotFound("Video channel not found".into()))?;
    let object = ActorObject::channel(&state.urls, &full)?;
    Ok(ActivityJson(WithContext::new(Context::Actor, object)).into_response())
}
