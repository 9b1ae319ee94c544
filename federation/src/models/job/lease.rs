//! What workers do with jobs: claim one under a lease, renew the lease while it runs, record
//! the outcome, and reclaim the jobs of workers that died. Every write after the claim is
//! fenced by the claim's `lock_token`, so a worker that lost its lease changes nothing.

use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Double, Int2, Int4, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::{Job, JobState, millis};

/// How a claimed job ended, from the worker's side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finished {
    Completed,
    /// Try again after this delay.
    Retry {
        error: String,
        after: Duration,
    },
    /// No further attempt.
    Failed {
        error: String,
    },
    /// Not run, for a reason outside the job (its host is paused): due again after this
    /// delay, the attempt not counted.
    Postponed {
        reason: String,
        after: Duration,
    },
}

#[derive(QueryableByName)]
struct DueIn {
    #[diesel(sql_type = Nullable<Double>)]
    ms: Option<f64>,
}

#[derive(QueryableByName)]
struct Token {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    token: Uuid,
}

#[derive(QueryableByName)]
struct Reclaimed {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    state: JobState,
}

/// A job going back to waiting keeps its de-duplication key unless another job with that key
/// was enqueued meanwhile (allowed while this one was running); then both run, as the newer one
/// may carry newer data.
const KEY_UNLESS_TWIN: &str = "dedup_key = CASE WHEN EXISTS ( \
        SELECT 1 FROM jobs twin WHERE twin.job_type = jobs.job_type \
        AND twin.dedup_key = jobs.dedup_key AND twin.state IN ('waiting', 'delayed') \
        AND twin.id <> jobs.id) THEN NULL ELSE dedup_key END";

/// Keeps an error readable in the admin list and the row small.
fn truncate(error: &str) -> String {
    const MAX: usize = 10_000;
    match error.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &error[..i]),
        None => error.to_string(),
    }
}

impl Job {
    /// Claims the next due job among `types` (and any job whose type is not in `known`, so the
    /// caller can fail it): highest priority, then oldest `run_at`. The job becomes `active`
    /// under a new `lock_token`, leased for `lease`. Concurrent claimers never get the same job.
    pub async fn claim(
        conn: &mut AsyncPgConnection,
        types: &[String],
        known: &[String],
        lease: Duration,
    ) -> QueryResult<Option<Job>> {
        diesel::sql_query(
            "UPDATE jobs SET state = 'active', attempts = attempts + 1, lock_token = $3, \
                 locked_until = now() + $4 * interval '1 millisecond', processed_on = now(), \
                 finished_on = NULL \
             WHERE id = ( \
                 SELECT id FROM jobs \
                 WHERE state IN ('waiting', 'delayed') AND run_at <= now() \
                   AND (job_type = ANY($1) OR NOT job_type = ANY($2)) \
                 ORDER BY priority, run_at, id \
                 LIMIT 1 \
                 FOR UPDATE SKIP LOCKED) \
             RETURNING *",
        )
        .bind::<Array<Text>, _>(types)
        .bind::<Array<Text>, _>(known)
        .bind::<diesel::sql_types::Uuid, _>(Uuid::new_v4())
        .bind::<BigInt, _>(millis(lease))
        .get_result(conn)
        .await
        .optional()
    }

    /// How long until the next job among `types` (or of a type not in `known`) is due: zero when
    /// one is due now, `None` when none waits.
    pub async fn next_due_in(
        conn: &mut AsyncPgConnection,
        types: &[String],
        known: &[String],
    ) -> QueryResult<Option<Duration>> {
        let row: DueIn = diesel::sql_query(
            "SELECT EXTRACT(EPOCH FROM (min(run_at) - now()))::float8 * 1000 AS ms FROM jobs \
             WHERE state IN ('waiting', 'delayed') \
               AND (job_type = ANY($1) OR NOT job_type = ANY($2))",
        )
        .bind::<Array<Text>, _>(types)
        .bind::<Array<Text>, _>(known)
        .get_result(conn)
        .await?;
        Ok(row
            .ms
            .map(|ms| Duration::from_secs_f64(ms.max(0.0) / 1000.0)))
    }

    /// Renews the leases of the running jobs holding `tokens`; returns the tokens renewed (a
    /// missing one was reclaimed from under its worker).
    pub async fn extend_leases(
        conn: &mut AsyncPgConnection,
        tokens: &[Uuid],
        lease: Duration,
    ) -> QueryResult<Vec<Uuid>> {
        if tokens.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<Token> = diesel::sql_query(
            "UPDATE jobs SET locked_until = now() + $2 * interval '1 millisecond' \
             WHERE lock_token = ANY($1) AND state = 'active' \
             RETURNING lock_token AS token",
        )
        .bind::<Array<diesel::sql_types::Uuid>, _>(tokens)
        .bind::<BigInt, _>(millis(lease))
        .load(conn)
        .await?;
        Ok(rows.into_iter().map(|r| r.token).collect())
    }

    /// Stores a running job's progress (0–100).
    pub async fn set_progress(
        conn: &mut AsyncPgConnection,
        id: i64,
        token: Uuid,
        progress: i16,
    ) -> QueryResult<bool> {
        diesel::sql_query(
            "UPDATE jobs SET progress = $3 WHERE id = $1 AND lock_token = $2 AND state = 'active'",
        )
        .bind::<BigInt, _>(id)
        .bind::<diesel::sql_types::Uuid, _>(token)
        .bind::<Int2, _>(progress.clamp(0, 100))
        .execute(conn)
        .await
        .map(|n| n == 1)
    }

