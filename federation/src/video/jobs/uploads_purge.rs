//! `resumable-uploads-purge`: resumable uploads idle for an hour are dropped with their
//! partial files, as PeerTube purges them.

use std::time::Duration;

use chrono::Utc;
use serde::{Deserialize, Serialize};

use crate::models::upload_session::UploadSession;
use crate::queue::{BackgroundJob, JobContext, JobError};
use crate::state::AppState;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PurgeUploads {}

impl PurgeUploads {
    pub const EVERY: Duration = Duration::from_secs(600);
}

impl BackgroundJob for PurgeUploads {
    const NAME: &'static str = "resumable-uploads-purge";
    type Context = AppState;

    async fn run(self, ctx: JobContext<AppState>) -> Result<(), JobError> {
        let mut conn = ctx.state.conn().await?;
        let idle =
            UploadSession::idle_since(&mut conn, Utc::now() - chrono::Duration::hours(1)).await?;
        for session in &idle {
            UploadSession::delete(&mut conn, &session.id).await?;
            let _ = tokio::fs::remove_file(&session.path).await;
        }
        if !idle.is_empty() {
            tracing::info!(purged = idle.len(), "purged idle resumable uploads");
        }
        Ok(())
    }
}
