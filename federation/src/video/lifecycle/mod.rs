//! A local video's life, one step per file, called by the REST handlers and by the jobs in
//! `video::jobs`. An upload is created (`create`: quota, probe, stored file, rows) and queued
//! for `thumbnails`, its `torrent` and, when needed, `transcode`; transcoding builds the new
//! files' torrents (and an HLS playlist's files, `hls`) and `publish`es; a published video with
//! its images is `federate`d; `delete` removes the rows and every file.

pub mod create;
pub mod delete;
pub mod federate;
pub mod hls;
pub mod probe;
pub mod publish;
pub mod quota;
pub mod thumbnails;
pub mod torrent;
pub mod transcode;
