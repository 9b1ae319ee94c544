//! `activitypub-refresher`: a stale remote video fetched again from its origin; a 404 or 410
//! deletes it.

use serde::{Deserialize, Serialize};

use crate::error::FederationError;
use crate::queue::{BackgroundJob, JobContext, JobError};
use crate::state::AppState;
use crate::video::ingest;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RefreshVideo {
    pub video_id: i64,
}

impl RefreshVideo {
    /// Remote videos older than this are fetched again when read (PeerTube: 2 days).
    pub const AFTER: chrono::Duration = chrono::Duration::days(2);
}

impl BackgroundJob for RefreshVideo {
    const NAME: &'static str = "activitypub-refresher";
    const MAX_ATTEMPTS: i32 = 2;
    type Context = AppState;

    /// Once while one is pending.
    fn dedup_key(&self) -> Option<String> {
        Some(self.video_id.to_string())
    }

    async fn run(self, ctx: JobContext<AppState>) -> Result<(), JobError> {
        ingest::refresh(&ctx.state, self.video_id)
            .await
            .map_err(|e| match e {
                FederationError::BadRequest(m) => JobError::permanent(m),
                other => JobError::retry(other),
            })
    }
}
