//! What deliveries need of follows: the followers' shared inboxes, and PeerTube's follow score
//! (its rule is `outbox::score`; the purge is `outbox::score_purge_job`).

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::{ActorFollow, FollowState};
use crate::schema::{actor_follows, actors};

impl ActorFollow {
    /// Shared inboxes of the accepted remote followers of these actors, sorted; followers
    /// without one are skipped, as PeerTube's query does.
    pub async fn followers_shared_inboxes(
        conn: &mut AsyncPgConnection,
        actor_ids: &[i64],
    ) -> QueryResult<Vec<String>> {
        let mut inboxes: Vec<String> = actor_follows::table
            .inner_join(actors::table.on(actors::id.eq(actor_follows::actor_id)))
            .filter(actor_follows::target_actor_id.eq_any(actor_ids))
            .filter(actor_follows::state.eq(FollowState::Accepted))
            .filter(actors::shared_inbox_url.is_not_null())
            .filter(actors::server_id.is_not_null())
            .select(actors::shared_inbox_url.assume_not_null())
            .distinct()
            .load(conn)
            .await?;
        inboxes.sort();
        Ok(inboxes)
    }

    /// Adds `delta` (capped at `max`) to the score of every follow by a remote actor whose
    /// inbox or shared inbox is `inbox`.
    pub async fn add_score_by_inbox(
        conn: &mut AsyncPgConnection,
        inbox: &str,
        delta: i32,
        max: i32,
    ) -> QueryResult<()> {
        diesel::sql_query(
            "UPDATE actor_follows SET score = LEAST(score + $2, $3) \
             WHERE actor_id IN (SELECT id FROM actors \
                                WHERE server_id IS NOT NULL \
                                  AND (inbox_url = $1 OR shared_inbox_url = $1))",
        )
        .bind::<Text, _>(inbox)
        .bind::<Integer, _>(delta)
        .bind::<Integer, _>(max)
        .execute(conn)
        .await
        .map(|_| ())
    }

    /// Deletes the follows whose score fell to 0 or below; returns each one's
    /// `(actor_id, target_actor_id)`.
    pub async fn delete_scored_out(conn: &mut AsyncPgConnection) -> QueryResult<Vec<(i64, i64)>> {
        diesel::delete(actor_follows::table.filter(actor_follows::score.le(0)))
            .returning((actor_follows::actor_id, actor_follows::target_actor_id))
            .get_results(conn)
            .await
    }
}
