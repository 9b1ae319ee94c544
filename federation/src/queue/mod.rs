//! The job engine: a job type is a struct implementing [`BackgroundJob`] (its name, attempts,
//! back-off, concurrency and `run`; the struct itself is the payload). A [`JobRegistry`] lists
//! the types a process runs; the runner claims their rows from `models::job` under a lease,
//! renews it while they run and records how they ended. The engine knows no job names and
//! imports none of its users: they plug in through the trait.

mod context;
mod error;
mod job;
mod listener;
mod registry;
mod runner;
mod settings;
#[cfg(test)]
mod tests;

pub use context::JobContext;
pub use error::JobError;
pub use job::{BackgroundJob, Backoff};
pub use registry::JobRegistry;
pub use runner::{RunnerHandle, start};
pub use settings::Settings;
