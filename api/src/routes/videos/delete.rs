//! `DELETE /api/v1/videos/{id}` (owner, or REMOVE_ANY_VIDEO): the row and every file.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use diesel_async::AsyncConnection;
use ferrotube_federation::AppState;
use ferrotube_federation::models::user::UserRight;
use ferrotube_federation::models::video::Video;
use ferrotube_federation::video::{federate, infohashes, storage};

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::videos::access::ensure_can_manage;

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let mut conn = state.conn().await?;
    let video = super::load(&mut conn, &id).await?;
    ensure_can_manage(&auth, &video, UserRight::RemoveAnyVideo)?;
    let federated = federate::is_federable(&video);
    let urls = state.urls.clone();
    let (video_id, full) = (video.video.id, video.clone());
    conn.transaction::<_, ApiError, _>(async move |conn| {
        if federated {
            federate::send_delete(conn, &urls, &full, false).await?;
        }
        Video::delete(conn, video_id).await?;
        Ok(())
    })
    .await?;
    for hash in video.files.iter().filter_map(|f| f.info_hash.as_deref()) {
        infohashes::removed(&state, hash).await;
    }
    let s = &state.config.storage;
    let mut paths = Vec::new();
    for f in &video.files {
        if let Some(name) = &f.filename {
            paths.push(storage::video_file_path(s, name));
        }
        if let Some(name) = &f.torrent_filename {
            paths.push(storage::torrent_path(s, name));
        }
    }
    if let Some(name) = &video.video.thumbnail_filename {
        paths.push(storage::thumbnail_path(s, name));
    }
    if let Some(name) = &video.video.preview_filename {
        paths.push(storage::preview_path(s, name));
    }
    for p in paths {
        let _ = tokio::fs::remove_file(p).await;
    }
    tracing::info!(video = %video.video.uuid, "video deleted");
    Ok(StatusCode::NO_CONTENT)
}
