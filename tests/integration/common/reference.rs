//! Access to PeerTube's captured JSON in `shared/reference/`. With FERROTUBE_REFERENCE set
//! (as in CI) a missing file fails the test; without it, a missing folder skips the check.

use std::path::PathBuf;

use serde_json::Value;

pub fn dir() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("FERROTUBE_REFERENCE") {
        return Some(PathBuf::from(p));
    }
    let default = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/reference");
    default.is_dir().then_some(default)
}

/// The capture, or None (and a note) when no reference folder is around.
pub fn load(relative: &str) -> Option<Value> {
    let Some(dir) = dir() else {
        eprintln!("skipping the comparison with {relative}: no shared/reference folder");
        return None;
    };
    let path = dir.join(relative);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => panic!("reference file {} is missing: {e}", path.display()),
    };
    match serde_json::from_str(&text) {
        Ok(v) => Some(v),
        Err(e) => panic!("reference file {} is not JSON: {e}", path.display()),
    }
}

/// The capture's text with its host (127.0.0.1:9001) swapped for ours.
pub fn load_for_host(relative: &str, host: &str) -> Option<Value> {
    let v = load(relative)?;
    let encoded = host.replace(':', "%3A");
    let text = v
        .to_string()
        .replace("127.0.0.1:9001", host)
        .replace("127.0.0.1%3A9001", &encoded);
    serde_json::from_str(&text).ok()
}
