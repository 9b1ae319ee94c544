//! An upload's renditions, for every enabled resolution not above the input's: a web video
//! (H.264/AAC MP4) when `transcoding.web_videos` is on, an HLS rendition (one fragmented MP4
//! and its variant playlist) when `transcoding.hls` is on (remuxed from the web video when
//! there is one, so nothing is encoded twice). Then the HLS master playlist and segment
//! hashes, every new file's torrent and the publication; the input file goes last.

use std::path::{Path, PathBuf};

use diesel_async::AsyncConnection;
use ferrotube_media::ffprobe::{self, Probe};
use ferrotube_media::fps::output_fps;
use ferrotube_media::hls::{HlsSource, HlsSpec, generate};
use ferrotube_media::thumbnails::{PREVIEW, from_media};
use ferrotube_media::transcode::{EncodeSpec, TranscodeSpec, transcode};

use super::{hls, publish, torrent};
use crate::models::video::Video;
use crate::models::video_file::{NewHlsFile, NewVideoFile, VideoFile};
use crate::models::video_streaming_playlist::{NewStreamingPlaylist, StreamingPlaylist};
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

/// A folder of work files, removed with whatever is left in it.
struct WorkDir(PathBuf);

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One rendition made: its file name, what ffprobe says of it, its target resolution.
struct Made {
    name: String,
    probe: Probe,
    resolution: i32,
}

impl Made {
    /// The smaller side of the picture; audio-only input keeps its target (480).
    fn resolution(&self) -> i32 {
        if self.probe.has_video {
            self.probe.resolution()
        } else {
            self.resolution
        }
    }

    fn web_row(&self, video_id: i64) -> NewVideoFile {
        let p = &self.probe;
        NewVideoFile {
            video_id,
            resolution: self.resolution(),
            size: p.size as i64,
            extension: ".mp4".into(),
            fps: p.fps,
            width: p.width,
            height: p.height,
            filename: Some(self.name.clone()),
            metadata: Some(p.raw.clone()),
            has_audio: p.has_audio,
            has_video: p.has_video,
        }
    }

    fn hls_row(&self, streaming_playlist_id: i64) -> NewHlsFile {
        let p = &self.probe;
        NewHlsFile {
            streaming_playlist_id,
            resolution: self.resolution(),
            size: p.size as i64,
            extension: ".mp4".into(),
            fps: p.fps,
            width: p.width,
            height: p.height,
            filename: Some(self.name.clone()),
            metadata: Some(p.raw.clone()),
            has_audio: p.has_audio,
            has_video: p.has_video,
        }
    }

    /// Its files on disk: the MP4, and an HLS rendition's variant playlist.
    fn names(&self) -> [String; 2] {
        [
            self.name.clone(),
            storage::hls_variant_playlist_filename(&self.name),
        ]
    }
}

/// Forwards ffmpeg's 0–100 of step `step` (of `steps`) to the job's progress.
fn reporter(
    ctx: &JobContext<AppState>,
    step: usize,
    steps: usize,
) -> (impl FnMut(u8) + Send + use<>, tokio::task::JoinHandle<()>) {
    let ctx = ctx.clone();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<u8>();
    let task = tokio::spawn(async move {
        while let Some(pct) = rx.recv().await {
            let done = (step as f64 + f64::from(pct) / 100.0) / steps as f64;
            let _ = ctx.progress(done * 100.0).await;
        }
    });
    (
        move |pct| {
            let _ = tx.send(pct);
        },
        task,
    )
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

/// What every rendition of one run shares.
struct Renditions<'a> {
    ctx: &'a JobContext<AppState>,
    video: &'a Video,
    input: &'a Path,
    probe: &'a Probe,
    /// For audio-only input: the picture shown.
    still: Option<&'a Path>,
    /// Where HLS renditions are made.
    work: &'a Path,
    with_web: bool,
    with_hls: bool,
}

