//! `activitypub-refresher`: a stale remote video fetched again from its origin.

use ferrotube_federation::jobs::{BoxFuture, JobContext, JobError, JobHandler};
use ferrotube_federation::video::ingest;
use serde_json::Value;

pub struct Refresh;

impl JobHandler for Refresh {
    fn run(&self, ctx: JobContext, payload: Value) -> BoxFuture<Result<(), JobError>> {
        Box::pin(async move {
            let video_id = payload["video_id"]
                .as_i64()
                .ok_or_else(|| JobError::permanent("bad payload: no video_id"))?;
            ingest::refresh(&ctx.state, video_id)
                .await
                .map_err(|e| match e {
                    ferrotube_federation::FederationError::BadRequest(m) => JobError::permanent(m),
                    other => JobError::retry(other),
                })
        })
    }
}
