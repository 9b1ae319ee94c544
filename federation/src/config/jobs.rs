//! `jobs`: the durable job queue's workers.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Jobs {
    /// How often an idle worker looks for due jobs; LISTEN/NOTIFY wakes it sooner.
    #[serde(deserialize_with = "super::duration")]
    pub poll_interval: Duration,
    /// How long a claimed job stays reserved; renewed while it runs, so a job whose process
    /// died runs again about this long after.
    #[serde(deserialize_with = "super::duration")]
    pub lease: Duration,
    /// First retry delay, doubled at each later retry.
    #[serde(deserialize_with = "super::duration")]
    pub backoff_base: Duration,
    /// A job whose worker died this many times is failed rather than run again.
    pub max_stalls: i32,
    /// How long shutdown waits for running jobs before handing them back to the queue.
    #[serde(deserialize_with = "super::duration")]
    pub shutdown_timeout: Duration,
    /// Completed and failed jobs are deleted after this long.
    #[serde(deserialize_with = "super::duration")]
    pub retention: Duration,
    #[serde(deserialize_with = "super::duration")]
    pub housekeeping_interval: Duration,
    /// Jobs of a type running at once in one process; 0 leaves the type to other processes.
    pub concurrency: BTreeMap<String, usize>,
}

impl Jobs {
    /// The configured concurrency of a type: `video_transcoding` (as environment variables
    /// spell it, so it wins) or `video-transcoding`; else `fallback`.
    pub fn concurrency_of(&self, job_type: &str, fallback: usize) -> usize {
        self.concurrency
            .get(&job_type.replace('-', "_"))
            .or_else(|| self.concurrency.get(job_type))
            .copied()
            .unwrap_or(fallback)
    }

    pub fn validate(&self) -> Result<(), String> {
        if self.poll_interval < Duration::from_millis(10) {
            return Err("jobs.poll_interval must be at least 10 milliseconds".into());
        }
        if self.lease < Duration::from_millis(300) {
            return Err("jobs.lease must be at least 300 milliseconds".into());
        }
        if self.max_stalls < 1 {
            return Err("jobs.max_stalls must be at least 1".into());
        }
        if self.housekeeping_interval.is_zero() {
            return Err("jobs.housekeeping_interval must not be zero".into());
        }
        Ok(())
    }
}
