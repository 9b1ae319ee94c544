//! A video's jobs, one file each: the struct is the payload, `run` calls the life cycle step
//! (`video::lifecycle`) or the video module that does the work.

pub mod federate;
pub mod refresh;
pub mod thumbnails;
pub mod torrent;
pub mod transcode;
pub mod uploads_purge;
pub mod views_flush;
