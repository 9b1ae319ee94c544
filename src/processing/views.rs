//! `video-views-flush`: adds the views counted in Redis to the videos.

use ferrotube_federation::jobs::{BoxFuture, JobContext, JobError, JobHandler};
use serde_json::Value;

pub struct Flush;

impl JobHandler for Flush {
    fn run(&self, ctx: JobContext, _payload: Value) -> BoxFuture<Result<(), JobError>> {
        Box::pin(async move {
            let added = ferrotube_api::videos::views::flush(&ctx.state)
                .await
                .map_err(JobError::retry)?;
            if added > 0 {
                tracing::debug!(added, "views flushed");
            }
            Ok(())
        })
    }
}
