//! The job runner: claims jobs from the PostgreSQL queue (`models::job`) and runs this binary's
//! handlers, inside `ferrotube serve` and alone as `ferrotube worker`.

mod housekeeping;
mod listener;
mod runner;
mod settings;
#[cfg(test)]
mod tests;

use ferrotube_federation::AppState;
use ferrotube_federation::config::Config;
use ferrotube_federation::jobs::JobRegistry;
use ferrotube_federation::models::job::HOUSEKEEPING;

pub use runner::{RunnerHandle, start};
pub use settings::Settings;

/// Every job type this binary runs, and the jobs it schedules. New handlers are added here.
pub fn registry(config: &Config) -> JobRegistry {
    let mut registry = JobRegistry::new();
    registry
        .register(HOUSEKEEPING, housekeeping::Housekeeping)
        .repeat(HOUSEKEEPING, config.jobs.housekeeping_interval);
    crate::processing::register(&mut registry, config);
    ferrotube_federation::inbox::register(&mut registry);
    ferrotube_federation::outbox::register(&mut registry);
    registry
}

/// Starts this binary's runner; stop it with `RunnerHandle::shutdown`.
pub fn spawn(state: &AppState) -> RunnerHandle {
    let registry = registry(&state.config);
    let settings = Settings::new(&state.config, &registry);
    start(state.clone(), registry, settings)
}
