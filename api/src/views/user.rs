//! The `User` object (`/users/me` and the admin views).

use ferrotube_federation::models::account::AccountFull;
use ferrotube_federation::models::channel::ChannelFull;
use ferrotube_federation::models::user::User;
use ferrotube_federation::time;
use ferrotube_federation::urls::InstanceUrls;
use serde_json::{Value, json};

use super::account::account_json;
use super::channel::channel_json_short;

/// PeerTube's default notification settings (1 web, 2 e-mail, 3 both).
fn notification_settings() -> Value {
    json!({
        "newCommentOnMyVideo": 1,
        "newVideoFromSubscription": 1,
        "abuseAsModerator": 3,
        "videoAutoBlacklistAsModerator": 3,
        "blacklistOnMyVideo": 3,
        "myVideoPublished": 1,
        "myVideoImportFinished": 1,
        "newUserRegistration": 1,
        "commentMention": 1,
        "newFollow": 1,
        "newInstanceFollower": 1,
        "autoInstanceFollowing": 1,
        "abuseNewMessage": 3,
        "abuseStateChange": 3,
        "newPeerTubeVersion": 3,
        "myVideoStudioEditionFinished": 1,
        "myVideoTranscriptionGenerated": 1,
        "newPluginVersion": 1
    })
}

pub fn user_json(
    urls: &InstanceUrls,
    user: &User,
    account: &AccountFull,
    channels: &[ChannelFull],
) -> Value {
    let role = user.role;
    json!({
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "theme": user.theme,
        "pendingEmail": user.pending_email,
        "emailPublic": user.email_public,
        "emailVerified": user.email_verified,
        "nsfwPolicy": user.nsfw_policy,
        "p2pEnabled": user.p2p_enabled,
        "videosHistoryEnabled": user.videos_history_enabled,
        "autoPlayVideo": user.auto_play_video,
        "autoPlayNextVideo": user.auto_play_next_video,
        "autoPlayNextVideoPlaylist": user.auto_play_next_video_playlist,
        "videoLanguages": user.video_languages,
        "role": { "id": role.id(), "label": role.label() },
        "videoQuota": user.video_quota,
        "videoQuotaDaily": user.video_quota_daily,
        "noInstanceConfigWarningModal": user.no_instance_config_warning_modal,
        "noWelcomeModal": user.no_welcome_modal,
        "noAccountSetupWarningModal": user.no_account_setup_warning_modal,
        "blocked": user.blocked,
        "blockedReason": user.blocked_reason,
        "account": account_json(urls, account),
        "notificationSettings": notification_settings(),
        "videoChannels": channels.iter().map(|c| channel_json_short(urls, c)).collect::<Vec<_>>(),
        "createdAt": time::iso(&user.created_at),
        "pluginAuth": null,
        "lastLoginDate": user.last_login_date.as_ref().map(time::iso),
        "twoFactorEnabled": false,
        "adminFlags": user.admin_flags,
        "specialPlaylists": [],
    })
}

/// The admin view adds usage counters. Videos, abuses and comments have no tables yet, so
/// their counts are truly zero until those features land and count them.
pub fn user_admin_json(
    urls: &InstanceUrls,
    user: &User,
    account: &AccountFull,
    channels: &[ChannelFull],
) -> Value {
    let mut v = user_json(urls, user, account, channels);
    if let Some(map) = v.as_object_mut() {
        for key in [
            "videoQuotaUsed",
            "videoQuotaUsedDaily",
            "videosCount",
            "abusesCount",
            "abusesAcceptedCount",
            "abusesCreatedCount",
            "videoCommentsCount",
        ] {
            map.insert(key.into(), json!(0));
        }
    }
    v
}
