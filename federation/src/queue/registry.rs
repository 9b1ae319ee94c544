//! The job types a process runs, and the jobs it enqueues on a schedule. Built by listing
//! types, so the engine never sees a job name it was not handed.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::job::new_job;
use super::{BackgroundJob, Backoff, JobContext, JobError};
use crate::config::Config;
use crate::error::FederationError;
use crate::models::job::NewJob;

pub(super) type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;
type RunFn<C> = dyn Fn(JobContext<C>, Value) -> BoxFuture<Result<(), JobError>> + Send + Sync;

/// What the runner needs of one registered type, its payload type erased.
pub(super) struct Entry<C> {
    pub run: Arc<RunFn<C>>,
    pub backoff: Backoff,
    pub timeout: Option<Duration>,
    pub default_concurrency: fn(&Config) -> usize,
}

impl<C> Clone for Entry<C> {
    fn clone(&self) -> Self {
        Self {
            run: self.run.clone(),
            backoff: self.backoff,
            timeout: self.timeout,
            default_concurrency: self.default_concurrency,
        }
    }
}

/// A scheduled job: its row is built anew at every tick.
#[derive(Clone, Copy)]
pub(super) struct Repeat {
    pub job_type: &'static str,
    pub every: Duration,
    pub row: fn() -> Result<NewJob, FederationError>,
}

pub struct JobRegistry<C> {
    entries: BTreeMap<&'static str, Entry<C>>,
    repeats: Vec<Repeat>,
}

impl<C> Default for JobRegistry<C> {
    fn default() -> Self {
        Self {
            entries: BTreeMap::new(),
            repeats: Vec::new(),
        }
    }
}

fn runnable<J: BackgroundJob>(
    ctx: JobContext<J::Context>,
    payload: Value,
) -> BoxFuture<Result<(), JobError>> {
    Box::pin(async move {
        let job: J = serde_json::from_value(payload)
            .map_err(|e| JobError::permanent(format!("bad payload: {e}")))?;
        job.run(ctx).await
    })
}

/// A repeated job's row: de-duplicated by its type, so several processes do not pile them up.
fn repeated_row<J: BackgroundJob + Default>() -> Result<NewJob, FederationError> {
    Ok(new_job(&J::default())?.dedup_key(J::NAME))
}

impl<C: Clone + Send + Sync + 'static> JobRegistry<C> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs jobs of type `J` here, replacing any earlier registration of its name.
    pub fn register<J: BackgroundJob<Context = C>>(&mut self) -> &mut Self {
        self.entries.insert(
            J::NAME,
            Entry {
                run: Arc::new(runnable::<J>),
                backoff: J::BACKOFF,
                timeout: J::TIMEOUT,
                default_concurrency: J::default_concurrency,
            },
        );
        self
    }

    /// Registers `J` and enqueues one (its default value) when a runner starts and then every
    /// `every`, de-duplicated by type.
    pub fn repeat<J: BackgroundJob<Context = C> + Default>(
        &mut self,
        every: Duration,
    ) -> &mut Self {
        self.register::<J>();
        self.repeats.push(Repeat {
            job_type: J::NAME,
            every,
            row: repeated_row::<J>,
        });
        self
    }

    pub(super) fn entry(&self, job_type: &str) -> Option<&Entry<C>> {
        self.entries.get(job_type)
    }

    pub fn job_types(&self) -> Vec<String> {
        self.entries.keys().map(|t| t.to_string()).collect()
    }

    /// Each registered type with its default concurrency under `config`.
    pub(super) fn default_concurrency(&self, config: &Config) -> Vec<(&'static str, usize)> {
        self.entries
            .iter()
            .map(|(t, e)| (*t, (e.default_concurrency)(config)))
            .collect()
    }

    pub(super) fn repeats(&self) -> &[Repeat] {
        &self.repeats
    }
}
