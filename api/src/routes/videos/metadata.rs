//! `GET /api/v1/videos/{id}/metadata/{fileId}`: ffprobe's view of one file, a web video or an
//! HLS rendition.

use axum::Json;
use axum::extract::{Path, State};
use ferrotube_federation::AppState;
use serde_json::Value;

use crate::auth::MaybeUser;
use crate::error::{ApiError, ApiResult};
use crate::videos::access::ensure_can_see;

pub async fn handler(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path((id, file_id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let mut conn = state.conn().await?;
    let video = super::load(&mut conn, &id).await?;
    ensure_can_see(user.as_ref().map(|u| &u.user), &video)?;
    let hls = video
        .streaming_playlists
        .iter()
        .flat_map(|p| p.files.iter());
    let file = video
        .files
        .iter()
        .chain(hls)
        .find(|f| f.id.to_string() == file_id)
        .ok_or_else(|| ApiError::not_found("Video file not found"))?;
    Ok(Json(
        file.metadata
            .clone()
            .unwrap_or(Value::Object(Default::default())),
    ))
}
