//! HLS as PeerTube serves it: per rendition one fragmented MP4 read by byte ranges and its
//! variant playlist (`generate`), the master playlist over them ([`master`]) and the
//! `segments-sha256.json` that lets P2P viewers check segments from peers ([`segments`]).

pub mod master;
pub mod segments;

use std::path::Path;
use std::time::Duration;

use crate::MediaError;
use crate::process::run_ffmpeg_with_progress;
use crate::transcode::EncodeSpec;

/// Where a rendition's streams come from.
#[derive(Debug, Clone, Copy)]
pub enum HlsSource<'a> {
    /// A web video we made (H.264/AAC, a key frame every 2 s): remuxed, never re-encoded.
    Remux(&'a Path),
    /// Encoded from the input, with the settings a web video would get.
    Encode(EncodeSpec<'a>),
}

pub struct HlsSpec<'a> {
    pub source: HlsSource<'a>,
    /// The rendition's fragmented MP4 (`{rnd}-{res}-fragmented.mp4`).
    pub video_output: &'a Path,
    /// Its variant playlist (`{rnd}-{res}.m3u8`), in the same folder.
    pub playlist_output: &'a Path,
    pub duration_secs: f64,
    pub timeout: Duration,
}

/// Makes one rendition with PeerTube's muxer settings (4 s VOD segments of one fMP4 file),
/// calling `progress` with 0–100.
pub async fn generate(
    spec: HlsSpec<'_>,
    progress: impl FnMut(u8) + Send,
) -> Result<(), MediaError> {
    let video_output = spec.video_output.to_string_lossy().into_owned();
    let mut args: Vec<String> = match spec.source {
        HlsSource::Remux(input) => {
            let mut a: Vec<String> = ["-y", "-v", "error", "-protocol_whitelist", "file", "-i"]
                .map(String::from)
                .into();
            a.push(input.to_string_lossy().into());
            a.extend(["-map", "0:v:0?", "-map", "0:a:0?", "-c", "copy"].map(String::from));
            a
        }
        HlsSource::Encode(encode) => encode.args(),
    };
    args.extend(
        [
            "-hls_time",
            "4",
            "-hls_list_size",
            "0",
            "-hls_playlist_type",
            "vod",
            "-hls_segment_type",
            "fmp4",
            "-hls_flags",
            "single_file",
            "-hls_segment_filename",
        ]
        .map(String::from),
    );
    args.push(video_output.clone());
    args.extend(["-f".into(), "hls".into()]);
    args.push(spec.playlist_output.to_string_lossy().into());
    run_ffmpeg_with_progress(&args, spec.duration_secs, spec.timeout, progress).await?;
    // Some ffmpeg versions write the fMP4's full path in the playlist: keep its name only, so
    // the playlist works wherever it is served from.
    let text = tokio::fs::read_to_string(spec.playlist_output)
        .await
        .map_err(MediaError::io("reading the variant playlist"))?;
    let name = spec
        .video_output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if text.contains(&video_output) {
        tokio::fs::write(spec.playlist_output, text.replace(&video_output, &name))
            .await
            .map_err(MediaError::io("writing the variant playlist"))?;
    }
    Ok(())
}
