//! `federate-video`: sends Create and Announces (a newly federable video) or an Update to
//! followers.

use serde::{Deserialize, Serialize};

use crate::queue::{BackgroundJob, JobContext, JobError};
use crate::state::AppState;
use crate::video::lifecycle::federate;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FederateVideo {
    pub video_id: i64,
    /// Create and Announces when the video becomes federable; Update otherwise.
    pub is_new: bool,
}

impl FederateVideo {
    /// The video became federable.
    pub fn create(video_id: i64) -> Self {
        Self {
            video_id,
            is_new: true,
        }
    }

    /// A federated video changed.
    pub fn update(video_id: i64) -> Self {
        Self {
            video_id,
            is_new: false,
        }
    }
}

impl BackgroundJob for FederateVideo {
    const NAME: &'static str = "federate-video";
    const MAX_ATTEMPTS: i32 = 3;
    /// PeerTube's.
    const CONCURRENCY: usize = 3;
    type Context = AppState;

    fn dedup_key(&self) -> Option<String> {
        Some(format!("{}-{}", self.video_id, self.is_new))
    }

    async fn run(self, ctx: JobContext<AppState>) -> Result<(), JobError> {
        federate::run(&ctx.state, self.video_id, self.is_new).await
    }
}