impl Renditions<'_> {
    /// The web video and/or the HLS rendition of `resolution`, step `step` of `steps`; what it
    /// writes is in `outputs` until it is recorded.
    async fn make(
        &self,
        outputs: &mut Outputs,
        resolution: i32,
        step: usize,
        steps: usize,
    ) -> Result<(Option<Made>, Option<Made>), JobError> {
        let state = &self.ctx.state;
        let (s, t) = (&state.config.storage, &state.config.transcoding);
        let probe = self.probe;
        let is_origin = resolution == probe.resolution();
        let encode = EncodeSpec {
            input: self.input,
            resolution: probe.has_video.then_some(resolution),
            portrait: probe.height.unwrap_or(0) > probe.width.unwrap_or(0),
            fps: output_fps(probe.fps, resolution, is_origin, t.fps_max),
            threads: t.threads,
            still_image: self.still,
        };
        let started = std::time::Instant::now();
        // The progress of the step is the encoding's: a remux takes no time to speak of.
        let (report, reporting) = reporter(self.ctx, step, steps);
        let mut report = Some(report);
        let mut web = None;
        if self.with_web {
            let name = storage::new_video_filename(resolution, ".mp4");
            let out_path = storage::video_file_path(s, &name);
            outputs.0.push(out_path.clone());
            let spec = TranscodeSpec {
                encode,
                output: &out_path,
                duration_secs: probe.duration_secs,
                timeout: t.timeout,
            };
            let result = match report.take() {
                Some(p) => transcode(spec, p).await,
                None => transcode(spec, |_| {}).await,
            };
            result.map_err(JobError::permanent)?;
            let out_probe = ffprobe::probe(&out_path)
                .await
                .map_err(JobError::permanent)?;
            web = Some((
                Made {
                    name,
                    probe: out_probe,
                    resolution,
                },
                out_path,
            ));
        }
        let mut hls = None;
        if self.with_hls {
            let name = storage::new_hls_video_filename(resolution);
            let video_out = self.work.join(&name);
            let playlist_out = self
                .work
                .join(storage::hls_variant_playlist_filename(&name));
            let spec = HlsSpec {
                source: match &web {
                    Some((_, path)) => HlsSource::Remux(path),
                    None => HlsSource::Encode(encode),
                },
                video_output: &video_out,
                playlist_output: &playlist_out,
                duration_secs: probe.duration_secs,
                timeout: t.timeout,
            };
            let result = match report.take() {
                Some(p) => generate(spec, p).await,
                None => generate(spec, |_| {}).await,
            };
            result.map_err(JobError::permanent)?;
            let out_probe = ffprobe::probe(&video_out)
                .await
                .map_err(JobError::permanent)?;
            hls = Some(Made {
                name,
                probe: out_probe,
                resolution,
            });
        }
        drop(report);
        let _ = reporting.await;
        tracing::info!(
            video = %self.video.uuid,
            resolution,
            web = self.with_web,
            hls = self.with_hls,
            seconds = started.elapsed().as_secs_f64(),
            "rendition made"
        );
        Ok((web.map(|(m, _)| m), hls))
    }
}

/// The HLS renditions and their variant playlists, from the work folder into the video's
/// (the same for every privacy: only the URLs differ).
async fn move_into_place(
    state: &AppState,
    video: &Video,
    work: &Path,
    made: &[Made],
    outputs: &mut Outputs,
) -> Result<(), JobError> {
    if made.is_empty() {
        return Ok(());
    }
    let dir = storage::hls_video_dir(&state.config.storage, &video.uuid);
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(JobError::retry)?;
    for name in made.iter().flat_map(Made::names) {
        let to = dir.join(&name);
        outputs.0.push(to.clone());
        move_file(&work.join(&name), &to)
            .await
            .map_err(JobError::retry)?;
    }
    Ok(())
}

/// The rows a run leaves: the new files, the HLS playlist with its renditions, and the input
/// file's row as it was when deleted.
struct Recorded {
    web: Vec<VideoFile>,
    hls: Option<(StreamingPlaylist, Vec<VideoFile>)>,
    input: Option<VideoFile>,
}

