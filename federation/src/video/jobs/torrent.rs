//! `manage-video-torrent`: builds the torrent of one new file, or rewrites every file's torrent
//! (web videos and HLS renditions) after a rename or a privacy change, gives HLS swarms the ids
//! of their new master playlist URL, and then federates the video once, naming only torrents
//! and swarms that exist (PeerTube rewrites the torrents first, then federates).

use serde::{Deserialize, Serialize};

use crate::models::video::Video;
use crate::models::video_file::VideoFile;
use crate::models::video_streaming_playlist::StreamingPlaylistFull;
use crate::queue::{BackgroundJob, JobContext, JobError};
use crate::state::AppState;
use crate::video::jobs::federate::FederateVideo;
use crate::video::lifecycle::{hls, torrent};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BuildTorrent {
    pub video_id: i64,
    /// One file; `None`: every file of the video.
    pub file_id: Option<i64>,
    /// For a whole video: federate afterwards, `Some(true)` a Create (it became federable),
    /// `Some(false)` an Update.
    #[serde(default)]
    pub then_federate: Option<bool>,
}

impl BuildTorrent {
    /// The torrent of a new file (followers hear of it when the video is published).
    pub fn file(video_id: i64, file_id: i64) -> Self {
        Self {
            video_id,
            file_id: Some(file_id),
            then_federate: None,
        }
    }

    /// Every torrent of the video, then one Create (`is_new`) or Update.
    pub fn all_then_federate(video_id: i64, is_new: bool) -> Self {
        Self {
            video_id,
            file_id: None,
            then_federate: Some(is_new),
        }
    }
}

impl BackgroundJob for BuildTorrent {
    const NAME: &'static str = "manage-video-torrent";
    const MAX_ATTEMPTS: i32 = 3;
    type Context = AppState;

    /// One pending build per file (or per video): it reads the latest name and privacy when it
    /// runs.
    fn dedup_key(&self) -> Option<String> {
        Some(match self.file_id {
            Some(id) => format!("file-{id}"),
            None => format!("video-{}", self.video_id),
        })
    }

    async fn run(self, ctx: JobContext<AppState>) -> Result<(), JobError> {
        let mut conn = ctx.state.conn().await?;
        let Some(video) = Video::find(&mut conn, self.video_id).await? else {
            // Deleted meanwhile: nothing left to do.
            return Ok(());
        };
        let (files, playlists) = match self.file_id {
            Some(id) => (
                VideoFile::find(&mut conn, id).await?.into_iter().collect(),
                Vec::new(),
            ),
            None => (
                VideoFile::for_video(&mut conn, video.id).await?,
                StreamingPlaylistFull::for_video(&mut conn, video.id).await?,
            ),
        };
        drop(conn);
        let single = self.file_id.is_some();
        let renditions = playlists.iter().flat_map(|p| p.files.iter());
        for file in files
            .iter()
            .chain(renditions)
            .filter(|f| f.filename.is_some())
        {
            torrent::build_and_store(&ctx.state, &video, file, single).await?;
        }
        hls::refresh_swarm_ids(&ctx.state, &video, &playlists).await?;
        if let Some(is_new) = self.then_federate {
            let mut conn = ctx.state.conn().await?;
            FederateVideo {
                video_id: video.id,
                is_new,
            }
            .enqueue(&mut conn)
            .await?;
        }
        Ok(())
    }
}
