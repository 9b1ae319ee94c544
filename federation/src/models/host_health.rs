//! `host_health`: the delivery health of each remote host, in PostgreSQL so every process shares
//! it. The rules of the circuit breaker are `crate::host_health`; this is its row and queries.

use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Int4, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::job::millis;
use crate::schema::host_health;

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = host_health)]
pub struct HostHealth {
    pub host: String,
    pub consecutive_failures: i32,
    pub trips: i32,
    pub failing_since: Option<DateTime<Utc>>,
    pub last_failure_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub open_until: Option<DateTime<Utc>>,
    pub unreachable_since: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// How a failure moves the breaker.
#[derive(Debug, Clone, Copy)]
pub struct Breaker {
    /// Consecutive failures that open it.
    pub threshold: i32,
    /// The first pause, doubled at each later opening in the same outage.
    pub pause: Duration,
    pub pause_max: Duration,
    /// An outage this long makes the host unreachable.
    pub unreachable_after: Duration,
}

impl HostHealth {
    pub async fn find(conn: &mut AsyncPgConnection, host: &str) -> QueryResult<Option<Self>> {
        host_health::table
            .find(host)
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Whether the breaker is open now.
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.open_until.is_some_and(|t| t > now)
    }

    /// Takes the probe of a half-open breaker (open, its pause passed): the breaker stays open
    /// for `window` while the probe runs, so only one delivery tries. False when another process
    /// took it first.
    pub async fn take_probe(
        conn: &mut AsyncPgConnection,
        host: &str,
        window: Duration,
    ) -> QueryResult<bool> {
        diesel::sql_query(
            "UPDATE host_health SET open_until = now() + $2 * interval '1 millisecond' \
             WHERE host = $1 AND open_until <= now() AND unreachable_since IS NULL",
        )
        .bind::<Text, _>(host)
        .bind::<BigInt, _>(millis(window))
        .execute(conn)
        .await
        .map(|n| n == 1)
    }

    /// Records a failure. The breaker opens when the failures reach the threshold and it is not
    /// already open (a failed probe always reopens it), for twice the previous pause; an outage
    /// longer than `unreachable_after` makes the host unreachable.
    pub async fn record_failure(
        conn: &mut AsyncPgConnection,
        host: &str,
        error: &str,
        probe: bool,
        breaker: &Breaker,
    ) -> QueryResult<Self> {
        diesel::sql_query("INSERT INTO host_health (host) VALUES ($1) ON CONFLICT DO NOTHING")
            .bind::<Text, _>(host)
            .execute(conn)
            .await?;
        // Right-hand sides read the row as it was before this update (re-read under the row
        // lock, so concurrent failures count one by one).
        let opens = "(h.consecutive_failures + 1 >= $4 \
                      AND ($3 OR h.open_until IS NULL OR h.open_until <= now()))";
        diesel::sql_query(format!(
            "UPDATE host_health h SET \
                 consecutive_failures = h.consecutive_failures + 1, \
                 failing_since = COALESCE(h.failing_since, now()), \
                 last_failure_at = now(), \
                 last_error = $2, \
                 updated_at = now(), \
                 trips = CASE WHEN {opens} THEN h.trips + 1 ELSE h.trips END, \
                 open_until = CASE WHEN {opens} THEN now() + LEAST( \
                         $5::float8 * power(2::float8, LEAST(h.trips, 40)), $6::float8) \
                         * interval '1 millisecond' \
                     ELSE h.open_until END, \
                 unreachable_since = CASE \
                     WHEN h.consecutive_failures + 1 >= $4 \
                      AND COALESCE(h.failing_since, now()) \
                          <= now() - $7 * interval '1 millisecond' \
                     THEN COALESCE(h.unreachable_since, now()) \
                     ELSE h.unreachable_since END \
             WHERE h.host = $1 \
             RETURNING h.*"
        ))
        .bind::<Text, _>(host)
        .bind::<Nullable<Text>, _>(Some(truncate(error)))
        .bind::<Bool, _>(probe)
        .bind::<Int4, _>(breaker.threshold.max(1))
        .bind::<BigInt, _>(millis(breaker.pause))
        .bind::<BigInt, _>(millis(breaker.pause_max))
        .bind::<BigInt, _>(millis(breaker.unreachable_after))
        .get_result(conn)
        .await
    }

    /// Holds the waiting jobs of `group` (the host's deliveries) until the end of the host's
    /// pause, if its breaker is still open now: a concurrent answer must not be undone.
    /// Returns how many moved.
    pub async fn hold_group(
        conn: &mut AsyncPgConnection,
        host: &str,
        group: &str,
    ) -> QueryResult<usize> {
        diesel::sql_query(
            "UPDATE jobs SET state = 'delayed', run_at = h.open_until \
             FROM host_health h \
             WHERE h.host = $1 AND h.open_until > now() AND h.unreachable_since IS NULL \
               AND jobs.group_key = $2 AND jobs.state IN ('waiting', 'delayed') \
               AND jobs.run_at < h.open_until",
        )
        .bind::<Text, _>(host)
        .bind::<Text, _>(group)
        .execute(conn)
        .await
    }

