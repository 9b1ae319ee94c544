//! The runner's settings, read from `jobs.*` once at start.

use std::collections::BTreeMap;
use std::time::Duration;

use ferrotube_federation::config::Config;
use ferrotube_federation::jobs::JobRegistry;

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
    pub fn new(config: &Config, registry: &JobRegistry) -> Self {
        let jobs = &config.jobs;
        let concurrency = registry
            .job_types()
            .into_iter()
            .map(|t| {
                // PeerTube takes transcoding's concurrency from its own section.
                let fallback = if t == "video-transcoding" {
                    usize::try_from(config.transcoding.concurrency).unwrap_or(1)
                } else {
                    1
                };
                let n = jobs.concurrency_of(&t, fallback);
                (t, n)
            })
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
