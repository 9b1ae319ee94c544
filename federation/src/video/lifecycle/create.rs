//! A local video from an uploaded file: checked, probed, stored, recorded, and queued for
//! processing, all or nothing.

use std::path::{Path, PathBuf};

use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use super::{probe, quota};
use crate::error::FederationError;
use crate::limits::VIDEO_EXTENSIONS;
use crate::models::channel::ChannelFull;
use crate::models::enums::{CommentsPolicy, VideoPrivacy, VideoState};
use crate::models::user::User;
use crate::models::video::{NewVideo, Video};
use crate::models::video_file::{NewVideoFile, VideoFile};
use crate::models::video_tag::VideoTag;
use crate::queue::BackgroundJob;
use crate::state::AppState;
use crate::video::jobs::thumbnails::MakeThumbnails;
use crate::video::jobs::torrent::BuildTorrent;
use crate::video::jobs::transcode::TranscodeVideo;
use crate::video::meta::VideoMeta;
use crate::video::storage;

/// Files of an upload waiting in the tmp folder; removed on drop unless kept, so that no
/// failure path leaves them behind.
pub struct Upload {
    pub input: PathBuf,
    pub original_filename: String,
    pub thumbnail: Option<PathBuf>,
    pub preview: Option<PathBuf>,
    keep: bool,
}

