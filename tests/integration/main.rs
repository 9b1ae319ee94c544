//! Black-box tests: the real server on a port, real PostgreSQL, real Redis.

mod accounts;
mod channels;
mod common;
mod config_cli;
mod discovery;
mod federation;
mod federation_videos;
mod jobs;
mod oauth;
mod users;
mod videos;
mod web;
