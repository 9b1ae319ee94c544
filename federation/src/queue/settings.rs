//! The runner's settings, read from `jobs.*` once at start.

use std::collections::BTreeMap;
use std::time::Duration;

use super::JobRegistry;
use crate::config::Config;

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub poll_interval: Duration,
    pub lease: Duration,
    pub backoff_base: Duration,
    pub max_stalls: i32,
    pub shutdown_timeout: Duration,
    /// Running jobs allowed at once, per registered type.
    pub concurrency: BTreeMap<String, usize>,
}

impl Settings {
    /// `jobs.concurrency.<type>` wins over the type's own default.
    pub fn new<C: Clone + Send + Sync + 'static>(
        config: &Config,
        registry: &JobRegistry<C>,
    ) -> Self {
        let jobs = &config.jobs;
        let concurrency = registry
            .default_concurrency(config)
            .into_iter()
            .map(|(t, fallback)| (t.to_string(), jobs.concurrency_of(t, fallback)))
            .collect();
        Self {
            database_url: config.database_url(),
            poll_interval: jobs.poll_interval,
            lease: jobs.lease,
            backoff_base: jobs.backoff_base,
            max_stalls: jobs.max_stalls,
            shutdown_timeout: jobs.shutdown_timeout,
            concurrency,
        }
    }
}
