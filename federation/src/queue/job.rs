//! The contract of a job type, modelled on crates.io's `BackgroundJob`: the struct is the
//! payload (serde), the constants are its queue settings, so retries have one source of truth.

use std::future::Future;
use std::time::Duration;

use diesel_async::AsyncPgConnection;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{JobContext, JobError};
use crate::config::Config;
use crate::error::FederationError;
use crate::models::job::{Job, NewJob};

/// The delay before a failed run is tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backoff {
    /// `jobs.backoff_base`, doubled at each later retry (PeerTube: 60 s).
    Configured,
    /// This base, doubled at each later retry.
    Exponential(Duration),
}

impl Backoff {
    /// The delay after the `attempt`-th failed attempt (1-based): the base, then doubling, as
    /// BullMQ's exponential back-off that PeerTube uses.
    pub fn delay(self, configured: Duration, attempt: i32) -> Duration {
        let base = match self {
            Self::Configured => configured,
            Self::Exponential(base) => base,
        };
        let exponent = u32::try_from(attempt.saturating_sub(1))
            .unwrap_or(0)
            .min(20);
        base.saturating_mul(1 << exponent)
    }
}

pub trait BackgroundJob: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The `job_type` of its rows: PeerTube's job type name where PeerTube has the job.
    const NAME: &'static str;
    /// Runs before a failure is final (PeerTube's `JOB_ATTEMPTS` unless said otherwise).
    const MAX_ATTEMPTS: i32 = 1;
    const BACKOFF: Backoff = Backoff::Configured;
    /// Runs at once in one process unless `jobs.concurrency.<type>` says otherwise.
    const CONCURRENCY: usize = 1;
    /// Lower runs first.
    const PRIORITY: i32 = 0;
    /// Longest a run may take (PeerTube's `JOB_TTL`); a run past it fails and may be retried.
    const TIMEOUT: Option<Duration> = None;

    /// What a run gets besides its payload: the application state (a test's own in tests).
    type Context: Clone + Send + Sync + 'static;

    /// The default concurrency when it comes from elsewhere in the configuration.
    fn default_concurrency(_config: &Config) -> usize {
        Self::CONCURRENCY
    }

    /// While a job of this type with this key waits to start, enqueueing another does nothing:
    /// the queued one reads the latest data when it runs.
    fn dedup_key(&self) -> Option<String> {
        None
    }

    /// Jobs sharing a group (deliveries to one host) can be held and resumed together
    /// (`HostHealth::hold_group`, `Job::resume_group`).
    fn group_key(&self) -> Option<String> {
        None
    }

    fn run(
        self,
        ctx: JobContext<Self::Context>,
    ) -> impl Future<Output = Result<(), JobError>> + Send;

    /// Queues this job; `None` when a twin (same key) waits. Call it inside the transaction
    /// that creates what the job works on: workers are woken at commit, and a rolled-back
    /// transaction leaves no job behind.
    fn enqueue(
        &self,
        conn: &mut AsyncPgConnection,
    ) -> impl Future<Output = Result<Option<i64>, FederationError>> + Send {
        self.enqueue_after(conn, Duration::ZERO)
    }

    /// As `enqueue`, runnable no sooner than `delay` after the commit.
    fn enqueue_after(
        &self,
        conn: &mut AsyncPgConnection,
        delay: Duration,
    ) -> impl Future<Output = Result<Option<i64>, FederationError>> + Send {
        async move {
            let row = new_job(self)?.delay(delay);
            Ok(Job::enqueue(conn, &row).await?)
        }
    }
}

/// The row of a job to enqueue, with its type's settings.
pub(super) fn new_job<J: BackgroundJob>(job: &J) -> Result<NewJob, FederationError> {
    let payload = serde_json::to_value(job)
        .map_err(|e| FederationError::Internal(format!("{} payload: {e}", J::NAME)))?;
    let mut row = NewJob::new(J::NAME, payload)
        .max_attempts(J::MAX_ATTEMPTS)
        .priority(J::PRIORITY);
    if let Some(key) = job.dedup_key() {
        row = row.dedup_key(key);
    }
    if let Some(group) = job.group_key() {
        row = row.group_key(group);
    }
    Ok(row)
}
