//! The `activitypub-inbox` job: one received activity, processed with its verified sender.

use serde::Deserialize;
use serde_json::Value;

use super::activity::InboxActivity;
use crate::activities::InboxContext;
use crate::error::FederationError;
use crate::jobs::{BoxFuture, JobContext, JobError, JobHandler};
use crate::models::actor::Actor;

pub const INBOX: &str = "activitypub-inbox";

#[derive(Deserialize)]
struct Payload {
    activity: Value,
    signer_id: i64,
    inbox_actor_id: Option<i64>,
}

pub struct InboxJob;

impl JobHandler for InboxJob {
    fn run(&self, ctx: JobContext, payload: Value) -> BoxFuture<Result<(), JobError>> {
        Box::pin(async move {
            let p: Payload = serde_json::from_value(payload)
                .map_err(|e| JobError::permanent(format!("bad payload: {e}")))?;
            let (signer, inbox_owner) = {
                let mut conn = ctx.state.conn().await?;
                let signer = Actor::find(&mut conn, p.signer_id).await?;
                let owner = match p.inbox_actor_id {
                    Some(id) => Actor::find(&mut conn, id).await?,
                    None => None,
                };
                (signer, owner)
            };
            let Some(signer) = signer else {
                tracing::info!("the sender of an activity is gone; dropped");
                return Ok(());
            };
            let cx = InboxContext {
                state: ctx.state.clone(),
                signer,
                inbox_owner,
                raw: p.activity.clone(),
            };
            let activity = match serde_json::from_value::<InboxActivity>(p.activity) {
                Ok(a) => a,
                // Invalid activities are dropped, as PeerTube drops them.
                Err(e) => {
                    tracing::info!(reason = %e, "invalid activity dropped");
                    return Ok(());
                }
            };
            match activity.dispatch(&cx).await {
                Ok(()) => Ok(()),
                // Invalid activities are dropped, as PeerTube drops them.
                Err(FederationError::BadRequest(m) | FederationError::NotFound(m)) => {
                    tracing::info!(reason = %m, "activity dropped");
                    Ok(())
                }
                Err(FederationError::Forbidden(m) | FederationError::Conflict(m)) => {
                    tracing::info!(reason = %m, "activity refused");
                    Ok(())
                }
                Err(e) => Err(JobError::retry(e)),
            }
        })
    }
}
