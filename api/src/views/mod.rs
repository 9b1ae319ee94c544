//! REST JSON shapes, built from the model as PeerTube's `toFormattedJSON` builds them.

pub mod account;
pub mod channel;
pub mod comment;
pub mod user;
pub mod video;
pub mod video_file;
