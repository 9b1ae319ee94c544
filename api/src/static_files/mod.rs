//! Static files: web videos (the torrents' WebSeed), HLS playlists and renditions, images and
//! torrents, as PeerTube lays them out under `/static`, `/lazy-static` and `/download`.

pub mod file;
mod hls;
mod private;
mod routes;

use axum::Router;
use axum::routing::get;
use ferrotube_federation::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/web-videos/{file}", get(routes::web_video))
        .route("/static/webseed/{file}", get(routes::web_video))
        .route(
            "/static/web-videos/private/{file}",
            get(routes::private_web_video),
        )
        .route(
            "/static/webseed/private/{file}",
            get(routes::private_web_video),
        )
        .route(
            "/static/streaming-playlists/hls/private/{uuid}/{file}",
            get(hls::private),
        )
        .route(
            "/static/streaming-playlists/hls/{uuid}/{file}",
            get(hls::public),
        )
        .route(
            "/download/streaming-playlists/hls/videos/{file}",
            get(hls::download),
        )
        .route("/lazy-static/thumbnails/{file}", get(routes::thumbnail))
        .route("/lazy-static/previews/{file}", get(routes::preview))
        .route("/lazy-static/torrents/{file}", get(routes::torrent))
        .route("/lazy-static/avatars/{file}", get(routes::avatar))
        .route("/lazy-static/banners/{file}", get(routes::banner))
        .route("/download/torrents/{file}", get(routes::torrent_download))
        .route(
            "/download/web-videos/{file}",
            get(routes::web_video_download),
        )
}
