//! `housekeeping`, ferrotube's own job, scheduled every `jobs.housekeeping_interval`: deletes
//! OAuth tokens whose refresh token expired and finished jobs older than `jobs.retention`,
//! which would otherwise grow their tables forever.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::models::job::Job;
use crate::models::oauth::OAuthToken;
use crate::queue::{BackgroundJob, JobContext, JobError};
use crate::state::AppState;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Housekeeping {}

impl BackgroundJob for Housekeeping {
    const NAME: &'static str = "housekeeping";
    const TIMEOUT: Option<Duration> = Some(Duration::from_secs(600));
    type Context = AppState;

    async fn run(self, ctx: JobContext<AppState>) -> Result<(), JobError> {
        let mut conn = ctx.state.conn().await?;
        let tokens = OAuthToken::delete_expired(&mut conn).await?;
        ctx.progress(50.0).await?;
        let jobs = Job::purge_finished(&mut conn, ctx.state.config.jobs.retention).await?;
        tracing::info!(
            tokens,
            jobs,
            "housekeeping: purged expired OAuth tokens and old jobs"
        );
        Ok(())
    }
}
