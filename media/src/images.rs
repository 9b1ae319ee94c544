//! Resizing an uploaded image (an avatar or a banner) to one exact size: scaled to cover it,
//! then centre-cropped, as PeerTube's actor images are; a portrait image made into a landscape
//! one (a banner) is shown whole over a darkened cover of itself, as PeerTube does, rather than
//! cut to a strip. The output keeps the input's format (the output path's extension chooses the
//! encoder); a GIF stays animated. Metadata (EXIF, with its location) is dropped.

use std::path::Path;
use std::time::Duration;

use crate::MediaError;
use crate::process::run;

/// One image of `size` from `input` into `output`; a file that is not an image fails with
/// [`MediaError::Unreadable`].
pub async fn resize_cover(input: &Path, size: (u32, u32), output: &Path) -> Result<(), MediaError> {
    let (w, h) = size;
    let cover = format!("scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h}");
    let portrait_into_landscape = w > h && dimensions(input).await.is_some_and(|(iw, ih)| iw <= ih);
    let fit = if portrait_into_landscape {
        format!(
            "split[bg][fg];[bg]{cover},colorchannelmixer=rr=0.5:gg=0.5:bb=0.5[dark];\
             [fg]scale={w}:{h}:force_original_aspect_ratio=decrease[whole];\
             [dark][whole]overlay=(W-w)/2:(H-h)/2"
        )
    } else {
        cover
    };
    let extension = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let input_s = input.to_string_lossy();
    let output_s = output.to_string_lossy();
    let mut args: Vec<&str> = vec!["-y", "-v", "error", "-i", &input_s, "-map_metadata", "-1"];
    // A GIF keeps its frames, with a palette made for them; other formats take the first frame.
    let gif_filter = format!("{fit},split[a][b];[a]palettegen[p];[b][p]paletteuse");
    match extension.as_str() {
        "gif" => args.extend(["-filter_complex", &gif_filter]),
        "jpg" | "jpeg" => args.extend(["-filter_complex", &fit, "-frames:v", "1", "-q:v", "3"]),
        "webp" => args.extend(["-filter_complex", &fit, "-frames:v", "1", "-quality", "80"]),
        _ => args.extend(["-filter_complex", &fit, "-frames:v", "1"]),
    }
    args.push(&output_s);
    match run("ffmpeg", &args, Duration::from_secs(60)).await {
        Ok(_) => {}
        Err(MediaError::Failed { stderr, .. }) => return Err(MediaError::Unreadable(stderr)),
        Err(e) => return Err(e),
    }
    if tokio::fs::metadata(output).await.is_ok_and(|m| m.len() > 0) {
        Ok(())
    } else {
        Err(MediaError::Unreadable("ffmpeg wrote no image".into()))
    }
}

/// Width and height of an image's first picture, when ffprobe can tell.
pub async fn dimensions(path: &Path) -> Option<(u32, u32)> {
    let p = path.to_string_lossy();
    let args = [
        "-v",
        "error",
        "-select_streams",
        "v:0",
        "-show_entries",
        "stream=width,height",
        "-of",
        "csv=p=0:s=x",
        &p,
    ];
    let out = run("ffprobe", &args, Duration::from_secs(30)).await.ok()?;
    let text = String::from_utf8_lossy(&out);
    let (w, h) = text.trim().split_once('x')?;
    Some((w.parse().ok()?, h.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn make(path: &Path, size: &str) {
        let color = format!("color=c=red:s={size}");
        let out = path.to_string_lossy();
        let args = [
            "-y",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            &color,
            "-frames:v",
            "1",
            &out,
        ];
        if let Err(e) = run("ffmpeg", &args, Duration::from_secs(30)).await {
            panic!("making {size}: {e}");
        }
    }

    #[tokio::test]
    async fn images_are_cropped_to_the_exact_size_in_their_format() {
        let dir = std::env::temp_dir().join(format!("ft-images-{}", std::process::id()));
        let _ = tokio::fs::create_dir_all(&dir).await;
        for ext in ["png", "jpg", "webp", "gif"] {
            let input = dir.join(format!("in.{ext}"));
            make(&input, "320x200").await;
            for size in [(120, 120), (600, 100)] {
                let output = dir.join(format!("out-{}.{ext}", size.0));
                if let Err(e) = resize_cover(&input, size, &output).await {
                    panic!("{ext} {size:?}: {e}");
                }
                assert_eq!(dimensions(&output).await, Some(size), "{ext}");
            }
        }
        // A portrait picture made into a banner keeps its size and shape.
        let portrait = dir.join("portrait.png");
        make(&portrait, "100x300").await;
        let banner = dir.join("banner.png");
        if let Err(e) = resize_cover(&portrait, (600, 100), &banner).await {
            panic!("portrait banner: {e}");
        }
        assert_eq!(dimensions(&banner).await, Some((600, 100)));
        let text = dir.join("not-an-image.png");
        let _ = tokio::fs::write(&text, b"hello").await;
        let res = resize_cover(&text, (48, 48), &dir.join("out.png")).await;
        assert!(matches!(res, Err(MediaError::Unreadable(_))), "{res:?}");
        let _ = tokio::fs::remove_dir_all(&dir).await;
    }
}
