//! Accept and Reject of our Follows: only on an actor's own inbox (PeerTube refuses them on
//! the shared inbox); the follow (inbox owner → signer) becomes accepted or rejected.
//! PeerTube also crawls the target's outbox after an Accept: hook it after `set_state`.

use serde_json::Value;

use super::InboxContext;
use crate::error::FederationError;
use crate::follows;
use crate::models::follow::FollowState;

pub async fn process(
    cx: &InboxContext,
    _activity: &Value,
    accepted: bool,
) -> Result<(), FederationError> {
    let owner = cx
        .inbox_owner
        .as_ref()
        .ok_or_else(|| FederationError::BadRequest("Accept/Reject on the shared inbox".into()))?;
    let mut conn = cx.state.conn().await?;
    let follow = follows::find(&mut conn, owner.id, cx.signer.id)
        .await?
        .ok_or_else(|| FederationError::NotFound("no follow to accept or reject".into()))?;
    let state = if accepted {
        FollowState::Accepted
    } else {
        FollowState::Rejected
    };
    follows::set_state(&mut conn, &follow, state).await?;
    tracing::info!(follower = %owner.url, target = %cx.signer.url, state = state.as_str(), "follow answered");
    Ok(())
}
