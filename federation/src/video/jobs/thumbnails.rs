//! `video-thumbnails`: the miniature and the preview of a video.

use serde::{Deserialize, Serialize};

use crate::queue::{BackgroundJob, JobContext, JobError};
use crate::state::AppState;
use crate::video::lifecycle::thumbnails::{self, Sources};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MakeThumbnails {
    pub video_id: i64,
    /// Uploaded images in the tmp folder, used instead of a frame when present.
    pub thumbnail_source: Option<String>,
    pub preview_source: Option<String>,
}

impl BackgroundJob for MakeThumbnails {
    const NAME: &'static str = "video-thumbnails";
    const MAX_ATTEMPTS: i32 = 3;
    /// First of an upload's jobs: the uploader waits for the images, and so does federation.
    const PRIORITY: i32 = -2;
    type Context = AppState;

    async fn run(self, ctx: JobContext<AppState>) -> Result<(), JobError> {
        let sources = Sources {
            thumbnail: self.thumbnail_source,
            preview: self.preview_source,
        };
        thumbnails::run(&ctx, self.video_id, &sources).await
    }
}
