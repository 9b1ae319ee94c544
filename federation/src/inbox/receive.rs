//! The inbox routes.

use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use diesel_async::AsyncConnection;
use serde_json::Value;

use super::job::InboxJob;
use super::verify::{http_signer, id_of, ld_signer};
use crate::error::FederationError;
use crate::models::actor::Actor;
use crate::queue::BackgroundJob;
use crate::state::AppState;

pub async fn shared(
    State(state): State<AppState>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond(receive(&state, None, &method, &uri, &headers, &body).await)
}

pub async fn account(
    State(state): State<AppState>,
    Path(name): Path<String>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let owner = Owner { name, group: false };
    respond(receive(&state, Some(owner), &method, &uri, &headers, &body).await)
}

pub async fn channel(
    State(state): State<AppState>,
    Path(name): Path<String>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let owner = Owner { name, group: true };
    respond(receive(&state, Some(owner), &method, &uri, &headers, &body).await)
}

struct Owner {
    name: String,
    group: bool,
}

fn respond(r: Result<(), FederationError>) -> Response {
    match r {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => {
            tracing::info!(error = %e, "inbox request refused");
            e.into_response()
        }
    }
}

fn is_url(v: Option<&str>) -> bool {
    v.and_then(|s| url::Url::parse(s).ok())
        .is_some_and(|u| matches!(u.scheme(), "http" | "https"))
}

async fn receive(
    state: &AppState,
    owner: Option<Owner>,
    method: &Method,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), FederationError> {
    let inbox_owner: Option<Actor> = match owner {
        None => None,
        Some(o) => {
            let mut conn = state.conn().await?;
            let actor = Actor::find_local_by_name(&mut conn, &o.name)
                .await?
                .filter(|a| (a.actor_type == "Group") == o.group)
                .ok_or_else(|| FederationError::NotFound("Actor not found".into()))?;
            Some(actor)
        }
    };
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let signer = http_signer(state, method, path, headers, body).await?;
    let activity: Value = serde_json::from_slice(body)
        .map_err(|_| FederationError::BadRequest("Body is not JSON".into()))?;
    let kind = activity.get("type").and_then(Value::as_str).unwrap_or("");
    if matches!(kind, "Collection" | "OrderedCollection") {
        tracing::info!("collections posted to the inbox are not processed");
        return Ok(());
    }
    let id = activity.get("id").and_then(Value::as_str);
    let actor = activity.get("actor").and_then(id_of);
    if !is_url(id) || !is_url(actor) {
        return Err(FederationError::BadRequest(
            "Activity needs an id and an actor".into(),
        ));
    }
    if signer.is_local() {
        return Err(FederationError::Conflict(
            "Cannot process an activity from a local actor".into(),
        ));
    }
    let sender = if actor == Some(signer.url.as_str()) {
        signer
    } else {
        ld_signer(state, &activity).await?
    };
    if sender.is_local() {
        return Err(FederationError::Conflict(
            "Cannot process an activity from a local actor".into(),
        ));
    }
    let id = id.unwrap_or_default().to_string();
    let job = InboxJob {
        activity,
        signer_id: sender.id,
        inbox_actor_id: inbox_owner.as_ref().map(|a| a.id),
    };
    let mut conn = state.conn().await?;
    conn.transaction::<_, FederationError, _>(async move |conn| {
        if super::remember(conn, &id).await? {
            job.enqueue(conn).await?;
        } else {
            tracing::debug!(id, "activity already received");
        }
        Ok(())
    })
    .await
}
