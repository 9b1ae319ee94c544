//! Small text helpers of pages and feeds: durations, dates, truncated plain descriptions, JSON
//! safe inside a `<script>` element.

use chrono::{DateTime, Utc};

/// `65` → `1:05`, `3725` → `1:02:05`, as PeerTube's client shows durations.
pub fn duration(seconds: i32) -> String {
    let s = seconds.max(0);
    let (h, m, s) = (s / 3600, (s % 3600) / 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// `2026-12-01`
pub fn day(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}

/// A description on one line, cut at `max` characters with an ellipsis (PeerTube: 200 in meta
/// tags, 250 in lists).
pub fn one_line(text: Option<&str>, max: usize) -> String {
    let Some(text) = text else {
        return String::new();
    };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut cut: String = flat.chars().take(max.saturating_sub(3)).collect();
    cut.push_str("...");
    cut
}

/// JSON that cannot end the `<script>` element it sits in, nor open a comment in it.
pub fn json_for_script<T: serde::Serialize>(value: &T) -> Result<String, serde_json::Error> {
    let json = serde_json::to_string(value)?;
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    Ok(out)
}

/// `?start=` of watch and embed URLs: `90`, `1m30s` or `1h2m3s`, in seconds.
pub fn parse_start(text: &str) -> u32 {
    let text = text.trim();
    if let Ok(n) = text.parse::<f64>() {
        return if n.is_finite() && n > 0.0 {
            n as u32
        } else {
            0
        };
    }
    let mut total = 0u32;
    let mut n = 0u32;
    for c in text.chars() {
        match c {
            '0'..='9' => n = n.saturating_mul(10).saturating_add(c as u32 - '0' as u32),
            'h' => (total, n) = (total.saturating_add(n.saturating_mul(3600)), 0),
            'm' => (total, n) = (total.saturating_add(n.saturating_mul(60)), 0),
            's' => (total, n) = (total.saturating_add(n), 0),
            _ => return 0,
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration(5), "0:05");
        assert_eq!(duration(65), "1:05");
        assert_eq!(duration(3725), "1:02:05");
    }

    #[test]
    fn script_json_cannot_close_the_element() {
        let s = json_for_script(&"</script><!-- & \u{2028}").unwrap_or_default();
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        assert_eq!(
            serde_json::from_str::<String>(&s).ok().as_deref(),
            Some("</script><!-- & \u{2028}")
        );
    }

    #[test]
    fn descriptions_on_one_line() {
        assert_eq!(one_line(Some("a\n\n b  c"), 200), "a b c");
        assert_eq!(one_line(Some("abcdefghij"), 8), "abcde...");
        assert_eq!(one_line(None, 8), "");
    }

    #[test]
    fn start_times() {
        assert_eq!(parse_start("90"), 90);
        assert_eq!(parse_start("1m30s"), 90);
        assert_eq!(parse_start("1h2m3s"), 3723);
        assert_eq!(parse_start("nope"), 0);
        assert_eq!(parse_start("-5"), 0);
    }
}
