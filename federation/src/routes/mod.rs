//! ActivityPub and discovery routes: WebFinger, host-meta, NodeInfo, actors, collections.

mod accept;
mod actor;
mod collections;
mod host_meta;
mod nodeinfo;
mod outbox;
mod video;
mod webfinger;

pub use accept::{ActivityJson, wants_activity_json};

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/.well-known/webfinger", get(webfinger::get))
        .route("/.well-known/host-meta", get(host_meta::get))
        .route("/.well-known/nodeinfo", get(nodeinfo::links))
        .route("/nodeinfo/{file}", get(nodeinfo::get))
        .route("/accounts/{name}", get(actor::account))
        .route("/account/{name}", get(actor::account))
        .route("/a/{name}", get(actor::account))
        .route("/video-channels/{name}", get(actor::channel))
        .route("/c/{name}", get(actor::channel))
        .route("/videos/watch/{id}", get(video::get))
        .route("/w/{id}", get(video::get))
        .route("/inbox", post(crate::inbox::shared))
        .route("/accounts/{name}/inbox", post(crate::inbox::account))
        .route("/video-channels/{name}/inbox", post(crate::inbox::channel))
        .route("/accounts/{name}/{collection}", get(collections::account))
        .route(
            "/video-channels/{name}/{collection}",
            get(collections::channel),
        )
}
