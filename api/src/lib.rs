//! ferrotube's PeerTube-compatible REST API (`/api/v1`), one action per file under `routes/`.

pub mod actor_images;
pub mod auth;
pub mod client_ip;
pub mod error;
pub mod fields;
pub mod pagination;
pub mod rate_limit;
pub mod routes;
pub mod static_files;
pub mod videos;
pub mod views;

pub use error::ApiError;
pub use routes::router;
