//! Jobs of one group (the deliveries to one host) resumed together when what they waited for is
//! back (`models::host_health` holds them while their host is paused). Only jobs not started
//! yet move.

use diesel::sql_types::Text;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::Job;

impl Job {
    /// Makes the waiting jobs of `group` due now (those postponed or backing off); returns how
    /// many.
    pub async fn resume_group(
        conn: &mut AsyncPgConnection,
        group: &str,
    ) -> diesel::QueryResult<usize> {
        diesel::sql_query(
            "UPDATE jobs SET state = 'waiting', run_at = now() \
             WHERE group_key = $1 AND state IN ('waiting', 'delayed') AND run_at > now()",
        )
        .bind::<Text, _>(group)
        .execute(conn)
        .await
    }
}
