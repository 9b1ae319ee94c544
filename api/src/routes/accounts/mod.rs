pub mod get;
pub mod list;
pub mod video_channels;
