pub mod comments;
pub mod constants;
pub mod delete;
pub mod description;
pub mod get;
pub mod list;
pub mod metadata;
pub mod rate;
pub mod token;
pub mod update;
pub mod upload;
pub mod upload_resumable;
pub mod views;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use diesel_async::AsyncPgConnection;
use ferrotube_federation::AppState;
use ferrotube_federation::models::video::{Video, VideoFull};

use crate::error::{ApiError, ApiResult};

/// A video by id, UUID or short UUID, loaded whole; 404 when unknown.
pub(crate) async fn load(conn: &mut AsyncPgConnection, id: &str) -> ApiResult<VideoFull> {
    let video = Video::find_by_any_id(conn, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Video not found"))?;
    VideoFull::load(conn, video)
        .await?
        .ok_or_else(|| ApiError::not_found("Video not found"))
}

pub fn router() -> Router<AppState> {
    // Uploads stream to disk: no body limit there (PeerTube has none either; quotas apply).
    let uploads = Router::new()
        .route("/videos/upload", post(upload::handler))
        .route(
            "/videos/upload-resumable",
            post(upload_resumable::init)
                .put(upload_resumable::chunk)
                .delete(upload_resumable::cancel),
        )
        .layer(DefaultBodyLimit::disable());
    Router::new()
        .merge(uploads)
        .route("/videos", get(list::all))
        .route("/videos/categories", get(constants::categories))
        .route("/videos/licences", get(constants::licences))
        .route("/videos/languages", get(constants::languages))
        .route("/videos/privacies", get(constants::privacies))
        .route(
            "/videos/{id}",
            get(get::handler)
                .put(update::handler)
                .delete(delete::handler),
        )
        .route("/videos/{id}/description", get(description::handler))
        .route("/videos/{id}/metadata/{file_id}", get(metadata::handler))
        .route("/videos/{id}/views", post(views::handler))
        .route("/videos/{id}/token", post(token::handler))
        .route("/videos/{id}/rate", axum::routing::put(rate::handler))
        .route(
            "/videos/{id}/comment-threads",
            get(comments::threads_list::handler).post(comments::thread_create::handler),
        )
        .route(
            "/videos/{id}/comment-threads/{thread_id}",
            get(comments::thread_get::handler),
        )
        .route(
            "/videos/{id}/comments/{comment_id}",
            post(comments::reply::handler).delete(comments::delete::handler),
        )
        .route(
            "/videos/{id}/comments/{comment_id}/approve",
            post(comments::approve::handler),
        )
        .route("/accounts/{handle}/videos", get(list::of_account))
        .route("/video-channels/{handle}/videos", get(list::of_channel))
        .route("/users/me/videos", get(list::mine))
        .route("/users/me/subscriptions/videos", get(list::subscriptions))
        .route("/search/videos", get(list::search))
}
