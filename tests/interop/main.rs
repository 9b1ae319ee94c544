//! Interop with a real PeerTube 6.3 (`../shared/peertube/peertube-peer`), both ways: what a
//! PeerTube instance sees of ferrotube and what ferrotube sees of it. These tests fail, never
//! skip (a missing tool fails them); each starts its own ferrotube and PeerTube.

mod common;
mod delivery;
mod hls;
mod profiles;
mod social;
mod videos;

/// The server under test, as Cargo built it for this test target.
const BIN: &str = env!("CARGO_BIN_EXE_ferrotube");