impl Upload {
    pub fn new(input: PathBuf, original_filename: String) -> Self {
        Self {
            input,
            original_filename,
            thumbnail: None,
            preview: None,
            keep: false,
        }
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        if self.keep {
            return;
        }
        for p in [
            Some(&self.input),
            self.thumbnail.as_ref(),
            self.preview.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Removes a stored file again if the video could not be recorded.
struct StoredFile(Option<PathBuf>);

impl Drop for StoredFile {
    fn drop(&mut self) {
        if let Some(p) = &self.0 {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// The dotted, lower-case extension of an accepted video file name.
pub fn extension_of(filename: &str) -> Option<String> {
    let ext = Path::new(filename)
        .extension()?
        .to_str()?
        .to_ascii_lowercase();
    let dotted = format!(".{ext}");
    VIDEO_EXTENSIONS
        .contains(&dotted.as_str())
        .then_some(dotted)
}

/// The channel an upload goes to: it must exist and belong to the uploader.
pub async fn upload_channel(
    state: &AppState,
    user: &User,
    channel_id: i64,
) -> Result<ChannelFull, FederationError> {
    let mut conn = state.conn().await?;
    let channel = ChannelFull::load(&mut conn, channel_id)
        .await?
        .filter(|c| c.is_local())
        .ok_or_else(|| {
            FederationError::BadRequest("Unknown video \"video channel\" for this account.".into())
        })?;
    if channel.owner.account.user_id != Some(user.id) {
        return Err(FederationError::NotYourChannel);
    }
    Ok(channel)
}

async fn move_file(from: &Path, to: &Path) -> std::io::Result<()> {
    match tokio::fs::rename(from, to).await {
        Ok(()) => Ok(()),
        // Another filesystem: copy, then remove the original.
        Err(_) => {
            tokio::fs::copy(from, to).await?;
            tokio::fs::remove_file(from).await
        }
    }
}

pub async fn create_local_video(
    state: &AppState,
    user: &User,
    meta: VideoMeta,
    mut upload: Upload,
) -> Result<Video, FederationError> {
    let extension =
        extension_of(&upload.original_filename).ok_or(FederationError::UnsupportedVideoType)?;
    let channel_id = meta
        .channel_id
        .ok_or_else(|| FederationError::BadRequest("channelId is required".into()))?;
    upload_channel(state, user, channel_id).await?;
    let size = tokio::fs::metadata(&upload.input)
        .await
        .map_err(FederationError::io("reading the upload"))?
        .len() as i64;
    {
        let mut conn = state.conn().await?;
        quota::check(&mut conn, user, size).await?;
    }
    let probe = probe::upload(&upload.input).await?;
    let resolution = probe.resolution();
    let filename = storage::new_video_filename(resolution, &extension);
    let destination = storage::video_file_path(&state.config.storage, &filename);
    move_file(&upload.input, &destination)
        .await
        .map_err(FederationError::io("storing the upload"))?;
    let mut stored = StoredFile(Some(destination.clone()));

    let needs_transcoding = state.config.transcoding.enabled || !probe.has_video;
    let uuid = Uuid::new_v4();
    let new_video = NewVideo {
        uuid,
        url: format!("{}/videos/watch/{uuid}", state.urls.base),
        name: meta.name.clone().unwrap_or_default(),
        description: meta.description.clone().flatten(),
        support: meta.support.clone().flatten(),
        category: meta.category.flatten(),
        licence: meta.licence.flatten(),
        language: meta.language.clone().flatten(),
        // PeerTube makes a video private when the uploader does not say.
        privacy: meta.privacy.unwrap_or(VideoPrivacy::Private),
        nsfw: meta.nsfw.unwrap_or(false),
        comments_policy: meta.comments_policy.unwrap_or(CommentsPolicy::Enabled),
        download_enabled: meta.download_enabled.unwrap_or(true),
        wait_transcoding: meta.wait_transcoding.unwrap_or(true),
        state: if needs_transcoding {
            VideoState::ToTranscode
        } else {
            VideoState::Published
        },
        duration: probe.duration_secs.round() as i32,
        aspect_ratio: probe.aspect_ratio(),
        channel_id,
        is_local: true,
        thumbnail_filename: None,
        preview_filename: None,
        originally_published_at: meta.originally_published_at.flatten(),
    };
    let new_file = |video_id: i64| NewVideoFile {
        video_id,
        resolution,
        size,
        extension: extension.clone(),
        fps: if probe.has_video { probe.fps } else { -1 },
        width: probe.width.filter(|_| probe.has_video),
        height: probe.height.filter(|_| probe.has_video),
        filename: Some(filename.clone()),
        metadata: Some(probe.raw.clone()),
        has_audio: probe.has_audio,
        has_video: probe.has_video,
    };
    let tags = meta.tags.clone().unwrap_or_default();
    let thumbnail_source = upload
        .thumbnail
        .as_ref()
        .map(|p| p.to_string_lossy().into_owned());
    let preview_source = upload
        .preview
        .as_ref()
        .map(|p| p.to_string_lossy().into_owned());
    let mut conn = state.conn().await?;
    let video = conn
        .transaction::<_, FederationError, _>(async move |conn| {
            let video = Video::insert(conn, &new_video).await?;
            VideoTag::set(conn, video.id, &tags).await?;
            let file = VideoFile::insert(conn, &new_file(video.id)).await?;
            let thumbnails = MakeThumbnails {
                video_id: video.id,
                thumbnail_source,
                preview_source,
            };
            enqueue_processing(conn, thumbnails, &file, needs_transcoding).await?;
            Ok(video)
        })
        .await?;
    stored.0 = None;
    // The images stay in tmp for the thumbnails job, which removes them.
    upload.keep = true;
    tracing::info!(video = %video.uuid, size, resolution, "video uploaded");
    Ok(video)
}

/// Thumbnails first (the uploader waits for them, and federation waits for them: PeerTube
/// refuses a Video without a JPEG icon), then the torrent of the uploaded file so clients can
/// fetch it at once, then transcoding when it is needed. Inside the caller's transaction, so a
/// rolled-back upload leaves no job behind.
async fn enqueue_processing(
    conn: &mut AsyncPgConnection,
    thumbnails: MakeThumbnails,
    file: &VideoFile,
    transcode: bool,
) -> Result<(), FederationError> {
    let video_id = thumbnails.video_id;
    thumbnails.enqueue(conn).await?;
    BuildTorrent::file(video_id, file.id).enqueue(conn).await?;
    if transcode {
        TranscodeVideo {
            video_id,
            input_file_id: file.id,
        }
        .enqueue(conn)
        .await?;
    }
    Ok(())
}
