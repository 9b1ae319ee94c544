//! Who may see and change a video: PeerTube's privacy rules.

use ferrotube_federation::models::user::{User, UserRight};
use ferrotube_federation::models::video::VideoFull;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};

pub use ferrotube_federation::video::access::{can_see, is_owner};

/// 401 for anonymous callers of a hidden video, 403 for others (PeerTube's answers).
pub fn ensure_can_see(user: Option<&User>, video: &VideoFull) -> ApiResult<()> {
    if can_see(user, video) {
        return Ok(());
    }
    if user.is_none() {
        Err(ApiError::coded(
            axum::http::StatusCode::UNAUTHORIZED,
            "unauthorized_request",
            "Cannot get this private video without a token",
        ))
    } else {
        Err(ApiError::forbidden(
            "Cannot get this private video of another user",
        ))
    }
}

pub fn ensure_can_manage(auth: &AuthUser, video: &VideoFull, right: UserRight) -> ApiResult<()> {
    if !video.video.is_local {
        return Err(ApiError::forbidden(
            "Cannot manage a video of another server",
        ));
    }
    if is_owner(&auth.user, video) || auth.user.has_right(right) {
        Ok(())
    } else {
        Err(ApiError::forbidden("Cannot manage a video of another user"))
    }
}
