//! ffprobe and ffmpeg as child processes: probing, thumbnails, actor images, web video
//! transcoding and HLS (renditions, master playlist, segment hashes). No database and no
//! application state: callers pass paths and settings, so the tools can be used (and tested) on
//! their own. One module per tool.

mod error;
pub mod ffprobe;
pub mod fps;
pub mod hls;
pub mod images;
mod process;
pub mod thumbnails;
pub mod transcode;

pub use error::MediaError;
pub use ffprobe::{Probe, probe};
