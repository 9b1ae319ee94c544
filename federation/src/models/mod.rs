//! The object model: one module per table family. Local and remote objects share tables
//! (`server_id IS NULL` marks local actors).

pub mod account;
pub mod actor;
pub mod actor_image;
pub mod channel;
pub mod enums;
pub mod follow;
pub mod follow_resend;
pub mod host_health;
pub mod job;
pub mod oauth;
pub mod server;
pub mod upload_session;
pub mod user;
pub mod video;
pub mod video_comment;
pub mod video_file;
pub mod video_generation;
pub mod video_rate;
pub mod video_share;
pub mod video_streaming_playlist;
pub mod video_tag;

diesel::define_sql_function! {
    /// PostgreSQL's `lower()`, for case-insensitive name and email matches.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}
