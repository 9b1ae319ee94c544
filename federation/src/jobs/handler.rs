//! The handler contract and the registry the runner dispatches from.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::JobContext;
use crate::error::FederationError;

pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// Why a run failed, which decides whether it is tried again.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Worth another attempt (network, a busy resource): retried with exponential back-off
    /// while attempts remain.
    #[error("{0}")]
    Retry(String),
    /// Retrying cannot help (a bad payload, a deleted video): the job fails now.
    #[error("{0}")]
    Permanent(String),
}

impl JobError {
    pub fn retry(e: impl Display) -> Self {
        Self::Retry(e.to_string())
    }

    pub fn permanent(e: impl Display) -> Self {
        Self::Permanent(e.to_string())
    }
}

impl From<FederationError> for JobError {
    fn from(e: FederationError) -> Self {
        Self::retry(e)
    }
}

impl From<diesel::result::Error> for JobError {
    fn from(e: diesel::result::Error) -> Self {
        Self::retry(format!("database: {e}"))
    }
}

/// Runs the jobs of one type. Any `Fn(JobContext, Value) -> impl Future` is a handler, so
/// `registry.register("x", |ctx, payload| async move { … })` works; implement the trait on a
/// type to set a timeout.
pub trait JobHandler: Send + Sync + 'static {
    fn run(&self, ctx: JobContext, payload: Value) -> BoxFuture<Result<(), JobError>>;

    /// Longest a run may take (PeerTube's `JOB_TTL`); a run past it fails and may be retried.
    fn timeout(&self) -> Option<Duration> {
        None
    }
}

impl<F, Fut> JobHandler for F
where
    F: Fn(JobContext, Value) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), JobError>> + Send + 'static,
{
    fn run(&self, ctx: JobContext, payload: Value) -> BoxFuture<Result<(), JobError>> {
        Box::pin(self(ctx, payload))
    }
}

/// Job types this process can run, and the jobs it enqueues on a schedule.
#[derive(Clone, Default)]
pub struct JobRegistry {
    handlers: BTreeMap<String, Arc<dyn JobHandler>>,
    repeats: Vec<(String, Duration)>,
}

impl JobRegistry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the handler of `job_type`, replacing any earlier one.
    pub fn register(&mut self, job_type: impl Into<String>, handler: impl JobHandler) -> &mut Self {
        self.handlers.insert(job_type.into(), Arc::new(handler));
        self
    }

    /// Enqueues a `job_type` job (empty payload) when a runner starts and then every `every`,
    /// de-duplicated by type, so several processes do not pile them up.
    pub fn repeat(&mut self, job_type: impl Into<String>, every: Duration) -> &mut Self {
        self.repeats.push((job_type.into(), every));
        self
    }

    pub fn handler(&self, job_type: &str) -> Option<Arc<dyn JobHandler>> {
        self.handlers.get(job_type).cloned()
    }

    pub fn job_types(&self) -> Vec<String> {
        self.handlers.keys().cloned().collect()
    }

    pub fn repeats(&self) -> &[(String, Duration)] {
        &self.repeats
    }
}
