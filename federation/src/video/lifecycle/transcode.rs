//! Web video files (H.264/AAC MP4) for the configured resolutions not above the input's,
//! each with its torrent; then the input file goes and the video is published.

use std::path::PathBuf;

use diesel_async::AsyncConnection;
use ferrotube_media::ffprobe::{self, Probe};
use ferrotube_media::thumbnails::{PREVIEW, from_media};
use ferrotube_media::transcode::{TranscodeSpec, transcode};

use super::{publish, torrent};
use crate::models::video::Video;
use crate::models::video_file::{NewVideoFile, VideoFile};
use crate::queue::{JobContext, JobError};
use crate::state::AppState;
use crate::video::{infohashes, storage};

/// Resolutions to produce, highest first: the enabled ones not above the input, plus the
/// input's own when `always_transcode_original_resolution` (PeerTube's default).
fn targets(state: &AppState, probe: &Probe) -> Vec<i32> {
    let t = &state.config.transcoding;
    if !probe.has_video {
        return vec![480];
    }
    let input = probe.resolution();
    let mut out: Vec<i32> = t
        .resolutions
        .enabled()
        .into_iter()
        .map(|r| r as i32)
        .filter(|r| *r > 0 && *r <= input)
        .collect();
    if t.always_transcode_original_resolution || out.is_empty() {
        out.push(input);
    }
    out.sort_unstable_by(|a, b| b.cmp(a));
    out.dedup();
    out
}

/// Removes outputs of a failed run so nothing is left half-created.
struct Outputs(Vec<PathBuf>);

impl Drop for Outputs {
    fn drop(&mut self) {
        for p in &self.0 {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Transcodes `input_file_id` of `video_id`, reporting progress to the job; a permanent
/// error (unreadable input, ffmpeg failing) will not get better on retry.
pub async fn run(
    ctx: &JobContext<AppState>,
    video_id: i64,
    input_file_id: i64,
) -> Result<(), JobError> {
    let state = &ctx.state;
    let s = &state.config.storage;
    let mut conn = state.conn().await?;
    let (Some(video), Some(input)) = (
        Video::find(&mut conn, video_id).await?,
        VideoFile::find(&mut conn, input_file_id).await?,
    ) else {
        return Ok(());
    };
    drop(conn);
    let Some(input_name) = input.filename.clone() else {
        return Err(JobError::permanent("the input file is not local"));
    };
    let input_path = storage::video_file_path(s, &input_name);
    let probe = ffprobe::probe(&input_path)
        .await
        .map_err(JobError::permanent)?;
    let portrait = probe.height.unwrap_or(0) > probe.width.unwrap_or(0);
    let resolutions = targets(state, &probe);
    // Audio-only input is shown over a still image of its own, made here rather than waiting
    // for the thumbnails job.
    let mut outputs = Outputs(Vec::new());
    let still = if probe.has_video {
        None
    } else {
        let image = storage::tmp_path(s, &storage::new_image_filename());
        outputs.0.push(image.clone());
        from_media(&input_path, false, 0.0, PREVIEW, &image)
            .await
            .map_err(JobError::retry)?;
        Some(image)
    };
    let mut made: Vec<(String, Probe, i32)> = Vec::new();
    let steps = resolutions.len() as f64;
    for (i, resolution) in resolutions.iter().enumerate() {
        let name = storage::new_video_filename(*resolution, ".mp4");
        let out_path = storage::video_file_path(s, &name);
        outputs.0.push(out_path.clone());
        let ctx2 = ctx.clone();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<u8>();
        let reporter = tokio::spawn(async move {
            while let Some(pct) = rx.recv().await {
                let _ = ctx2
                    .progress((i as f64 + pct as f64 / 100.0) / steps * 100.0)
                    .await;
            }
        });
        let spec = TranscodeSpec {
            input: &input_path,
            output: &out_path,
            resolution: probe.has_video.then_some(*resolution),
            portrait,
            max_fps: state.config.transcoding.fps_max,
            input_fps: probe.fps,
            duration_secs: probe.duration_secs,
            threads: state.config.transcoding.threads,
            timeout: state.config.transcoding.timeout,
            still_image: still.as_deref(),
        };
        let result = transcode(spec, |pct| {
            let _ = tx.send(pct);
        })
        .await;
        drop(tx);
        let _ = reporter.await;
        result.map_err(JobError::permanent)?;
        let out_probe = ffprobe::probe(&out_path)
            .await
            .map_err(JobError::permanent)?;
        made.push((name, out_probe, *resolution));
    }

    // Record the new files, drop the input's row, publish: all or nothing.
    let mut conn = state.conn().await?;
    let video_id = video.id;
    let input_id = input.id;
    let rows: Vec<NewVideoFile> = made
        .iter()
        .map(|(name, probe, resolution)| NewVideoFile {
            video_id,
            resolution: if probe.has_video {
                probe.resolution()
            } else {
                *resolution
            },
            size: probe.size as i64,
            extension: ".mp4".into(),
            fps: probe.fps,
            width: probe.width,
            height: probe.height,
            filename: Some(name.clone()),
            metadata: Some(probe.raw.clone()),
            has_audio: probe.has_audio,
            has_video: probe.has_video,
        })
        .collect();
    let new_files = conn
        .transaction::<_, JobError, _>(async move |conn| {
            let mut files = Vec::new();
            for row in &rows {
                files.push(VideoFile::insert(conn, row).await?);
            }
            VideoFile::delete(conn, input_id).await?;
            Ok(files)
        })
        .await?;
    outputs
        .0
        .retain(|p| !made.iter().any(|(name, _, _)| p.ends_with(name)));
    drop(conn);
    // Torrents before publishing, so a published video always has them.
    for file in &new_files {
        torrent::build_and_store(state, &video, file, false).await?;
    }
    publish::publish(state, video_id).await?;
    let _ = tokio::fs::remove_file(&input_path).await;
    if let Some(t) = &input.torrent_filename {
        let _ = tokio::fs::remove_file(storage::torrent_path(s, t)).await;
    }
    if let Some(h) = &input.info_hash {
        infohashes::removed(state, h).await;
    }
    ctx.progress(100.0).await?;
    tracing::info!(video = %video.uuid, files = new_files.len(), "video transcoded and published");
    Ok(())
}
