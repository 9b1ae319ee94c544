//! The `activitypub-inbox` job: one received activity, processed with its verified sender.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::activity::InboxActivity;
use crate::activities::InboxContext;
use crate::error::FederationError;
use crate::models::actor::Actor;
use crate::queue::{BackgroundJob, JobContext, JobError};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InboxJob {
    /// The activity as received (checked for an id and an actor).
    pub activity: Value,
    /// The verified sender.
    pub signer_id: i64,
    /// The actor whose inbox received it; `None` for the shared inbox.
    pub inbox_actor_id: Option<i64>,
}

impl BackgroundJob for InboxJob {
    const NAME: &'static str = "activitypub-inbox";
    type Context = AppState;

    async fn run(self, ctx: JobContext<AppState>) -> Result<(), JobError> {
        let (signer, inbox_owner) = {
            let mut conn = ctx.state.conn().await?;
            let signer = Actor::find(&mut conn, self.signer_id).await?;
            let owner = match self.inbox_actor_id {
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
            raw: self.activity.clone(),
        };
        let activity = match serde_json::from_value::<InboxActivity>(self.activity) {
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
    }
}
