//! ferrotube's object model (diesel schema and models for actors, accounts, channels, users,
//! OAuth and follows), its ActivityPub protocol types and its federation routes.

pub mod bootstrap;
pub mod config;
pub mod db;
pub mod error;
pub mod fetch;
pub mod follows;
pub mod inbox;
pub mod jobs;
pub mod keys;
pub mod limits;
pub mod local;
pub mod models;
pub mod outbox;
pub mod problem;
pub mod protocol;
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
