//! ferrotube's web: server-rendered pages in PeerTube's URL layout (home, watch, embed, channel,
//! account, search), their link-preview meta tags, oEmbed, the video feeds and the browser
//! player's assets. Pages are read-heavy: every string shared by all requests is computed once
//! in [`Site`], and templates are compiled (askama), escaping everything they print.
//!
//! Two routers: [`router`] for URLs only the web has, and [`pages`] for URLs that are also
//! ActivityPub objects (`/w/{id}`, `/a/{name}`, …); the binary sends a request to [`pages`] only
//! when it does not ask for ActivityPub JSON (see `wants_activity_json`).

mod assets;
mod cache;
mod error;
mod feeds;
mod handle;
mod meta;
mod oembed;
mod pages;
mod player;
mod site;
mod text;
mod view;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use ferrotube_federation::AppState;

pub use assets::{ASSETS_PREFIX, PlayerAssets};
pub use error::WebError;
pub use site::Site;

/// Pages and services at URLs that only the web serves.
pub fn router(site: Arc<Site>) -> Router<AppState> {
    Router::new()
        .route("/", get(pages::home::handler))
        .route("/search", get(pages::search::handler))
        .route("/videos/embed/{id}", get(pages::embed::handler))
        .route("/services/oembed", get(oembed::handler))
        .route("/feeds/{file}", get(feeds::handler))
        .route(&format!("{ASSETS_PREFIX}/{{file}}"), get(assets::serve))
        .layer(axum::Extension(site))
}

/// The HTML pages of URLs that are also ActivityPub objects: for browsers only.
pub fn pages(site: Arc<Site>) -> Router<AppState> {
    Router::new()
        .route("/videos/watch/{id}", get(pages::watch::handler))
        .route("/w/{id}", get(pages::watch::handler))
        .route("/accounts/{handle}", get(pages::actor::account))
        .route("/a/{handle}", get(pages::actor::account))
        .route("/video-channels/{handle}", get(pages::actor::channel))
        .route("/c/{handle}", get(pages::actor::channel))
        .layer(axum::Extension(site))
}
