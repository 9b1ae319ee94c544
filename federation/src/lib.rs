//! ferrotube's object model (diesel schema and models for actors, accounts, channels, users,
//! OAuth, follows, videos and jobs), its ActivityPub protocol types and federation routes, the
//! job queue (`queue`) and a local video's life cycle (`video::lifecycle`, `video::jobs`).

pub mod activities;
pub mod bootstrap;
pub mod comments;
pub mod config;
pub mod db;
pub mod error;
pub mod fetch;
pub mod follows;
pub mod host_health;
pub mod housekeeping_job;
pub mod inbox;
pub mod keys;
pub mod limits;
pub mod local;
pub mod models;
pub mod outbox;
pub mod problem;
pub mod protocol;
pub mod queue;
pub mod remote;
pub mod routes;
pub mod schema;
pub mod signatures;
pub mod state;
pub mod time;
pub mod urls;
pub mod video;

pub use error::FederationError;
pub use state::AppState;
