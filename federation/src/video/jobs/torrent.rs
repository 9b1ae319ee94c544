//! `manage-video-torrent`: builds (or rebuilds, after a rename or a privacy change) the
//! torrent of one file.

use serde::{Deserialize, Serialize};

use crate::models::video::Video;
use crate::models::video_file::VideoFile;
use crate::queue::{BackgroundJob, JobContext, JobError};
use crate::state::AppState;
use crate::video::lifecycle::torrent;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BuildTorrent {
    pub video_id: i64,
    pub file_id: i64,
}

impl BackgroundJob for BuildTorrent {
    const NAME: &'static str = "manage-video-torrent";
    const MAX_ATTEMPTS: i32 = 3;
    type Context = AppState;

    /// One pending build per file: it reads the latest name and privacy when it runs.
    fn dedup_key(&self) -> Option<String> {
        Some(format!("file-{}", self.file_id))
    }

    async fn run(self, ctx: JobContext<AppState>) -> Result<(), JobError> {
        let mut conn = ctx.state.conn().await?;
        let (Some(video), Some(file)) = (
            Video::find(&mut conn, self.video_id).await?,
            VideoFile::find(&mut conn, self.file_id).await?,
        ) else {
            // Deleted or replaced meanwhile: nothing left to do.
            return Ok(());
        };
        drop(conn);
        torrent::build_and_store(&ctx.state, &video, &file).await
    }
}
