//! The frame rate of a transcoded rendition, by PeerTube's rules: small renditions of fast
//! videos drop to a standard rate that divides the input's, nothing goes above `fps.max`.

/// Renditions from this height up keep the input's frame rate.
const KEEP_ORIGIN_FPS_MIN_RESOLUTION: i32 = 720;

/// The rate a rendition of `resolution` gets from an input at `input_fps`; `is_origin` is the
/// rendition at the input's own resolution. 0 (unknown input rate) stays 0.
pub fn output_fps(input_fps: i32, resolution: i32, is_origin: bool, max_fps: i32) -> i32 {
    if input_fps <= 0 {
        return 0;
    }
    let max_fps = max_fps.max(1);
    let mut standard: Vec<i32> = [24, 25, 30].into_iter().filter(|v| *v <= max_fps).collect();
    if standard.is_empty() {
        standard.push(max_fps);
    }
    let hd_standard: Vec<i32> = [50, 60, max_fps]
        .into_iter()
        .filter(|v| *v <= max_fps)
        .collect();
    let average = max_fps.min(30);
    let mut fps = input_fps;
    if !is_origin && resolution < KEEP_ORIGIN_FPS_MIN_RESOLUTION && fps > average {
        fps = closest(fps, &standard);
    }
    if fps > max_fps {
        fps = closest(fps, &hd_standard);
    }
    fps.max(1)
}

/// The largest of `candidates` dividing `fps`, else the one leaving the smallest remainder.
fn closest(fps: i32, candidates: &[i32]) -> i32 {
    let mut desc: Vec<i32> = candidates.iter().copied().filter(|c| *c > 0).collect();
    desc.sort_unstable_by(|a, b| b.cmp(a));
    if let Some(d) = desc.iter().find(|c| fps % **c == 0) {
        return *d;
    }
    // A stable sort: equal remainders keep the larger rate first.
    desc.sort_by_key(|c| fps % c);
    desc.first().copied().unwrap_or(fps)
}

#[cfg(test)]
mod tests {
    use super::output_fps;

    #[test]
    fn as_peertube_computes_it() {
        // The origin keeps its rate, up to the cap.
        assert_eq!(output_fps(25, 360, true, 60), 25);
        assert_eq!(output_fps(60, 1080, true, 60), 60);
        assert_eq!(output_fps(120, 1080, true, 60), 60);
        // Small renditions of fast videos get a standard rate dividing the input's.
        assert_eq!(output_fps(60, 480, false, 60), 30);
        assert_eq!(output_fps(50, 360, false, 60), 25);
        assert_eq!(output_fps(60, 720, false, 60), 60);
        assert_eq!(output_fps(25, 240, false, 60), 25);
        assert_eq!(output_fps(0, 240, false, 60), 0);
    }
}
