//! PeerTube's follow score: +10 per successful delivery to a follower's inbox, −10 per
//! failure (start 1000, max 10000); `score_purge_job` removes follows at 0 or below.

use diesel::sql_types::{Integer, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

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
