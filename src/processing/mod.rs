//! Video processing jobs: thumbnails, torrents and transcoding, run by the job runner.

mod thumbnails;
mod torrent;
mod transcode;
mod views;

use ferrotube_federation::config::Config;
use ferrotube_federation::jobs::{JobError, JobRegistry};
use ferrotube_federation::video::jobs::{THUMBNAILS, TORRENT, TRANSCODE, VIEWS_FLUSH};

pub fn register(registry: &mut JobRegistry, config: &Config) {
    registry
        .register(THUMBNAILS, thumbnails::Thumbnails)
        .register(TORRENT, torrent::Torrent)
        .register(TRANSCODE, transcode::Transcode)
        .register(VIEWS_FLUSH, views::Flush)
        .repeat(
            VIEWS_FLUSH,
            config.views.videos.local_buffer_update_interval,
        );
}

fn payload<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, JobError> {
    serde_json::from_value(value).map_err(|e| JobError::permanent(format!("bad payload: {e}")))
}
