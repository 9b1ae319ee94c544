//! ActivityPub and discovery routes: WebFinger, host-meta, NodeInfo, actors, collections.

mod accept;
mod actor;
mod collections;
mod comment;
mod host_meta;
mod nodeinfo;
mod outbox;
mod rate;
mod video;
mod video_collections;
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
        .route(
            "/videos/watch/{id}/activity",
            get(video_collections::activity),
        )
        .route(
            "/videos/watch/{id}/announces",
            get(video_collections::announces),
        )
        .route(
            "/videos/watch/{id}/announces/{actor_id}",
            get(video_collections::announce),
        )
        .route("/videos/watch/{id}/likes", get(video_collections::likes))
        .route(
            "/videos/watch/{id}/dislikes",
            get(video_collections::dislikes),
        )
        .route(
            "/videos/watch/{id}/comments",
            get(video_collections::comments),
        )
        .route(
            "/videos/watch/{id}/chapters",
            get(video_collections::chapters),
        )
        .route(
            "/videos/watch/{id}/comments/{comment_id}",
            get(comment::object),
        )
        .route(
            "/videos/watch/{id}/comments/{comment_id}/activity",
            get(comment::activity),
        )
        .route(
            "/videos/watch/{id}/comments/{comment_id}/approve-reply",
            get(comment::approval),
        )
        .route("/inbox", post(crate::inbox::shared))
        .route("/accounts/{name}/inbox", post(crate::inbox::account))
        .route("/video-channels/{name}/inbox", post(crate::inbox::channel))
        .route("/accounts/{name}/{collection}", get(collections::account))
        .route("/accounts/{name}/likes/{video_id}", get(rate::like))
        .route("/accounts/{name}/dislikes/{video_id}", get(rate::dislike))
        .route(
            "/video-channels/{name}/{collection}",
            get(collections::channel),
        )
}
