//! PeerTube's (and Mastodon's) captured documents: `$FERROTUBE_REFERENCE`, else
//! `../shared/reference` beside the checkout. They are read-only data that is not ours, so they
//! stay out of the repository; a test that needs one fails when it is missing, and never passes
//! without checking.

use std::path::PathBuf;

use serde_json::Value;

use crate::workspace_root;

/// The host PeerTube ran on while capturing.
pub const CAPTURE_HOST: &str = "127.0.0.1:9001";

/// The reference folder; panics when there is none.
pub fn dir() -> PathBuf {
    let (dir, from) = match std::env::var_os("FERROTUBE_REFERENCE") {
        Some(p) => (PathBuf::from(p), "FERROTUBE_REFERENCE"),
        None => (
            workspace_root().join("../shared/reference"),
            "the default beside the checkout",
        ),
    };
    assert!(
        dir.is_dir(),
        "PeerTube's reference captures are needed: {} ({from}) is not a folder; \
         set FERROTUBE_REFERENCE to the folder holding live-captures/ and ap-fixtures/",
        dir.display()
    );
    dir
}

/// The path of a reference file; panics when it is missing.
pub fn path(relative: &str) -> PathBuf {
    let path = dir().join(relative);
    assert!(
        path.is_file(),
        "reference file {relative} is missing (looked for {})",
        path.display()
    );
    path
}

/// A reference file's bytes (torrents and other binary captures).
pub fn bytes(relative: &str) -> Vec<u8> {
    let path = path(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("reference file {}: {e}", path.display()))
}

/// A reference file's text.
pub fn text(relative: &str) -> String {
    String::from_utf8(bytes(relative))
        .unwrap_or_else(|e| panic!("reference file {relative} is not UTF-8: {e}"))
}

/// A reference JSON document.
pub fn load(relative: &str) -> Value {
    serde_json::from_str(&text(relative))
        .unwrap_or_else(|e| panic!("reference file {relative} is not JSON: {e}"))
}

/// A reference JSON document with PeerTube's capture host swapped for `host`.
pub fn load_for_host(relative: &str, host: &str) -> Value {
    let encoded = host.replace(':', "%3A");
    let text = text(relative)
        .replace(CAPTURE_HOST, host)
        .replace(&CAPTURE_HOST.replace(':', "%3A"), &encoded);
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("reference file {relative} is not JSON: {e}"))
}

/// Every `*.json` document directly in folder `relative`, by file name, sorted.
pub fn json_files(relative: &str) -> Vec<(String, Value)> {
    let folder = dir().join(relative);
    let entries = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("reference folder {}: {e}", folder.display()));
    let mut out: Vec<(String, Value)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.ends_with(".json")
                .then(|| (name.clone(), load(&format!("{relative}/{name}"))))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}
