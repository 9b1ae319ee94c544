//! Content negotiation between the HTML page and ActivityPub JSON, decided as PeerTube's
//! `req.accepts()` does: a plain `application/json` or `*/*` gets HTML.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// What PeerTube offers, in its order; only the last three are ActivityPub.
const OFFERED: &[(&str, &str, bool)] = &[
    ("text", "html", false),
    ("application", "json", false),
    ("application", "activity+json", true),
    ("application", "ld+json", true),
];

/// True when the best match for the request's `Accept` is an ActivityPub type.
pub fn wants_activity_json(headers: &HeaderMap) -> bool {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    // (q, specificity, -index in Accept, -offered index) for each offered type; highest wins.
    let mut best: Option<((u32, u8, i64, i64), bool)> = None;
    for (offered_index, (otype, osub, is_ap)) in OFFERED.iter().enumerate() {
        let mut candidate: Option<(u32, u8, i64)> = None;
        for (accept_index, range) in accept.split(',').enumerate() {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let mut q = 1000u32;
            for p in parts {
                if let Some(v) = p.trim().strip_prefix("q=") {
                    q = v
                        .trim()
                        .parse::<f32>()
                        .map(|f| (f * 1000.0) as u32)
                        .unwrap_or(0);
                }
            }
            let Some((t, s)) = media.split_once('/') else {
                continue;
            };
            let specificity = if t == *otype && s == *osub {
                2
            } else if t == *otype && s == "*" {
                1
            } else if t == "*" && s == "*" {
                0
            } else {
                continue;
            };
            let key = (q, specificity, -(accept_index as i64));
            if candidate.is_none_or(|c| (key.1, key.0) > (c.1, c.0)) {
                candidate = Some(key);
            }
        }
        if let Some((q, s, i)) = candidate {
            if q == 0 {
                continue;
            }
            let key = (q, s, i, -(offered_index as i64));
            if best.is_none_or(|(b, _)| key > b) {
                best = Some((key, *is_ap));
            }
        }
    }
    best.is_some_and(|(_, ap)| ap)
}

/// A body served as `application/activity+json; charset=utf-8`.
pub struct ActivityJson<T>(pub T);

impl<T: Serialize> IntoResponse for ActivityJson<T> {
    fn into_response(self) -> Response {
        match serde_json::to_vec(&self.0) {
            Ok(body) => {
                let mut res = body.into_response();
                res.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/activity+json; charset=utf-8"),
                );
                res
            }
            Err(e) => crate::error::FederationError::Internal(e.to_string()).into_response(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(v: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT, HeaderValue::from_static(v));
        h
    }

    #[test]
    fn negotiation_matches_peertube() {
        assert!(wants_activity_json(&accept("application/activity+json")));
        assert!(wants_activity_json(&accept(
            "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\""
        )));
        assert!(wants_activity_json(&accept(
            "application/activity+json, */*"
        )));
        assert!(!wants_activity_json(&accept("application/json")));
        assert!(!wants_activity_json(&accept("text/html")));
        assert!(!wants_activity_json(&accept("*/*")));
        assert!(!wants_activity_json(&HeaderMap::new()));
        assert!(!wants_activity_json(&accept(
            "text/html, application/activity+json;q=0.5"
        )));
    }
}
