//! The 280x157 miniature and the 850x480 preview, picked by ffmpeg's thumbnail filter among
//! 50 frames (PeerTube picks the best of 50 too); audio-only input gets a plain image.

use std::path::Path;
use std::time::Duration;

use crate::MediaError;
use crate::process::run;

pub const THUMBNAIL: (u32, u32) = (280, 157);
pub const PREVIEW: (u32, u32) = (850, 480);

/// Writes a JPEG of `size` taken from `input` (a video, or an image the user sent).
pub async fn from_media(
    input: &Path,
    has_video: bool,
    duration_secs: f64,
    size: (u32, u32),
    output: &Path,
) -> Result<(), MediaError> {
    let (w, h) = size;
    let fill =
        format!("format=yuvj444p,scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h}");
    let input_s = input.to_string_lossy();
    let output_s = output.to_string_lossy();
    if !has_video {
        let color = format!("color=c=0x1e1e1e:s={w}x{h},format=yuvj444p");
        return run(
            "ffmpeg",
            &[
                "-y",
                "-v",
                "error",
                "-f",
                "lavfi",
                "-i",
                &color,
                "-frames:v",
                "1",
                &output_s,
            ],
            Duration::from_secs(60),
        )
        .await
        .map(|_| ());
    }
    // Skip the first moments (often black) when the video is long enough.
    let seek = if duration_secs > 4.0 {
        format!("{:.2}", duration_secs * 0.1)
    } else {
        "0".into()
    };
    let filter = format!("thumbnail=50,{fill}");
    let res = run(
        "ffmpeg",
        &[
            "-y",
            "-v",
            "error",
            "-ss",
            &seek,
            "-i",
            &input_s,
            "-vf",
            &filter,
            "-frames:v",
            "1",
            "-q:v",
            "3",
            &output_s,
        ],
        Duration::from_secs(120),
    )
    .await;
    if res.is_ok() && tokio::fs::metadata(output).await.is_ok_and(|m| m.len() > 0) {
        return Ok(());
    }
    // A seek past the last key frame can yield nothing: take the first frame instead.
    run(
        "ffmpeg",
        &[
            "-y",
            "-v",
            "error",
            "-i",
            &input_s,
            "-vf",
            &fill,
            "-frames:v",
            "1",
            "-q:v",
            "3",
            &output_s,
        ],
        Duration::from_secs(120),
    )
    .await
    .map(|_| ())
}