    /// Records how a claimed job ended; `false` when the claim was no longer ours (the lease
    /// passed and another worker took the job), in which case nothing changes.
    pub async fn finish(
        conn: &mut AsyncPgConnection,
        id: i64,
        token: Uuid,
        outcome: &Finished,
    ) -> QueryResult<bool> {
        let fenced = "WHERE id = $1 AND lock_token = $2 AND state = 'active'";
        let n = match outcome {
            Finished::Completed => {
                diesel::sql_query(format!(
                    "UPDATE jobs SET state = 'completed', progress = 100, error = NULL, \
                     finished_on = now(), locked_until = NULL, lock_token = NULL {fenced}"
                ))
                .bind::<BigInt, _>(id)
                .bind::<diesel::sql_types::Uuid, _>(token)
                .execute(conn)
                .await?
            }
            Finished::Retry { error, after } => {
                diesel::sql_query(format!(
                    "UPDATE jobs SET state = 'delayed', error = $3, \
                     run_at = now() + $4 * interval '1 millisecond', {KEY_UNLESS_TWIN}, \
                     locked_until = NULL, lock_token = NULL {fenced}"
                ))
                .bind::<BigInt, _>(id)
                .bind::<diesel::sql_types::Uuid, _>(token)
                .bind::<Text, _>(truncate(error))
                .bind::<BigInt, _>(millis(*after))
                .execute(conn)
                .await?
            }
            Finished::Postponed { reason, after } => {
                diesel::sql_query(format!(
                    "UPDATE jobs SET state = 'delayed', attempts = GREATEST(attempts - 1, 0), \
                     error = $3, run_at = now() + $4 * interval '1 millisecond', \
                     {KEY_UNLESS_TWIN}, locked_until = NULL, lock_token = NULL {fenced}"
                ))
                .bind::<BigInt, _>(id)
                .bind::<diesel::sql_types::Uuid, _>(token)
                .bind::<Text, _>(truncate(reason))
                .bind::<BigInt, _>(millis(*after))
                .execute(conn)
                .await?
            }
            Finished::Failed { error } => {
                diesel::sql_query(format!(
                    "UPDATE jobs SET state = 'failed', error = $3, finished_on = now(), \
                     locked_until = NULL, lock_token = NULL {fenced}"
                ))
                .bind::<BigInt, _>(id)
                .bind::<diesel::sql_types::Uuid, _>(token)
                .bind::<Text, _>(truncate(error))
                .execute(conn)
                .await?
            }
        };
        Ok(n == 1)
    }

    /// Hands running jobs back to the queue without counting their attempt (a worker shutting
    /// down before they finished); returns how many.
    pub async fn release(conn: &mut AsyncPgConnection, tokens: &[Uuid]) -> QueryResult<usize> {
        let mut released = 0;
        // One by one: each statement must see the previous one's key changes.
        for token in tokens {
            released += diesel::sql_query(format!(
                "UPDATE jobs SET state = 'waiting', attempts = GREATEST(attempts - 1, 0), \
                 {KEY_UNLESS_TWIN}, locked_until = NULL, lock_token = NULL \
                 WHERE lock_token = $1 AND state = 'active'"
            ))
            .bind::<diesel::sql_types::Uuid, _>(token)
            .execute(conn)
            .await?;
        }
        Ok(released)
    }

    /// Takes back active jobs whose lease has passed: their worker died. The cut-short attempt
    /// is not counted; a job whose worker died `max_stalls` times fails instead, since it
    /// probably kills its process. Returns `(id, new state)` of each.
    pub async fn reclaim_expired(
        conn: &mut AsyncPgConnection,
        max_stalls: i32,
    ) -> QueryResult<Vec<(i64, JobState)>> {
        let query = format!(
            "UPDATE jobs SET \
                 stalls = stalls + 1, \
                 state = CASE WHEN stalls + 1 >= $1 THEN 'failed' ELSE 'waiting' END, \
                 attempts = CASE WHEN stalls + 1 >= $1 THEN attempts \
                                 ELSE GREATEST(attempts - 1, 0) END, \
                 error = CASE WHEN stalls + 1 >= $1 \
                              THEN 'its worker stopped without finishing it ' \
                                   || (stalls + 1) || ' times' \
                              ELSE error END, \
                 finished_on = CASE WHEN stalls + 1 >= $1 THEN now() ELSE NULL END, \
                 {KEY_UNLESS_TWIN}, locked_until = NULL, lock_token = NULL \
             WHERE id = ( \
                 SELECT id FROM jobs WHERE state = 'active' AND locked_until < now() \
                 ORDER BY locked_until LIMIT 1 \
                 FOR UPDATE SKIP LOCKED) \
             RETURNING id, state"
        );
        let mut reclaimed = Vec::new();
        // One by one, as `release`; bounded so one call cannot run forever.
        while reclaimed.len() < 1000 {
            let row: Option<Reclaimed> = diesel::sql_query(&query)
                .bind::<Int4, _>(max_stalls.max(1))
                .get_result(conn)
                .await
                .optional()?;
            match row {
                Some(r) => reclaimed.push((r.id, r.state)),
                None => break,
            }
        }
        Ok(reclaimed)
    }
}
