//! Who may see a video: PeerTube's privacy rules, shared by the REST API and the web pages.

use crate::models::enums::{VideoPrivacy, VideoState};
use crate::models::user::{User, UserRight};
use crate::models::video::VideoFull;

pub fn is_owner(user: &User, video: &VideoFull) -> bool {
    video.owner_user_id() == Some(user.id)
}

/// Public and unlisted: anyone. Internal: any logged-in user. Private: the owner and
/// moderators. Unpublished videos: the owner and moderators, unless listed without waiting.
pub fn can_see(user: Option<&User>, video: &VideoFull) -> bool {
    let v = &video.video;
    let privileged =
        user.is_some_and(|u| is_owner(u, video) || u.has_right(UserRight::SeeAllVideos));
    if privileged {
        return true;
    }
    let published = v.state == VideoState::Published
        || (v.state == VideoState::ToTranscode && !v.wait_transcoding);
    if !published {
        return false;
    }
    match v.privacy {
        VideoPrivacy::Public | VideoPrivacy::Unlisted => true,
        VideoPrivacy::Internal => user.is_some(),
        VideoPrivacy::Private | VideoPrivacy::PasswordProtected => false,
    }
}
