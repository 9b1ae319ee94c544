//! `pending-follows-resend`, repeated: our follows still pending get their Follow again, with a
//! doubling delay and a bounded number of times. PeerTube delivers its Accept once and loses it
//! when the delivery fails; it answers a repeated Follow with a new Accept.

use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};

use crate::activities::follow::Follow;
use crate::error::FederationError;
use crate::models::actor::Actor;
use crate::models::follow_resend::{DueResend, FollowResend};
use crate::queue::{BackgroundJob, JobContext, JobError};
use crate::state::AppState;

/// Follows handled per run; the rest wait for the next.
const BATCH: i64 = 200;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ResendPendingFollows {}

impl BackgroundJob for ResendPendingFollows {
    const NAME: &'static str = "pending-follows-resend";
    type Context = AppState;

    async fn run(self, ctx: JobContext<AppState>) -> Result<(), JobError> {
        let config = &ctx.state.config.federation.pending_follows;
        let due = {
            let mut conn = ctx.state.conn().await?;
            FollowResend::due(
                &mut conn,
                config.resend_after,
                config.resend_attempts,
                BATCH,
            )
            .await?
        };
        for follow in due {
            if let Err(e) = resend(&ctx.state, &follow).await {
                tracing::warn!(follow = follow.follow_id, error = %e, "cannot send a pending Follow again");
            }
        }
        Ok(())
    }
}

/// Sends the Follow again, with its first id (PeerTube keys follows by actor pair anyway).
async fn resend(state: &AppState, due: &DueResend) -> Result<(), FederationError> {
    let mut conn = state.conn().await?;
    let (Some(follower), Some(target)) = (
        Actor::find(&mut conn, due.follower_id).await?,
        Actor::find(&mut conn, due.target_id).await?,
    ) else {
        return Ok(());
    };
    let id = due
        .url
        .clone()
        .unwrap_or_else(|| Follow::id_for(&follower, &target));
    let follow = Follow::new(&id, &follower.url, &target.url)?;
    let attempt = due.attempts + 1;
    conn.transaction::<_, FederationError, _>(async |conn| {
        super::deliver(conn, &follow, follower.id, vec![target.inbox_url.clone()]).await?;
        FollowResend::record(conn, due.follow_id, attempt).await?;
        Ok(())
    })
    .await?;
    tracing::info!(follower = %follower.url, target = %target.url, attempt, "pending follow: Follow sent again");
    Ok(())
}
