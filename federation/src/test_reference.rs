//! PeerTube's captured JSON for unit tests: from `$FERROTUBE_REFERENCE` (a missing file then
//! fails the test) or `../shared/reference` beside the checkout (skipped when absent).

use std::path::PathBuf;

use serde_json::Value;

pub fn dir() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("FERROTUBE_REFERENCE") {
        return Some(PathBuf::from(p));
    }
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference");
    if d.is_dir() {
        Some(d)
    } else {
        eprintln!("skipping: no shared/reference folder");
        None
    }
}

/// The JSON at `relative` under the reference folder.
pub fn load(relative: &str) -> Option<Value> {
    let path = dir()?.join(relative);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reference file {} is missing: {e}", path.display()));
    Some(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{relative}: {e}")))
}
