//! `/api/v1` routes, one action per file, laid out as the URL.

mod accounts;
mod config;
mod jobs;
mod oauth_clients;
mod search_channels;
mod server;
mod users;
mod video_channels;
mod videos;

/// The job types the admin API accepts, for the binary to check its registry against.
pub use jobs::types as job_types;

use axum::Router;
use axum::routing::{get, post};
use ferrotube_federation::AppState;

use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    let api = Router::new()
        .route("/config", get(config::get::handler))
        .route("/config/about", get(config::about::handler))
        .route("/oauth-clients/local", get(oauth_clients::local::handler))
        .route("/users/token", post(users::token::handler))
        .route("/users/revoke-token", post(users::revoke_token::handler))
        .route("/users/register", post(users::register::handler))
        .route(
            "/users/me",
            get(users::me_get::handler).put(users::me_update::handler),
        )
        .route(
            "/users/me/avatar/pick",
            post(users::me_avatar_pick::handler).layer(image_limit()),
        )
        .route(
            "/users/me/avatar",
            axum::routing::delete(users::me_avatar_delete::handler),
        )
        .route(
            "/video-channels/{handle}/avatar/pick",
            post(video_channels::image_pick::avatar).layer(image_limit()),
        )
        .route(
            "/video-channels/{handle}/banner/pick",
            post(video_channels::image_pick::banner).layer(image_limit()),
        )
        .route(
            "/video-channels/{handle}/avatar",
            axum::routing::delete(video_channels::image_delete::avatar),
        )
        .route(
            "/video-channels/{handle}/banner",
            axum::routing::delete(video_channels::image_delete::banner),
        )
        .route(
            "/users/me/videos/{id}/rating",
            get(users::me_video_rating::handler),
        )
        .route(
            "/users/me/subscriptions",
            get(users::subscriptions_list::handler).post(users::subscriptions_create::handler),
        )
        .route(
            "/users/me/subscriptions/exist",
            get(users::subscriptions_exist::handler),
        )
        .route(
            "/users/me/subscriptions/{handle}",
            get(users::subscriptions_get::handler).delete(users::subscriptions_delete::handler),
        )
        .route(
            "/users",
            get(users::list::handler).post(users::create::handler),
        )
        .route(
            "/users/{id}",
            get(users::get::handler)
                .put(users::update::handler)
                .delete(users::delete::handler),
        )
        .route("/accounts", get(accounts::list::handler))
        .route("/accounts/{handle}", get(accounts::get::handler))
        .route(
            "/accounts/{handle}/video-channels",
            get(accounts::video_channels::handler),
        )
        .route(
            "/video-channels",
            get(video_channels::list::handler).post(video_channels::create::handler),
        )
        .route(
            "/video-channels/{handle}",
            get(video_channels::get::handler)
                .put(video_channels::update::handler)
                .delete(video_channels::delete::handler),
        )
        .route(
            "/server/following",
            get(server::following_list::handler).post(server::following_create::handler),
        )
        .route(
            "/server/following/{target}",
            axum::routing::delete(server::following_delete::handler),
        )
        .route("/server/followers", get(server::followers_list::handler))
        .route(
            "/server/followers/{handle}",
            axum::routing::delete(server::followers_delete::handler),
        )
        .route(
            "/server/followers/{handle}/accept",
            post(server::followers_answer::accept),
        )
        .route(
            "/server/followers/{handle}/reject",
            post(server::followers_answer::reject),
        )
        .route("/jobs", get(jobs::list::handler))
        .route("/jobs/{state}", get(jobs::list::handler))
        .merge(videos::router())
        .route("/search/video-channels", get(search_channels::handler))
        .fallback(unknown_route);
    Router::new().nest("/api/v1", api)
}

/// Avatar and banner uploads stream to tmp; the body may be a little larger than the image.
fn image_limit() -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(crate::actor_images::BODY_LIMIT)
}

/// PeerTube answers 400 to any unknown `/api/v1` path.
async fn unknown_route() -> ApiError {
    ApiError::bad_request("Unknown API route")
}

/// Splits `name@host` into name and host; our own host counts as local.
pub(crate) fn split_handle<'a>(
    handle: &'a str,
    urls: &ferrotube_federation::urls::InstanceUrls,
) -> (&'a str, Option<&'a str>) {
    match handle.split_once('@') {
        Some((name, host)) if !urls.is_local_host(host) => (name, Some(host)),
        Some((name, _)) => (name, None),
        None => (handle, None),
    }
}
