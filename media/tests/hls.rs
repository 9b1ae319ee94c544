//! HLS renditions made by the real ffmpeg: encoded from an input and remuxed from a web video,
//! each one fMP4 whose playlist's byte ranges cover it, hashed as `segments-sha256.json`
//! says, and listed in a master playlist.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use ferrotube_media::hls::master::{Rendition, bandwidth, codecs, master_playlist};
use ferrotube_media::hls::segments::{byte_ranges, hash_ranges};
use ferrotube_media::hls::{HlsSource, HlsSpec, generate};
use ferrotube_media::probe;
use ferrotube_media::transcode::{EncodeSpec, TranscodeSpec, transcode};

fn scratch() -> PathBuf {
    let d = std::env::temp_dir().join(format!("ft-media-hls-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// 10 s of 25 fps 640x360 with a tone, with a key frame only every 10 s: the renditions
/// must bring their own every 2 s.
fn input(dir: &Path) -> PathBuf {
    let p = dir.join("in.mp4");
    let ok = Command::new("ffmpeg")
        .args(["-y", "-v", "error", "-f", "lavfi", "-i"])
        .arg("testsrc=duration=10:size=640x360:rate=25")
        .args(["-f", "lavfi", "-i", "sine=frequency=440:duration=10"])
        .args([
            "-c:v",
            "libx264",
            "-g",
            "250",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-shortest",
        ])
        .arg(&p)
        .status()
        .expect("ffmpeg is needed");
    assert!(ok.success());
    p
}

fn encode(input: &Path, resolution: i32) -> EncodeSpec<'_> {
    EncodeSpec {
        input,
        resolution: Some(resolution),
        portrait: false,
        fps: 25,
        threads: 1,
        still_image: None,
    }
}

async fn check_rendition(video: &Path, playlist: &Path, height: i32) -> Rendition {
    let text = std::fs::read_to_string(playlist).unwrap();
    let name = video.file_name().unwrap().to_string_lossy().into_owned();
    assert!(text.contains("#EXT-X-PLAYLIST-TYPE:VOD"), "{text}");
    assert!(
        text.contains(&format!("#EXT-X-MAP:URI=\"{name}\",BYTERANGE=")),
        "{text}"
    );
    assert!(!text.contains('/'), "paths in {text}");
    let ranges = byte_ranges(&text);
    // 10 s in 4 s segments.
    assert_eq!(ranges.len(), 3, "{text}");
    let size = std::fs::metadata(video).unwrap().len();
    let mut next = ranges[0].offset;
    for r in &ranges {
        assert_eq!(r.offset, next, "segments are contiguous");
        next = r.offset + r.length;
    }
    assert_eq!(next, size, "the last segment ends the file");
    let hashes = hash_ranges(video, &ranges).await.unwrap();
    let bytes = std::fs::read(video).unwrap();
    for ((key, hash), r) in hashes.iter().zip(&ranges) {
        use sha2::Digest;
        let slice = &bytes[r.offset as usize..(r.offset + r.length) as usize];
        assert_eq!(*hash, format!("{:x}", sha2::Sha256::digest(slice)));
        assert_eq!(*key, format!("{}-{}", r.offset, r.offset + r.length - 1));
    }
    let p = probe(video).await.unwrap();
    assert_eq!(p.height, Some(height));
    assert_eq!(p.fps, 25);
    Rendition {
        playlist_filename: playlist.file_name().unwrap().to_string_lossy().into_owned(),
        resolution: height,
        width: p.width.unwrap(),
        height,
        fps: p.fps,
        bandwidth: bandwidth(size, 10),
        codecs: codecs(&p),
    }
}

#[tokio::test]
async fn renditions_encoded_and_remuxed_are_segmented_hashed_and_listed() {
    let dir = scratch();
    let input = input(&dir);
    // 240p straight from the input.
    let (v240, p240) = (dir.join("a-240-fragmented.mp4"), dir.join("a-240.m3u8"));
    let spec = HlsSpec {
        source: HlsSource::Encode(encode(&input, 240)),
        video_output: &v240,
        playlist_output: &p240,
        duration_secs: 10.0,
        timeout: Duration::from_secs(120),
    };
    let mut seen = Vec::new();
    generate(spec, |pct| seen.push(pct)).await.unwrap();
    assert_eq!(seen.last(), Some(&100));
    let low = check_rendition(&v240, &p240, 240).await;

    // 360p remuxed from the web video of the same settings.
    let web = dir.join("b-360.mp4");
    let t = TranscodeSpec {
        encode: encode(&input, 360),
        output: &web,
        duration_secs: 10.0,
        timeout: Duration::from_secs(120),
    };
    transcode(t, |_| {}).await.unwrap();
    let (v360, p360) = (dir.join("b-360-fragmented.mp4"), dir.join("b-360.m3u8"));
    let spec = HlsSpec {
        source: HlsSource::Remux(&web),
        video_output: &v360,
        playlist_output: &p360,
        duration_secs: 10.0,
        timeout: Duration::from_secs(60),
    };
    generate(spec, |_| {}).await.unwrap();
    let high = check_rendition(&v360, &p360, 360).await;
    assert_eq!(high.codecs, "avc1.640029,mp4a.40.2", "level 4.1, AAC");

    let master = master_playlist(&[high, low]);
    let lines: Vec<&str> = master.lines().collect();
    assert_eq!(lines[..4], ["#EXTM3U", "#EXT-X-VERSION:3", "", ""]);
    assert!(
        lines[4].starts_with("#EXT-X-STREAM-INF:BANDWIDTH="),
        "{master}"
    );
    assert!(
        lines[4].contains(",RESOLUTION=426x240,FRAME-RATE=25,CODECS=\"avc1.640029,mp4a.40.2\""),
        "{master}"
    );
    assert_eq!(lines[5], "a-240.m3u8");
    assert_eq!(lines[7], "b-360.m3u8");
    let _ = std::fs::remove_dir_all(dir);
}
