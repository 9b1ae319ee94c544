//! PeerTube's follow score: +10 per successful delivery to a follower's inbox, −10 per
//! failure (start 1000, max 10000); follows at 0 or below are removed hourly.

use diesel::sql_types::{Integer, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::Value;

use crate::jobs::{BoxFuture, JobContext, JobError, JobHandler};

pub async fn record(
    conn: &mut AsyncPgConnection,
    inbox: &str,
    success: bool,
) -> diesel::QueryResult<()> {
    diesel::sql_query(
        "UPDATE actor_follows SET score = LEAST(score + $2, 10000) \
         WHERE actor_id IN (SELECT id FROM actors \
                            WHERE server_id IS NOT NULL \
                              AND (inbox_url = $1 OR shared_inbox_url = $1))",
    )
    .bind::<Text, _>(inbox)
    .bind::<Integer, _>(if success { 10 } else { -10 })
    .execute(conn)
    .await
    .map(|_| ())
}

pub struct Purge;

impl JobHandler for Purge {
    fn run(&self, ctx: JobContext, _payload: Value) -> BoxFuture<Result<(), JobError>> {
        Box::pin(async move {
            let mut conn = ctx.state.conn().await?;
            let ids: Vec<(i64, i64)> = {
                use crate::schema::actor_follows;
                use diesel::{ExpressionMethods, QueryDsl};
                diesel::delete(actor_follows::table.filter(actor_follows::score.le(0)))
                    .returning((actor_follows::actor_id, actor_follows::target_actor_id))
                    .get_results(&mut conn)
                    .await?
            };
            if !ids.is_empty() {
                tracing::info!(count = ids.len(), "removed follows of unreachable actors");
            }
            let touched: Vec<i64> = ids.into_iter().flat_map(|(a, b)| [a, b]).collect();
            crate::follows::recount(&mut conn, &touched).await?;
            Ok(())
        })
    }
}
