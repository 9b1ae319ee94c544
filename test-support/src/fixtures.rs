//! Small files we made ourselves, committed in the top-level `fixtures/` (how each was made is in
//! `fixtures/README.md`). Tests that only need some tiny file use these instead of making one.

use std::path::PathBuf;

use serde_json::Value;

use crate::workspace_root;

/// 2 s, 320x240 at 25 fps, H.264 (yuv420p) with a 440 Hz AAC tone, in MP4.
pub const TINY_MP4: &str = "media/tiny.mp4";
/// A 320x240 plain red JPEG: easy to recognise in what the server makes of it.
pub const TINY_JPG: &str = "media/tiny.jpg";
/// The Person document of our mock remote actor, `{{base}}`, `{{username}}` and `{{name}}` to fill
/// in; the key is set when the actor starts.
pub const MOCK_PERSON: &str = "actors/person.json";

/// The path of a fixture; panics when it is missing.
pub fn path(relative: &str) -> PathBuf {
    let path = workspace_root().join("fixtures").join(relative);
    assert!(path.is_file(), "fixture {} is missing", path.display());
    path
}

/// A fixture's text.
pub fn text(relative: &str) -> String {
    let path = path(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

/// A JSON fixture.
pub fn load(relative: &str) -> Value {
    serde_json::from_str(&text(relative))
        .unwrap_or_else(|e| panic!("fixture {relative} is not JSON: {e}"))
}
