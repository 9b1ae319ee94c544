//! Serves one file with full HTTP semantics: `Range` (single, open-ended and suffix ranges;
//! 416 with `Content-Range: bytes */N`), `If-Range`, `ETag` / `If-None-Match`,
//! `Last-Modified` / `If-Modified-Since`, HEAD, and the file's content type. Bodies stream
//! in large chunks straight from the file.

use std::path::Path;
use std::time::SystemTime;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio_util::io::ReaderStream;

const CHUNK: usize = 256 * 1024;

pub fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("mp4" | "m4v") => "video/mp4",
        Some("webm") => "video/webm",
        Some("ogv" | "ogg") => "video/ogg",
        Some("mkv") => "video/x-matroska",
        Some("mov") => "video/quicktime",
        Some("mp3") => "audio/mpeg",
        Some("m4a") => "audio/mp4",
        Some("flac") => "audio/flac",
        Some("wav") => "audio/wav",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        Some("gif") => "image/gif",
        Some("torrent") => "application/x-bittorrent",
        Some("json") => "application/json",
        Some("m3u8") => "application/vnd.apple.mpegurl",
        _ => "application/octet-stream",
    }
}

fn etag(len: u64, modified: SystemTime) -> String {
    let ms = modified
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    format!("W/\"{len:x}-{ms:x}\"")
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn not_modified(headers: &HeaderMap, tag: &str, modified: SystemTime) -> bool {
    if let Some(inm) = header_str(headers, header::IF_NONE_MATCH) {
        return inm.split(',').any(|t| {
            let t = t.trim();
            t == "*" || t.trim_start_matches("W/") == tag.trim_start_matches("W/")
        });
    }
    if let Some(ims) = header_str(headers, header::IF_MODIFIED_SINCE)
        .and_then(|v| httpdate::parse_http_date(v).ok())
    {
        let secs = |t: SystemTime| {
            t.duration_since(SystemTime::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0)
        };
        return secs(modified) <= secs(ims);
    }
    false
}

/// `If-Range` keeps the range only while the validator still matches.
fn range_allowed(headers: &HeaderMap, tag: &str, modified: SystemTime) -> bool {
    match header_str(headers, header::IF_RANGE) {
        None => true,
        Some(v) if v.starts_with('"') || v.starts_with("W/") => {
            // A weak tag never matches strongly; accept ours as sent, weak or not.
            v.trim_start_matches("W/") == tag.trim_start_matches("W/")
        }
        Some(v) => httpdate::parse_http_date(v)
            .ok()
            .and_then(|d| d.duration_since(SystemTime::UNIX_EPOCH).ok())
            .zip(modified.duration_since(SystemTime::UNIX_EPOCH).ok())
            .is_some_and(|(d, m)| m.as_secs() <= d.as_secs()),
    }
}

/// Options of one answer.
#[derive(Default)]
pub struct Serve<'a> {
    /// `Content-Disposition: attachment; filename=…` for downloads.
    pub attachment: Option<&'a str>,
}

pub async fn serve(path: &Path, method: &Method, headers: &HeaderMap, opts: Serve<'_>) -> Response {
    let mut file = match tokio::fs::File::open(path).await {
        Ok(f) => f,
        Err(_) => return StatusCode::NOT_FOUND.into_response(),
    };
    let meta = match file.metadata().await {
        Ok(m) if m.is_file() => m,
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let len = meta.len();
    let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
    let tag = etag(len, modified);
    let mut base = HeaderMap::new();
    base.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Ok(v) = HeaderValue::from_str(&tag) {
        base.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&httpdate::fmt_http_date(modified)) {
        base.insert(header::LAST_MODIFIED, v);
    }
    base.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    if let Some(name) = opts.attachment {
        let safe: String = name
            .chars()
            .filter(|c| c.is_ascii_graphic() && *c != '"')
            .collect();
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{safe}\"")) {
            base.insert(header::CONTENT_DISPOSITION, v);
        }
    }
    if not_modified(headers, &tag, modified) {
        return (StatusCode::NOT_MODIFIED, base).into_response();
    }

    let mut status = StatusCode::OK;
    let (mut start, mut end) = (0u64, len.saturating_sub(1));
    if let Some(range) =
        header_str(headers, header::RANGE).filter(|_| range_allowed(headers, &tag, modified))
    {
        match http_range_header::parse_range_header(range).map(|p| p.validate(len)) {
            Ok(Ok(ranges)) if ranges.len() == 1 => {
                status = StatusCode::PARTIAL_CONTENT;
                (start, end) = (*ranges[0].start(), *ranges[0].end());
                if let Ok(v) = HeaderValue::from_str(&format!("bytes {start}-{end}/{len}")) {
                    base.insert(header::CONTENT_RANGE, v);
                }
            }
            // Several ranges: the whole file is a valid answer, as express's `send` gives.
            Ok(Ok(_)) => {}
            Ok(Err(_)) => {
                if let Ok(v) = HeaderValue::from_str(&format!("bytes */{len}")) {
                    base.insert(header::CONTENT_RANGE, v);
                }
                return (StatusCode::RANGE_NOT_SATISFIABLE, base).into_response();
            }
            // A malformed Range header is ignored (RFC 9110).
            Err(_) => {}
        }
    }
    let body_len = if len == 0 { 0 } else { end - start + 1 };
    base.insert(header::CONTENT_LENGTH, HeaderValue::from(body_len));
    if method == Method::HEAD || body_len == 0 {
        return (status, base, Body::empty()).into_response();
    }
    if start > 0 && file.seek(std::io::SeekFrom::Start(start)).await.is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let stream = ReaderStream::with_capacity(file.take(body_len), CHUNK);
    (status, base, Body::from_stream(stream)).into_response()
}
