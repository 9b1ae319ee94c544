//! `GET /api/v1/videos/{id|uuid|shortUUID}`

use axum::Json;
use axum::extract::{Path, State};
use ferrotube_federation::AppState;
use ferrotube_federation::queue::BackgroundJob;
use ferrotube_federation::video::jobs::refresh::RefreshVideo;
use serde_json::Value;

use crate::auth::MaybeUser;
use crate::error::ApiResult;
use crate::videos::access::ensure_can_see;
use crate::views::video::video_details_json;

pub async fn handler(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut conn = state.conn().await?;
    let video = super::load(&mut conn, &id).await?;
    ensure_can_see(user.as_ref().map(|u| &u.user), &video)?;
    // A stale remote video is refreshed in the background, as PeerTube does on reads.
    let v = &video.video;
    let stale = !v.is_local
        && v.last_fetched_at
            .is_none_or(|t| chrono::Utc::now() - t > RefreshVideo::AFTER);
    if stale {
        RefreshVideo { video_id: v.id }.enqueue(&mut conn).await?;
    }
    drop(conn);
    let viewers = ferrotube_federation::video::views::viewers(&state, &[v.id])
        .await?
        .first()
        .copied()
        .unwrap_or(0);
    Ok(Json(video_details_json(&state.urls, &video, viewers)))
}
