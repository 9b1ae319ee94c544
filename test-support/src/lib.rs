//! ferrotube's one test harness, shared by the integration tests, the benches and the in-crate
//! database tests: the real server on a free port ([`server`]), databases cloned from a migrated
//! template ([`db`]), a Redis key prefix per test ([`redis_prefix`]), PeerTube's captures
//! ([`reference`]), our own small files ([`fixtures`], [`media`]), bencode ([`bencode`]), RSA keys
//! and mock remote actors that can fail or hang ([`keys`], [`mock_actor`]), a real PeerTube for
//! interop tests ([`peertube`]) and JSON shape comparison ([`shape`]).
//!
//! It depends on no ferrotube crate, so every crate can use it as a dev-dependency without a
//! cycle. Failing loudly is its whole job, so it panics instead of returning errors.

// Test code: a failed set-up step must stop the test with its message, as an assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod bencode;
pub mod db;
pub mod fixtures;
pub mod instance;
pub mod keys;
pub mod media;
pub mod mock_actor;
pub mod peertube;
pub mod reference;
pub mod server;
pub mod shape;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

pub use instance::Instance;
pub use server::{
    Options, ROOT_PASSWORD, TestServer, assert_invalid_field, assert_problem, free_port, http, send,
};

/// The workspace root (this crate lives in `test-support/` right under it).
pub fn workspace_root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// A name no other test, test process or concurrent run on this machine uses.
pub fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() % 100_000)
        .unwrap_or(0);
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

/// A Redis key prefix of its own, so tests sharing one Redis never see each other's keys.
pub fn redis_prefix() -> String {
    format!("{}:", unique("fttest"))
}

/// A scratch path under the system's temporary folder, unique to this call.
pub fn temp_path(prefix: &str) -> PathBuf {
    std::env::temp_dir().join(unique(prefix))
}
