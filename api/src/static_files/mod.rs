//! Static files: web videos (the torrents' WebSeed), images and torrents, as PeerTube lays
//! them out under `/static`, `/lazy-static` and `/download`.

pub mod file;
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
