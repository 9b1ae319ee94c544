//! Who may fetch a non-public video's files (web videos and HLS alike): a bearer token of
//! someone who may see the video, or a video file token for it (`?videoFileToken=`, from
//! `POST /api/v1/videos/{id}/token`).

use axum::http::StatusCode;
use ferrotube_federation::AppState;
use ferrotube_federation::models::video::VideoFull;
use ferrotube_federation::video::file_tokens;
use serde::Deserialize;

use crate::auth::AuthUser;
use crate::videos::access::can_see;

/// The query of a private file request.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileQuery {
    pub video_file_token: Option<String>,
    /// On a playlist: write the token into the URLs it lists, for players that cannot add it.
    pub reinject_video_file_token: Option<String>,
}

impl FileQuery {
    pub fn reinject(&self) -> bool {
        matches!(
            self.reinject_video_file_token.as_deref(),
            Some("true" | "1")
        )
    }
}

/// 401 without credentials, 403 with ones that do not open this video.
pub async fn check(
    state: &AppState,
    user: Option<&AuthUser>,
    query: &FileQuery,
    video: &VideoFull,
) -> Result<(), StatusCode> {
    if let Some(u) = user {
        return if can_see(Some(&u.user), video) {
            Ok(())
        } else {
            Err(StatusCode::FORBIDDEN)
        };
    }
    match &query.video_file_token {
        None => Err(StatusCode::UNAUTHORIZED),
        Some(t) if file_tokens::allows(state, t, &video.video.uuid).await => Ok(()),
        Some(_) => Err(StatusCode::FORBIDDEN),
    }
}
