//! Video processing jobs: thumbnails, torrents and transcoding, run by the job runner.

mod federate;
mod refresh;
mod thumbnails;
mod torrent;
mod transcode;
mod uploads_purge;
mod views;

use ferrotube_federation::config::Config;
use ferrotube_federation::jobs::{JobError, JobRegistry};
use ferrotube_federation::video::jobs::{
    FEDERATE, REFRESH, THUMBNAILS, TORRENT, TRANSCODE, UPLOADS_PURGE, VIEWS_FLUSH,
};

pub fn register(registry: &mut JobRegistry, config: &Config) {
    registry
        .register(FEDERATE, federate::Federate)
        .register(REFRESH, refresh::Refresh)
        .register(THUMBNAILS, thumbnails::Thumbnails)
        .register(TORRENT, torrent::Torrent)
        .register(TRANSCODE, transcode::Transcode)
        .register(VIEWS_FLUSH, views::Flush)
        .repeat(
            VIEWS_FLUSH,
            config.views.videos.local_buffer_update_interval,
        )
        .register(UPLOADS_PURGE, uploads_purge::Purge)
        .repeat(UPLOADS_PURGE, std::time::Duration::from_secs(600));
}

fn payload<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, JobError> {
    serde_json::from_value(value).map_err(|e| JobError::permanent(format!("bad payload: {e}")))
}