/// Records the new files (and the video's HLS playlist) and drops the input's row: all or
/// nothing.
async fn record(
    state: &AppState,
    video_id: i64,
    input_id: i64,
    web: &[Made],
    hls: &[Made],
) -> Result<Recorded, JobError> {
    let web_rows: Vec<NewVideoFile> = web.iter().map(|m| m.web_row(video_id)).collect();
    // A placeholder name until `hls::write_playlist_files` writes the master playlist.
    let master = storage::new_hls_master_filename();
    let mut conn = state.conn().await?;
    conn.transaction::<_, JobError, _>(async move |conn| {
        let mut files = Vec::new();
        for row in &web_rows {
            files.push(VideoFile::insert(conn, row).await?);
        }
        let mut playlist = None;
        if !hls.is_empty() {
            let new = NewStreamingPlaylist {
                video_id,
                playlist_filename: &master,
                segments_sha256_filename: None,
                playlist_url: None,
                segments_sha256_url: None,
                p2p_media_loader_infohashes: &[],
            };
            let p = StreamingPlaylist::find_or_create(conn, &new).await?;
            let mut renditions = Vec::new();
            for m in hls {
                renditions.push(VideoFile::insert_hls(conn, &m.hls_row(p.id)).await?);
            }
            playlist = Some((p, renditions));
        }
        // Read again: its torrent may have been built while we transcoded.
        let input = VideoFile::find(conn, input_id).await?;
        VideoFile::delete(conn, input_id).await?;
        Ok(Recorded {
            web: files,
            hls: playlist,
            input,
        })
    })
    .await
}

/// Transcodes `input_file_id` of `video_id`, reporting progress to the job (one step per
/// resolution); a permanent error (unreadable input, ffmpeg failing) will not get better on
/// retry.
pub async fn run(
    ctx: &JobContext<AppState>,
    video_id: i64,
    input_file_id: i64,
) -> Result<(), JobError> {
    let state = &ctx.state;
    let s = &state.config.storage;
    let t = &state.config.transcoding;
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
    let work = WorkDir(storage::tmp_path(
        s,
        &format!("hls-{}", uuid::Uuid::new_v4()),
    ));
    let renditions = Renditions {
        ctx,
        video: &video,
        input: &input_path,
        probe: &probe,
        still: still.as_deref(),
        work: &work.0,
        // PeerTube refuses a configuration with neither; web videos are the safe reading.
        with_web: t.web_videos.enabled || !t.hls.enabled,
        with_hls: t.hls.enabled,
    };
    if renditions.with_hls {
        tokio::fs::create_dir_all(&work.0)
            .await
            .map_err(JobError::retry)?;
    }
    let (mut web, mut hls_made) = (Vec::new(), Vec::new());
    for (i, resolution) in resolutions.iter().copied().enumerate() {
        let (w, h) = renditions
            .make(&mut outputs, resolution, i, resolutions.len())
            .await?;
        web.extend(w);
        hls_made.extend(h);
    }
    move_into_place(state, &video, &work.0, &hls_made, &mut outputs).await?;
    let recorded = record(state, video_id, input.id, &web, &hls_made).await?;
    // Recorded: the files are the rows' now.
    let kept: Vec<String> = web.iter().chain(&hls_made).flat_map(Made::names).collect();
    outputs.0.retain(|p| !kept.iter().any(|k| p.ends_with(k)));
    if let Some((playlist, files)) = &recorded.hls {
        hls::write_playlist_files(state, &video, playlist, files).await?;
    }
    // Torrents before publishing, so a published video always has them.
    let hls_files = recorded.hls.iter().flat_map(|(_, f)| f.iter());
    for file in recorded.web.iter().chain(hls_files) {
        torrent::build_and_store(state, &video, file, false).await?;
    }
    publish::publish(state, video_id).await?;
    let _ = tokio::fs::remove_file(&input_path).await;
    let input = recorded.input.unwrap_or(input);
    if let Some(t) = &input.torrent_filename {
        let _ = tokio::fs::remove_file(storage::torrent_path(s, t)).await;
    }
    if let Some(h) = &input.info_hash {
        infohashes::removed(state, h).await;
    }
    ctx.progress(100.0).await?;
    tracing::info!(
        video = %video.uuid, web_files = recorded.web.len(), hls_files = hls_made.len(),
        "video transcoded and published"
    );
    Ok(())
}
