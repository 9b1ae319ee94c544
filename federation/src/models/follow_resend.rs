//! `follow_resends`: how often a follow of ours that stays pending had its Follow sent again.

use std::time::Duration;

use diesel::sql_types::{BigInt, Int4, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::job::millis;

/// A pending follow whose Follow is due again.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct DueResend {
    #[diesel(sql_type = BigInt)]
    pub follow_id: i64,
    #[diesel(sql_type = BigInt)]
    pub follower_id: i64,
    #[diesel(sql_type = BigInt)]
    pub target_id: i64,
    /// The Follow's id as first sent.
    #[diesel(sql_type = Nullable<Text>)]
    pub url: Option<String>,
    /// Re-sends so far.
    #[diesel(sql_type = Int4)]
    pub attempts: i32,
}

pub struct FollowResend;

impl FollowResend {
    /// Pending follows by local actors of remote ones whose last Follow went out `after`
    /// times two to the re-sends so far ago, with fewer than `max_attempts` re-sends. A follow
    /// changed since its last re-send (followed anew) starts over.
    pub async fn due(
        conn: &mut AsyncPgConnection,
        after: Duration,
        max_attempts: i32,
        limit: i64,
    ) -> diesel::QueryResult<Vec<DueResend>> {
        diesel::sql_query(
            "WITH pending AS ( \
                 SELECT f.id, f.actor_id, f.target_actor_id, f.url, \
                        CASE WHEN r.last_sent_at > f.updated_at THEN r.attempts ELSE 0 END \
                            AS attempts, \
                        GREATEST(f.updated_at, COALESCE(r.last_sent_at, f.updated_at)) AS sent \
                 FROM actor_follows f \
                 JOIN actors follower ON follower.id = f.actor_id \
                 JOIN actors target ON target.id = f.target_actor_id \
                 LEFT JOIN follow_resends r ON r.follow_id = f.id \
                 WHERE f.state = 'pending' AND follower.server_id IS NULL \
                   AND target.server_id IS NOT NULL) \
             SELECT id AS follow_id, actor_id AS follower_id, target_actor_id AS target_id, url, \
                    attempts \
             FROM pending \
             WHERE attempts < $2 \
               AND sent <= now() - $1::float8 * power(2::float8, LEAST(attempts, 40)) \
                                   * interval '1 millisecond' \
             ORDER BY id LIMIT $3",
        )
        .bind::<BigInt, _>(millis(after))
        .bind::<Int4, _>(max_attempts)
        .bind::<BigInt, _>(limit)
        .load(conn)
        .await
    }

    /// The Follow of `follow_id` went out again; this was re-send number `attempts`.
    pub async fn record(
        conn: &mut AsyncPgConnection,
        follow_id: i64,
        attempts: i32,
    ) -> diesel::QueryResult<()> {
        diesel::sql_query(
            "INSERT INTO follow_resends (follow_id, attempts, last_sent_at) \
             VALUES ($1, $2, clock_timestamp()) \
             ON CONFLICT (follow_id) DO UPDATE \
             SET attempts = EXCLUDED.attempts, last_sent_at = EXCLUDED.last_sent_at",
        )
        .bind::<BigInt, _>(follow_id)
        .bind::<Int4, _>(attempts)
        .execute(conn)
        .await
        .map(|_| ())
    }
}
