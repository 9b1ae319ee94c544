//! What job handlers plug into: a handler runs one job type, gets a `JobContext` (the state and
//! a progress reporter) and the job's payload, and answers with a `JobError` when it failed.
//! The binary's runner claims jobs from `models::job` and calls the registered handlers.

mod context;
mod handler;

pub use context::JobContext;
pub use handler::{BoxFuture, JobError, JobHandler, JobRegistry};
