//! `POST /api/v1/videos/{id}/token`: a video file token for someone who may see the video,
//! for the players that cannot send a bearer token with each file request.

use axum::Json;
use axum::extract::{Path, State};
use ferrotube_federation::AppState;
use ferrotube_federation::time::iso;
use ferrotube_federation::video::file_tokens;
use serde::Serialize;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::videos::access::ensure_can_see;

#[derive(Serialize)]
pub struct TokenResponse {
    files: FilesToken,
}

#[derive(Serialize)]
struct FilesToken {
    token: String,
    expires: String,
}

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<String>,
) -> ApiResult<Json<TokenResponse>> {
    let mut conn = state.conn().await?;
    let video = super::load(&mut conn, &id).await?;
    drop(conn);
    ensure_can_see(Some(&auth.user), &video)?;
    let t = file_tokens::create(&state, &video.video.uuid).await?;
    Ok(Json(TokenResponse {
        files: FilesToken {
            token: t.token,
            expires: iso(&t.expires),
        },
    }))
}