    /// The host answered: the breaker closes and the outage ends. True when it was failing,
    /// open or unreachable, so the caller resumes what waited for it.
    pub async fn record_answer(conn: &mut AsyncPgConnection, host: &str) -> QueryResult<bool> {
        diesel::sql_query(
            "UPDATE host_health SET consecutive_failures = 0, trips = 0, failing_since = NULL, \
                 open_until = NULL, unreachable_since = NULL, updated_at = now() \
             WHERE host = $1 AND (consecutive_failures > 0 OR open_until IS NOT NULL \
                                  OR unreachable_since IS NOT NULL)",
        )
        .bind::<Text, _>(host)
        .execute(conn)
        .await
        .map(|n| n > 0)
    }
}

/// Keeps the row small whatever the error says.
fn truncate(error: &str) -> String {
    error.chars().take(1000).collect()
}

#[cfg(test)]
mod tests {
    use ferrotube_test_support::db::TestDatabase;

    use super::*;

    fn ok<T, E: std::fmt::Debug>(r: Result<T, E>, what: &str) -> T {
        match r {
            Ok(v) => v,
            Err(e) => panic!("{what}: {e:?}"),
        }
    }

    const BREAKER: Breaker = Breaker {
        threshold: 3,
        pause: Duration::from_secs(10),
        pause_max: Duration::from_secs(25),
        unreachable_after: Duration::from_secs(3600),
    };

    fn pause_of(h: &HostHealth) -> i64 {
        h.open_until
            .map(|t| (t - h.updated_at).num_seconds())
            .unwrap_or(0)
    }

    /// Three failures open the breaker for the pause; failures while open do not extend it; a
    /// failed probe doubles it up to the maximum; an answer closes it.
    #[tokio::test]
    async fn the_breaker_opens_doubles_and_closes() {
        let db = TestDatabase::new().await;
        let mut conn = db.conn().await;
        let h = "pt.example:9001";
        for n in 1..=2 {
            let row = ok(
                HostHealth::record_failure(&mut conn, h, "refused", false, &BREAKER).await,
                "fail",
            );
            assert_eq!(
                (row.consecutive_failures, row.trips, row.open_until),
                (n, 0, None)
            );
        }
        let row = ok(
            HostHealth::record_failure(&mut conn, h, "refused", false, &BREAKER).await,
            "fail",
        );
        assert_eq!(row.trips, 1);
        assert_eq!(pause_of(&row), 10);
        assert!(row.is_open(Utc::now()));
        let first_open = row.open_until;
        let row = ok(
            HostHealth::record_failure(&mut conn, h, "late", false, &BREAKER).await,
            "fail",
        );
        assert_eq!(
            (row.trips, row.open_until),
            (1, first_open),
            "in flight, not a trip"
        );
        // While open there is no probe to take.
        assert!(!ok(
            HostHealth::take_probe(&mut conn, h, Duration::from_secs(5)).await,
            "probe"
        ));
        let row = ok(
            HostHealth::record_failure(&mut conn, h, "probe", true, &BREAKER).await,
            "fail",
        );
        assert_eq!((row.trips, pause_of(&row)), (2, 20));
        let row = ok(
            HostHealth::record_failure(&mut conn, h, "probe", true, &BREAKER).await,
            "fail",
        );
        assert_eq!((row.trips, pause_of(&row)), (3, 25), "capped");
        assert_eq!(row.unreachable_since, None);
        assert!(ok(HostHealth::record_answer(&mut conn, h).await, "answer"));
        assert!(
            !ok(HostHealth::record_answer(&mut conn, h).await, "answer"),
            "already fine"
        );
        let row = ok(HostHealth::find(&mut conn, h).await, "find");
        let row = row.unwrap_or_else(|| panic!("row"));
        assert_eq!(
            (row.consecutive_failures, row.trips, row.open_until),
            (0, 0, None)
        );
        assert_eq!(row.last_error.as_deref(), Some("probe"), "kept to read");
    }

    /// A half-open breaker gives its probe to one caller only.
    #[tokio::test]
    async fn one_probe_at_a_time() {
        let db = TestDatabase::new().await;
        let mut conn = db.conn().await;
        let h = "pt.example";
        let quick = Breaker {
            threshold: 1,
            pause: Duration::from_millis(1),
            ..BREAKER
        };
        ok(
            HostHealth::record_failure(&mut conn, h, "down", false, &quick).await,
            "fail",
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
        let window = Duration::from_secs(30);
        assert!(ok(
            HostHealth::take_probe(&mut conn, h, window).await,
            "probe"
        ));
        assert!(!ok(
            HostHealth::take_probe(&mut conn, h, window).await,
            "probe"
        ));
    }

    /// Failing for longer than `unreachable_after` makes the host unreachable; an answer ends it.
    #[tokio::test]
    async fn a_long_outage_makes_the_host_unreachable() {
        let db = TestDatabase::new().await;
        let mut conn = db.conn().await;
        let h = "gone.example";
        let soon = Breaker {
            threshold: 2,
            unreachable_after: Duration::from_millis(50),
            ..BREAKER
        };
        let row = ok(
            HostHealth::record_failure(&mut conn, h, "down", false, &soon).await,
            "fail",
        );
        assert_eq!(row.unreachable_since, None);
        tokio::time::sleep(Duration::from_millis(100)).await;
        let row = ok(
            HostHealth::record_failure(&mut conn, h, "down", false, &soon).await,
            "fail",
        );
        assert!(row.unreachable_since.is_some());
        assert!(ok(HostHealth::record_answer(&mut conn, h).await, "answer"));
        let row = ok(HostHealth::find(&mut conn, h).await, "find");
        assert_eq!(row.and_then(|r| r.unreachable_since), None);
    }
}
