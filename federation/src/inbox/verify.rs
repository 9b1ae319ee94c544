//! Who signed an incoming request: the HTTP signature checked against the signer's stored
//! key (the actor fetched and stored when unknown, refreshed when stale), and, when the body
//! speaks for another actor, that actor's linked-data signature.

use std::time::SystemTime;

use axum::http::{HeaderMap, Method};
use serde_json::Value;

use crate::error::FederationError;
use crate::models::actor::Actor;
use crate::protocol::webfinger::parse_acct;
use crate::remote::{actor as remote_actor, webfinger};
use crate::signatures::http;
use crate::state::AppState;

fn forbidden(msg: impl Into<String>) -> FederationError {
    FederationError::Forbidden(msg.into())
}

/// The verified signer of a request. Any failure is a 403; a failed verification does not
/// re-fetch the key (as PeerTube).
pub async fn http_signer(
    state: &AppState,
    method: &Method,
    path_and_query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Actor, FederationError> {
    let sig = http::parse(headers)?;
    let incoming = http::IncomingRequest {
        method,
        path_and_query,
        headers,
        body,
    };
    let signing = http::check(&incoming, &sig, Some(SystemTime::now()))?;
    let actor_url = match sig.key_id.strip_prefix("acct:").and_then(parse_acct) {
        Some((name, host)) => webfinger::resolve_handle(state, name, host)
            .await
            .map_err(|e| forbidden(format!("Cannot resolve the signer: {e}")))?,
        None => sig.actor_url().to_string(),
    };
    let actor = remote_actor::get_or_fetch(state, &actor_url)
        .await
        .map_err(|e| forbidden(format!("Cannot fetch the signer's key: {e}")))?;
    let pem = actor
        .public_key_pem
        .as_deref()
        .ok_or_else(|| forbidden("The signer has no key"))?;
    if !http::verify(&sig, &signing, pem)? {
        return Err(forbidden("Invalid signature"));
    }
    Ok(actor)
}

/// The body's actor (`url`) when it differs from the HTTP signer: accepted only with a valid
/// RsaSignature2017 by that actor over the raw document.
pub async fn ld_signer(
    state: &AppState,
    url: &str,
    activity: &Value,
) -> Result<Actor, FederationError> {
    let actor = remote_actor::get_or_fetch(state, url)
        .await
        .map_err(|e| forbidden(format!("Cannot fetch the activity's actor: {e}")))?;
    let pem = actor
        .public_key_pem
        .clone()
        .ok_or_else(|| forbidden("The activity's actor has no key"))?;
    let doc = activity.clone();
    let ok = tokio::task::spawn_blocking(move || crate::signatures::ld::verify(&doc, &pem))
        .await
        .map_err(|e| FederationError::Internal(e.to_string()))?;
    match ok {
        Ok(true) => Ok(actor),
        Ok(false) => Err(forbidden("Invalid linked-data signature")),
        Err(e) => Err(forbidden(format!("Invalid linked-data signature: {e}"))),
    }
}
