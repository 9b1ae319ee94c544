//! `actor-follow-scores`, hourly: removes follows whose delivery score fell to 0 (PeerTube's
//! actor-follow scheduler).

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::models::follow::ActorFollow;
use crate::queue::{BackgroundJob, JobContext, JobError};
use crate::state::AppState;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PurgeFollowScores {}

impl PurgeFollowScores {
    pub const EVERY: Duration = Duration::from_secs(3600);
}

impl BackgroundJob for PurgeFollowScores {
    const NAME: &'static str = "actor-follow-scores";
    type Context = AppState;

    async fn run(self, ctx: JobContext<AppState>) -> Result<(), JobError> {
        let mut conn = ctx.state.conn().await?;
        let ids = ActorFollow::delete_scored_out(&mut conn).await?;
        if !ids.is_empty() {
            tracing::info!(count = ids.len(), "removed follows of unreachable actors");
        }
        let touched: Vec<i64> = ids.into_iter().flat_map(|(a, b)| [a, b]).collect();
        ActorFollow::recount(&mut conn, &touched).await?;
        Ok(())
    }
}
