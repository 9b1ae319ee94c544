//! `actor-follow-scores`, hourly: removes follows whose delivery score fell to 0 (PeerTube's
//! actor-follow scheduler).

use std::time::Duration;

use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};

use crate::queue::{BackgroundJob, JobContext, JobError};
use crate::schema::actor_follows;
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
        let ids: Vec<(i64, i64)> =
            diesel::delete(actor_follows::table.filter(actor_follows::score.le(0)))
                .returning((actor_follows::actor_id, actor_follows::target_actor_id))
                .get_results(&mut conn)
                .await?;
        if !ids.is_empty() {
            tracing::info!(count = ids.len(), "removed follows of unreachable actors");
        }
        let touched: Vec<i64> = ids.into_iter().flat_map(|(a, b)| [a, b]).collect();
        crate::follows::recount(&mut conn, &touched).await?;
        Ok(())
    }
}
