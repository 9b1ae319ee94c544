//! What a running job can see and do besides its payload.

use std::sync::Arc;
use std::sync::atomic::{AtomicI16, Ordering};

use uuid::Uuid;

use crate::db::DbPool;
use crate::error::FederationError;
use crate::models::job::Job;

#[derive(Clone)]
pub struct JobContext<C> {
    /// The context the runner was started with (the application state).
    pub state: C,
    pub job_id: i64,
    /// This run's number, from 1.
    pub attempt: i32,
    pub max_attempts: i32,
    db: DbPool,
    token: Uuid,
    last_progress: Arc<AtomicI16>,
}

impl<C> JobContext<C> {
    /// For a job just claimed (its `lock_token` is set).
    pub(super) fn new(state: C, db: DbPool, job: &Job) -> Self {
        Self {
            state,
            job_id: job.id,
            attempt: job.attempts,
            max_attempts: job.max_attempts,
            db,
            token: job.lock_token.unwrap_or_default(),
            last_progress: Arc::new(AtomicI16::new(job.progress)),
        }
    }

    /// Whether a failure now is final, e.g. to mark a video failed only then.
    pub fn is_last_attempt(&self) -> bool {
        self.attempt >= self.max_attempts
    }

    /// Stores the job's progress (percent, clamped to 0–100) for the admin list. Only a change
    /// of the whole percentage is written, so it can be called on every ffmpeg progress line.
    pub async fn progress(&self, percent: f64) -> Result<(), FederationError> {
        let value = percent.clamp(0.0, 100.0) as i16;
        if self.last_progress.swap(value, Ordering::Relaxed) == value {
            return Ok(());
        }
        let mut conn = self.db.get().await?;
        Job::set_progress(&mut conn, self.job_id, self.token, value).await?;
        Ok(())
    }
}
