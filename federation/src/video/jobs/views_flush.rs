//! `video-views-flush`: adds the views counted in Redis to the videos (PeerTube does it every
//! 30 minutes).

use serde::{Deserialize, Serialize};

use crate::queue::{BackgroundJob, JobContext, JobError};
use crate::state::AppState;
use crate::video::views;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FlushViews {}

impl BackgroundJob for FlushViews {
    const NAME: &'static str = "video-views-flush";
    type Context = AppState;

    async fn run(self, ctx: JobContext<AppState>) -> Result<(), JobError> {
        let added = views::flush(&ctx.state).await.map_err(JobError::retry)?;
        if added > 0 {
            tracing::debug!(added, "views flushed");
        }
        Ok(())
    }
}
