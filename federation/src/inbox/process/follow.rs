//! Follow of a local actor: the server actor per `followers.instance.*`, accounts and
//! channels always accepted; an Accept (or Reject) goes back to the follower's inbox.

use diesel_async::AsyncConnection;
use serde_json::Value;

use super::{InboxContext, id_of};
use crate::bootstrap::SERVER_ACTOR_NAME;
use crate::error::FederationError;
use crate::follows;
use crate::models::follow::FollowState;
use crate::outbox::deliver;
use crate::remote::actor::find_by_url;

pub async fn process(cx: &InboxContext, activity: &Value) -> Result<(), FederationError> {
    let target_url = activity
        .get("object")
        .and_then(id_of)
        .ok_or_else(|| FederationError::BadRequest("Follow without object".into()))?;
    let id = activity
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let mut conn = cx.state.conn().await?;
    let target = find_by_url(&mut conn, target_url)
        .await?
        .filter(|a| a.is_local())
        .ok_or_else(|| FederationError::NotFound(format!("{target_url} is not local")))?;
    let is_server =
        target.actor_type == "Application" && target.preferred_username == SERVER_ACTOR_NAME;
    let settings = &cx.state.config.followers.instance;
    let decision = if !is_server {
        FollowState::Accepted
    } else if !settings.enabled {
        FollowState::Rejected
    } else if settings.manual_approval {
        FollowState::Pending
    } else {
        FollowState::Accepted
    };
    let follower = cx.signer.clone();
    let urls = cx.state.urls.clone();
    conn.transaction::<_, FederationError, _>(async move |conn| {
            let object = follows::follow_object(&id, &follower.url, &target.url);
            if decision == FollowState::Rejected {
                let reject = follows::reject_activity(&urls, &target.url, object);
                return deliver(conn, &reject, target.id, vec![follower.inbox_url.clone()]).await;
            }
            // A repeated Follow of an accepted follow stays accepted and is accepted again.
            let state = match follows::find(conn, follower.id, target.id).await? {
                Some(f) if f.state == FollowState::Accepted.as_str() => FollowState::Accepted,
                _ => decision,
            };
            let row = follows::upsert(conn, follower.id, target.id, state, Some(&id)).await?;
            if state == FollowState::Accepted {
                let accept = follows::accept_activity(&urls, row.id, &target.url, object);
                deliver(conn, &accept, target.id, vec![follower.inbox_url.clone()]).await?;
            }
            tracing::info!(follower = %follower.url, target = %target.url, state = state.as_str(), "follow received");
            Ok(())
    })
    .await
}
