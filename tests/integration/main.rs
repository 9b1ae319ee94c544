//! Black-box tests: the real server on a port, real PostgreSQL, real Redis, through
//! ferrotube-test-support.

mod accounts;
mod channels;
mod comments;
mod config_cli;
mod delivery;
mod discovery;
mod federation;
mod federation_videos;
mod follows;
mod hls;
mod jobs;
mod oauth;
mod profiles;
mod users;
mod videos;
mod web;

/// The server under test, as Cargo built it for this test target.
const BIN: &str = env!("CARGO_BIN_EXE_ferrotube");
