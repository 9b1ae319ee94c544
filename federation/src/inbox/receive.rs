//! The inbox routes.

use activitypub_federation::protocol::helpers::deserialize_skip_error;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;

use super::job::InboxJob;
use super::verify::{http_signer, ld_signer};
use crate::error::FederationError;
use crate::models::actor::{Actor, ActorType};
use crate::protocol::{HttpUrl, ObjectRef};
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

/// What the inbox checks before queueing: PeerTube's root check (a collection, or an activity
/// whose id and actor are URLs) and who speaks for the body.
#[derive(Deserialize)]
struct Head {
    #[serde(rename = "type", default, deserialize_with = "deserialize_skip_error")]
    kind: String,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    id: Option<HttpUrl>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    actor: Option<ObjectRef>,
    #[serde(default)]
    signature: Option<IgnoredAny>,
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
                .filter(|a| (a.actor_type == ActorType::Group) == o.group)
                .ok_or_else(|| FederationError::NotFound("Actor not found".into()))?;
            Some(actor)
        }
    };
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let signer = http_signer(state, method, path, headers, body).await?;
    let activity: Value = serde_json::from_slice(body)
        .map_err(|_| FederationError::BadRequest("Body is not JSON".into()))?;
    let head = Head::deserialize(&activity)
        .map_err(|_| FederationError::BadRequest("Body is not an object".into()))?;
    if matches!(head.kind.as_str(), "Collection" | "OrderedCollection") {
        tracing::info!("collections posted to the inbox are not processed");
        return Ok(());
    }
    let (Some(id), Some(actor)) = (head.id, head.actor) else {
        return Err(FederationError::BadRequest(
            "Activity needs an id and an actor".into(),
        ));
    };
    if signer.is_local() {
        return Err(FederationError::Conflict(
            "Cannot process an activity from a local actor".into(),
        ));
    }
    // The host that sent this is up: deliveries paused for it resume.
    if let Ok(from) = url::Url::parse(&signer.url) {
        crate::host_health::answered_quietly(state, &crate::fetch::url_host(&from)).await;
    }
    let sender = if actor.0 == signer.url {
        signer
    } else {
        if head.signature.is_none() {
            return Err(FederationError::Forbidden(
                "A forwarded activity needs a linked-data signature".into(),
            ));
        }
        ld_signer(state, actor.as_str(), &activity).await?
    };
    if sender.is_local() {
        return Err(FederationError::Conflict(
            "Cannot process an activity from a local actor".into(),
        ));
    }
    // Every activity is processed, as PeerTube processes them: PeerTube reuses ids on purpose
    // (a re-follow, a second like, an actor's Update), and processing is idempotent.
    tracing::debug!(%id, "activity received");
    let job = InboxJob {
        activity,
        signer_id: sender.id,
        inbox_actor_id: inbox_owner.as_ref().map(|a| a.id),
    };
    let mut conn = state.conn().await?;
    job.enqueue(&mut conn).await?;
    Ok(())
}
