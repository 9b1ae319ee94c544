//! `video-transcoding`: an upload's web video files, then its publication. A failure that
//! will not get better (or the last attempt's) marks the video failed with the reason.

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::queue::{BackgroundJob, JobContext, JobError};
use crate::state::AppState;
use crate::video::lifecycle::{publish, transcode};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TranscodeVideo {
    pub video_id: i64,
    /// The uploaded file's row, replaced by the transcoded files.
    pub input_file_id: i64,
}

impl BackgroundJob for TranscodeVideo {
    const NAME: &'static str = "video-transcoding";
    /// After thumbnails (-2) and torrents (0): the uploader sees the video sooner.
    const PRIORITY: i32 = 1;
    type Context = AppState;

    /// PeerTube takes transcoding's concurrency from its own section.
    fn default_concurrency(config: &Config) -> usize {
        usize::try_from(config.transcoding.concurrency).unwrap_or(1)
    }

    async fn run(self, ctx: JobContext<AppState>) -> Result<(), JobError> {
        let result = transcode::run(&ctx, self.video_id, self.input_file_id).await;
        if let Err(e) = &result
            && (e.is_permanent() || ctx.is_last_attempt())
        {
            publish::mark_failed(&ctx.state, self.video_id, &e.to_string()).await;
        }
        result
    }
}
