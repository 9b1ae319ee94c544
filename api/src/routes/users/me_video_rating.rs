//! `GET /api/v1/users/me/videos/{id}/rating`: `{videoId, rating}`, `none` when not rated.

use axum::Json;
use axum::extract::{Path, State};
use ferrotube_federation::AppState;
use ferrotube_federation::models::video::Video;
use ferrotube_federation::models::video_rate::VideoRate;
use serde::Serialize;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MyRating {
    video_id: i64,
    rating: &'static str,
}

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<String>,
) -> ApiResult<Json<MyRating>> {
    let account = super::subscriptions_common::my_account(&state, &auth).await?;
    let mut conn = state.conn().await?;
    let video = Video::find_by_any_id(&mut conn, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("Video not found"))?;
    let rating = VideoRate::find(&mut conn, account.actor.id, video.id)
        .await?
        .map_or("none", |r| r.kind.as_str());
    Ok(Json(MyRating {
        video_id: video.id,
        rating,
    }))
}
