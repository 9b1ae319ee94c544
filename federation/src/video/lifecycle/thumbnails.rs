//! The 280x157 miniature and the 850x480 preview, from the images the uploader sent or from
//! the video itself; a published video is federated once it has them.

use std::path::PathBuf;

use ferrotube_media::ffprobe;
use ferrotube_media::thumbnails::{PREVIEW, THUMBNAIL, from_media};

use crate::models::enums::VideoState;
use crate::models::video::{Video, VideoChanges};
use crate::models::video_file::VideoFile;
use crate::queue::{BackgroundJob, JobContext, JobError};
use crate::state::AppState;
use crate::video::jobs::federate::FederateVideo;
use crate::video::storage;

/// Images the uploader sent, in the tmp folder; used instead of a frame of the video.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub thumbnail: Option<String>,
    pub preview: Option<String>,
}

/// Makes both images of `video_id`; the uploaded sources go once done or failed for good.
pub async fn run(
    ctx: &JobContext<AppState>,
    video_id: i64,
    sources: &Sources,
) -> Result<(), JobError> {
    let result = make(ctx, video_id, sources).await;
    if result.is_ok() || ctx.is_last_attempt() {
        for source in [&sources.thumbnail, &sources.preview].into_iter().flatten() {
            let _ = tokio::fs::remove_file(source).await;
        }
    }
    result
}

async fn make(
    ctx: &JobContext<AppState>,
    video_id: i64,
    sources: &Sources,
) -> Result<(), JobError> {
    let state = &ctx.state;
    let mut conn = state.conn().await?;
    let Some(video) = Video::find(&mut conn, video_id).await? else {
        return Ok(());
    };
    let files = VideoFile::for_video(&mut conn, video.id).await?;
    drop(conn);
    let source_video = files
        .iter()
        .filter_map(|f| f.filename.as_ref().map(|n| (f, n)))
        .min_by_key(|(f, _)| f.resolution)
        .map(|(f, n)| {
            (
                storage::video_file_path(&state.config.storage, n),
                f.has_video,
            )
        });
    let s = &state.config.storage;
    let thumb_name = storage::new_image_filename();
    let preview_name = storage::new_image_filename();
    let thumb_path = storage::thumbnail_path(s, &thumb_name);
    let preview_path = storage::preview_path(s, &preview_name);
    for (given, size, out) in [
        (&sources.thumbnail, THUMBNAIL, &thumb_path),
        (&sources.preview, PREVIEW, &preview_path),
    ] {
        let (input, has_video): (PathBuf, bool) = match (given, &source_video) {
            (Some(image), _) => (PathBuf::from(image), true),
            (None, Some((path, has_video))) => (path.clone(), *has_video),
            (None, None) => return Err(JobError::permanent("the video has no local file")),
        };
        let duration = if given.is_some() {
            0.0
        } else {
            ffprobe::probe(&input)
                .await
                .map(|p| p.duration_secs)
                .unwrap_or(0.0)
        };
        from_media(&input, has_video, duration, size, out)
            .await
            .map_err(JobError::retry)?;
        ctx.progress(50.0).await?;
    }
    let mut conn = state.conn().await?;
    Video::update(
        &mut conn,
        video.id,
        &VideoChanges {
            thumbnail_filename: Some(Some(thumb_name)),
            preview_filename: Some(Some(preview_name)),
            ..VideoChanges::default()
        },
    )
    .await?;
    // Federation waited for these images (see `federate`): a published video goes out now.
    let fresh = Video::find(&mut conn, video.id).await?;
    if let Some(fresh) = fresh.filter(|v| v.is_local && v.state == VideoState::Published) {
        FederateVideo::create(fresh.id).enqueue(&mut conn).await?;
    }
    for (old, dir_path) in [
        (
            &video.thumbnail_filename,
            storage::thumbnail_path as fn(&_, &str) -> PathBuf,
        ),
        (&video.preview_filename, storage::preview_path),
    ] {
        if let Some(old) = old {
            let _ = tokio::fs::remove_file(dir_path(s, old)).await;
        }
    }
    Ok(())
}
