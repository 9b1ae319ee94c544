//! `resumable-uploads-purge`: resumable uploads idle for an hour are dropped with their
//! partial files, as PeerTube purges them.

use chrono::{Duration, Utc};
use ferrotube_federation::jobs::{BoxFuture, JobContext, JobError, JobHandler};
use ferrotube_federation::models::upload_session::UploadSession;
use serde_json::Value;

pub struct Purge;

impl JobHandler for Purge {
    fn run(&self, ctx: JobContext, _payload: Value) -> BoxFuture<Result<(), JobError>> {
        Box::pin(async move {
            let mut conn = ctx.state.conn().await?;
            let idle =
                UploadSession::idle_since(&mut conn, Utc::now() - Duration::hours(1)).await?;
            for session in &idle {
                UploadSession::delete(&mut conn, &session.id).await?;
                let _ = tokio::fs::remove_file(&session.path).await;
            }
            if !idle.is_empty() {
                tracing::info!(purged = idle.len(), "purged idle resumable uploads");
            }
            Ok(())
        })
    }
}
