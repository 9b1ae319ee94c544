//! `housekeeping`, scheduled every `jobs.housekeeping_interval`: deletes OAuth tokens whose
//! refresh token expired and finished jobs older than `jobs.retention`, which would otherwise
//! grow their tables forever.

use std::time::Duration;

use ferrotube_federation::jobs::{BoxFuture, JobContext, JobError, JobHandler};
use ferrotube_federation::models::job::Job;
use ferrotube_federation::models::oauth::OAuthToken;
use serde_json::Value;

pub struct Housekeeping;

impl JobHandler for Housekeeping {
    fn run(&self, ctx: JobContext, _payload: Value) -> BoxFuture<Result<(), JobError>> {
        Box::pin(async move {
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
        })
    }

    fn timeout(&self) -> Option<Duration> {
        Some(Duration::from_secs(600))
    }
}
