//! Resolving `name@host` handles and a host's server actor.

use crate::error::FederationError;
use crate::fetch::{fetch_plain, url_host};
use crate::protocol::nodeinfo::{APPLICATION_REL, NodeInfoLinks};
use crate::protocol::webfinger::Webfinger;
use crate::state::AppState;

fn scheme(state: &AppState) -> &'static str {
    if state.config.webserver.https {
        "https"
    } else {
        "http"
    }
}

/// The actor URL of `name@host` through WebFinger. The host's scheme follows ours: PeerTube
/// instances federating over plain HTTP only exist in tests.
pub async fn resolve_handle(
    state: &AppState,
    name: &str,
    host: &str,
) -> Result<String, FederationError> {
    let url = format!(
        "{}://{host}/.well-known/webfinger?resource=acct:{name}@{host}",
        scheme(state)
    );
    let doc: Webfinger = fetch_plain(state, &url).await?;
    let actor = doc
        .actor_url()
        .ok_or_else(|| FederationError::NotFound(format!("{name}@{host} has no actor")))?;
    let on_host = url::Url::parse(actor)
        .map(|u| url_host(&u).eq_ignore_ascii_case(host))
        .unwrap_or(false);
    if !on_host {
        return Err(FederationError::BadRequest(format!(
            "{name}@{host} points to another host"
        )));
    }
    Ok(actor.to_string())
}

/// A host's server actor: NodeInfo's Application link, else WebFinger `peertube@host`, as
/// PeerTube finds it.
pub async fn resolve_server_actor(state: &AppState, host: &str) -> Result<String, FederationError> {
    let url = format!("{}://{host}/.well-known/nodeinfo", scheme(state));
    if let Ok(links) = fetch_plain::<NodeInfoLinks>(state, &url).await
        && let Some(link) = links.links.iter().find(|l| l.rel == APPLICATION_REL)
    {
        return Ok(link.href.clone());
    }
    resolve_handle(state, "peertube", host).await
}
