//! Web video transcoding: H.264 + AAC in MP4 with the index at the front, as PeerTube's
//! `optimize-to-web-video`; audio-only input becomes a 480p, 25 fps video over a still image.
//! The encoding settings ([`EncodeSpec`]) are shared with HLS renditions, so a rendition made
//! from the input looks the same as its web video.

use std::path::Path;
use std::time::Duration;

use crate::MediaError;
use crate::process::run_ffmpeg_with_progress;

/// How one rendition is encoded from the input.
#[derive(Debug, Clone, Copy)]
pub struct EncodeSpec<'a> {
    pub input: &'a Path,
    /// Target resolution (the smaller side); None keeps the input's.
    pub resolution: Option<i32>,
    pub portrait: bool,
    /// Output frame rate (see [`crate::fps::output_fps`]); 0 keeps the input's.
    pub fps: i32,
    pub threads: u32,
    /// For audio-only input: the still image to show.
    pub still_image: Option<&'a Path>,
}

/// Frame rate of the video made over a still image, as PeerTube's audio merge.
const STILL_IMAGE_FPS: i32 = 25;

impl EncodeSpec<'_> {
    /// The output frame rate actually written (the still image's for audio-only input).
    fn output_fps(&self) -> i32 {
        if self.still_image.is_some() {
            STILL_IMAGE_FPS
        } else {
            self.fps
        }
    }

    /// Inputs, stream selection, filters and codec options, without the container: what a web
    /// video and an HLS rendition share. Inputs are read through the file protocol only.
    pub(crate) fn args(&self) -> Vec<String> {
        let mut args: Vec<String> = vec!["-y".into(), "-v".into(), "error".into()];
        match self.still_image {
            Some(image) => {
                args.extend(["-loop", "1", "-protocol_whitelist", "file", "-i"].map(String::from));
                args.push(image.to_string_lossy().into());
                args.extend(["-protocol_whitelist", "file", "-i"].map(String::from));
                args.push(self.input.to_string_lossy().into());
                args.extend(
                    [
                        "-map",
                        "0:v",
                        "-map",
                        "1:a",
                        "-shortest",
                        "-tune",
                        "stillimage",
                        "-vf",
                        "scale=-2:480,format=yuv420p",
                    ]
                    .map(String::from),
                );
            }
            None => {
                args.extend(["-protocol_whitelist", "file", "-i"].map(String::from));
                args.push(self.input.to_string_lossy().into());
                let scale = match (self.resolution, self.portrait) {
                    (Some(r), false) => format!("scale=-2:{r},format=yuv420p"),
                    (Some(r), true) => format!("scale={r}:-2,format=yuv420p"),
                    (None, _) => "scale=trunc(iw/2)*2:trunc(ih/2)*2,format=yuv420p".into(),
                };
                args.extend(["-map", "0:v:0", "-map", "0:a:0?"].map(String::from));
                args.extend(["-vf".into(), scale]);
            }
        }
        let fps = self.output_fps();
        if fps > 0 {
            // A key frame every 2 s, as PeerTube: HLS segments (4 s) can only start on one.
            args.extend([
                "-r".into(),
                fps.to_string(),
                "-g".into(),
                (fps * 2).to_string(),
            ]);
        }
        args.extend(
            [
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-crf",
                "23",
                "-profile:v",
                "high",
                "-level",
                "4.1",
                "-c:a",
                "aac",
                "-b:a",
                "128k",
                "-ar",
                "48000",
                "-max_muxing_queue_size",
                "1024",
            ]
            .map(String::from),
        );
        args.extend(["-threads".into(), self.threads.max(1).to_string()]);
        args
    }
}

pub struct TranscodeSpec<'a> {
    pub encode: EncodeSpec<'a>,
    pub output: &'a Path,
    pub duration_secs: f64,
    pub timeout: Duration,
}

/// Runs ffmpeg, calling `progress` with 0–100 as it goes.
pub async fn transcode(
    spec: TranscodeSpec<'_>,
    progress: impl FnMut(u8) + Send,
) -> Result<(), MediaError> {
    let mut args = spec.encode.args();
    args.extend(["-movflags".into(), "+faststart".into()]);
    args.push(spec.output.to_string_lossy().into());
    run_ffmpeg_with_progress(&args, spec.duration_secs, spec.timeout, progress).await
}
