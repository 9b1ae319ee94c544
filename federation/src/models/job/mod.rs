//! The `jobs` table of the durable job queue: one row per job in PostgreSQL, so work survives a
//! dead process or a lost Redis. This module holds the row, enqueueing and the admin listing;
//! `lease` holds what workers do (claim, renew, finish, reclaim). Every query of the table is
//! here; the engine that drives it is `queue`.

mod group;
mod lease;
#[cfg(test)]
mod tests;

use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Int4, Jsonb, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::Value;
use uuid::Uuid;

/// Re-exported beside the table that stores it.
pub use super::enums::JobState;
pub use lease::Finished;

use crate::schema::jobs;

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = jobs)]
pub struct Job {
    pub id: i64,
    pub job_type: String,
    pub payload: Value,
    pub state: JobState,
    pub priority: i32,
    pub attempts: i32,
    pub max_attempts: i32,
    pub stalls: i32,
    pub run_at: DateTime<Utc>,
    pub locked_until: Option<DateTime<Utc>>,
    pub lock_token: Option<Uuid>,
    pub progress: i16,
    pub error: Option<String>,
    pub dedup_key: Option<String>,
    pub created_at: DateTime<Utc>,
    pub processed_on: Option<DateTime<Utc>>,
    pub finished_on: Option<DateTime<Utc>>,
    pub group_key: Option<String>,
}

/// A job's row to enqueue. `NewJob::new` gives one attempt, no delay, no de-duplication and the
/// default priority; the builder methods change them. Job types build it from their constants
/// (`queue::BackgroundJob::enqueue`), which are the one source of their settings.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub job_type: String,
    pub payload: Value,
    pub max_attempts: i32,
    /// Runs no sooner than this after the commit.
    pub delay: Duration,
    /// While a job of the same type and key waits to start (waiting or delayed), enqueueing
    /// another does nothing: the queued one reads the latest data when it runs. A running one
    /// does not count, since it may have read the data before the change that enqueues again.
    pub dedup_key: Option<String>,
    /// Lower runs first; 0 is the default.
    pub priority: i32,
    /// Jobs of one group (the deliveries to one host) are held and resumed together.
    pub group_key: Option<String>,
}

impl NewJob {
    pub fn new(job_type: impl Into<String>, payload: Value) -> Self {
        Self {
            job_type: job_type.into(),
            max_attempts: 1,
            payload,
            delay: Duration::ZERO,
            dedup_key: None,
            priority: 0,
            group_key: None,
        }
    }

    pub fn max_attempts(mut self, n: i32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    pub fn dedup_key(mut self, key: impl Into<String>) -> Self {
        self.dedup_key = Some(key.into());
        self
    }

    pub fn priority(mut self, priority: i32) -> Self {
        self.priority = priority;
        self
    }

    pub fn group_key(mut self, key: impl Into<String>) -> Self {
        self.group_key = Some(key.into());
        self
    }
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

pub(crate) fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

impl Job {
    /// Adds a job; `None` when one with the same type and key waits to start. Call it
    /// inside the transaction that creates what the job works on: idle workers are notified at
    /// commit, and a rolled-back transaction leaves no job behind.
    pub async fn enqueue(conn: &mut AsyncPgConnection, job: &NewJob) -> QueryResult<Option<i64>> {
        let row: Option<Id> = diesel::sql_query(
            "INSERT INTO jobs (job_type, payload, state, priority, max_attempts, run_at, dedup_key, \
                               group_key) \
             VALUES ($1, $2, CASE WHEN $3 > 0 THEN 'delayed' ELSE 'waiting' END, $4, $5, \
                     now() + $3 * interval '1 millisecond', $6, $7) \
             ON CONFLICT (job_type, dedup_key) WHERE state IN ('waiting', 'delayed') \
             DO NOTHING \
             RETURNING id",
        )
        .bind::<Text, _>(&job.job_type)
        .bind::<Jsonb, _>(&job.payload)
        .bind::<BigInt, _>(millis(job.delay))
        .bind::<Int4, _>(job.priority)
        .bind::<Int4, _>(job.max_attempts.max(1))
        .bind::<Nullable<Text>, _>(job.dedup_key.as_deref())
        .bind::<Nullable<Text>, _>(job.group_key.as_deref())
        .get_result(conn)
        .await
        .optional()?;
        Ok(row.map(|r| r.id))
    }

    pub async fn find(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<Option<Job>> {
        jobs::table
            .find(id)
            .select(Job::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// The state PeerTube would report: a delayed job whose time has come is waiting.
    pub fn effective_state(&self, now: DateTime<Utc>) -> JobState {
        match self.state {
            JobState::Waiting | JobState::Delayed if self.run_at > now => JobState::Delayed,
            JobState::Waiting | JobState::Delayed => JobState::Waiting,
            s => s,
        }
    }

    /// The admin listing: jobs in `state` (any when `None`) of `job_type` (any when `None`),
    /// by creation date, with the total.
    pub async fn list(
        conn: &mut AsyncPgConnection,
        state: Option<JobState>,
        job_type: Option<&str>,
        now: DateTime<Utc>,
        (start, count): (i64, i64),
        ascending: bool,
    ) -> QueryResult<(i64, Vec<Job>)> {
        let filtered = || {
            let mut q = jobs::table.into_boxed();
            let pending = jobs::state.eq_any([JobState::Waiting, JobState::Delayed]);
            q = match state {
                None => q,
                Some(JobState::Waiting) => q.filter(pending.and(jobs::run_at.le(now))),
                Some(JobState::Delayed) => q.filter(pending.and(jobs::run_at.gt(now))),
                Some(s) => q.filter(jobs::state.eq(s)),
            };
            if let Some(t) = job_type {
                q = q.filter(jobs::job_type.eq(t.to_string()));
            }
            q
        };
        let total = filtered().count().get_result(conn).await?;
        let q = filtered().select(Job::as_select());
        let q = if ascending {
            q.order((jobs::created_at.asc(), jobs::id.asc()))
        } else {
            q.order((jobs::created_at.desc(), jobs::id.desc()))
        };
        let rows = q.offset(start).limit(count).load(conn).await?;
        Ok((total, rows))
    }

    /// How many rows are in `state` as stored (no clock involved), for the engine's tests.
    #[cfg(test)]
    pub(crate) async fn count_in_state(
        conn: &mut AsyncPgConnection,
        state: JobState,
    ) -> QueryResult<i64> {
        jobs::table
            .filter(jobs::state.eq(state))
            .count()
            .get_result(conn)
            .await
    }

    /// Deletes completed and failed jobs finished more than `age` ago (PeerTube keeps them
    /// 7 days); returns how many.
    pub async fn purge_finished(conn: &mut AsyncPgConnection, age: Duration) -> QueryResult<usize> {
        diesel::sql_query(
            "DELETE FROM jobs WHERE state IN ('completed', 'failed') \
             AND finished_on < now() - $1 * interval '1 millisecond'",
        )
        .bind::<BigInt, _>(millis(age))
        .execute(conn)
        .await
    }
}
