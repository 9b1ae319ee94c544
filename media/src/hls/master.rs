//! The master playlist, written as PeerTube writes it: one `#EXT-X-STREAM-INF` per rendition,
//! lowest first, with BANDWIDTH, RESOLUTION, FRAME-RATE and CODECS.

use std::fmt::Write;

use crate::Probe;

/// One rendition of the master playlist.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendition {
    /// `{rnd}-{res}.m3u8`, relative to the master playlist.
    pub playlist_filename: String,
    /// 0 for audio only.
    pub resolution: i32,
    pub width: i32,
    pub height: i32,
    pub fps: i32,
    /// Bits per second, see [`bandwidth`].
    pub bandwidth: u64,
    /// `avc1.64001e,mp4a.40.2`, see [`codecs`].
    pub codecs: String,
}

/// PeerTube's BANDWIDTH: the file's average bit rate over the video's duration in whole
/// seconds (its size when the duration is unknown).
pub fn bandwidth(size: u64, duration_secs: i32) -> u64 {
    match u64::try_from(duration_secs) {
        Ok(d) if d > 0 => (size * 8).div_ceil(d),
        _ => size,
    }
}

/// The RFC 6381 codecs of a probed rendition, as PeerTube derives them: the video's from its
/// codec tag, profile and level, the audio's from its codec name.
pub fn codecs(probe: &Probe) -> String {
    let video = probe
        .has_video
        .then(|| video_codec(probe))
        .flatten()
        .unwrap_or_default();
    let audio = match probe.audio_codec.as_deref() {
        None => "",
        Some("opus") => "opus",
        Some("vorbis") => "vorbis",
        Some("mp3") => "mp4a.40.34",
        // AAC, and PeerTube's fall-back for anything else.
        Some(_) => "mp4a.40.2",
    };
    [video.as_str(), audio]
        .into_iter()
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join(",")
}

fn video_codec(probe: &Probe) -> Option<String> {
    let tag = probe.video_codec_tag.as_deref()?;
    match tag {
        "vp09" => return Some("vp09.00.50.08".into()),
        "hev1" => return Some("hev1.1.6.L93.B0".into()),
        _ => {}
    }
    let level = probe.video_level.unwrap_or(0);
    let profile = probe.video_profile.as_deref().unwrap_or("High");
    if tag == "av01" {
        let p = match profile {
            "Main" => "0",
            "Professional" => "2",
            _ => "1",
        };
        return Some(format!("{tag}.{p}.{level:02}M.08"));
    }
    let p = match profile {
        "Main" => "4D40",
        "Baseline" => "42E0",
        _ => "6400",
    };
    Some(format!("{tag}.{p}{level:02x}"))
}

/// The master playlist text. An audio-only rendition is listed only when it is the only one:
/// a player could otherwise pick it and show no picture.
pub fn master_playlist(renditions: &[Rendition]) -> String {
    let mut sorted: Vec<&Rendition> = renditions.iter().collect();
    sorted.sort_by_key(|r| r.resolution);
    let alone = sorted.len() == 1;
    let mut out = String::from("#EXTM3U\n#EXT-X-VERSION:3\n\n\n");
    for r in sorted.into_iter().filter(|r| r.resolution > 0 || alone) {
        let _ = write!(out, "#EXT-X-STREAM-INF:BANDWIDTH={}", r.bandwidth);
        if r.resolution > 0 {
            let _ = write!(out, ",RESOLUTION={}x{}", r.width, r.height);
        }
        if r.fps > 0 {
            let _ = write!(out, ",FRAME-RATE={}", r.fps);
        }
        let _ = writeln!(out, ",CODECS=\"{}\"", r.codecs);
        out.push_str(&r.playlist_filename);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bandwidth_is_bits_per_whole_second() {
        // PeerTube's capture: 242605 bytes over 10 s.
        assert_eq!(bandwidth(242_605, 10), 194_084);
        assert_eq!(bandwidth(1000, 0), 1000);
    }

    #[test]
    fn master_lists_renditions_lowest_first() {
        let r = |res: i32, w: i32, name: &str| Rendition {
            playlist_filename: name.into(),
            resolution: res,
            width: w,
            height: res,
            fps: 25,
            bandwidth: 194_084,
            codecs: "avc1.64001e,mp4a.40.2".into(),
        };
        let text = master_playlist(&[r(720, 1280, "b-720.m3u8"), r(360, 640, "a-360.m3u8")]);
        assert_eq!(
            text,
            "#EXTM3U\n#EXT-X-VERSION:3\n\n\n\
             #EXT-X-STREAM-INF:BANDWIDTH=194084,RESOLUTION=640x360,FRAME-RATE=25,CODECS=\"avc1.64001e,mp4a.40.2\"\n\
             a-360.m3u8\n\
             #EXT-X-STREAM-INF:BANDWIDTH=194084,RESOLUTION=1280x720,FRAME-RATE=25,CODECS=\"avc1.64001e,mp4a.40.2\"\n\
             b-720.m3u8\n"
        );
    }
}
