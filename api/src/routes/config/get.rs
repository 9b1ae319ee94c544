//! `GET /api/v1/config`: what clients need to know of this instance.

use axum::Json;
use axum::extract::State;
use ferrotube_federation::AppState;
use ferrotube_federation::limits;
use ferrotube_federation::models::user::User;
use serde_json::{Value, json};

use crate::error::ApiResult;

pub async fn handler(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    let c = &state.config;
    let mut conn = state.conn().await?;
    let signup_allowed =
        c.signup.enabled && (c.signup.limit < 0 || User::count(&mut conn).await? < c.signup.limit);
    let resolutions = c.transcoding.resolutions.enabled();
    Ok(Json(json!({
        "client": {
            "videos": {
                "miniature": { "displayAuthorAvatar": false, "preferAuthorDisplayName": false },
                "resumableUpload": { "maxChunkSize": 0 }
            },
            "menu": { "login": { "redirectOnSingleExternalAuth": false } }
        },
        "defaults": {
            "publish": {
                "downloadEnabled": true,
                "commentsPolicy": 1,
                "commentsEnabled": true,
                "privacy": 1,
                "licence": null
            },
            "p2p": { "webapp": { "enabled": true }, "embed": { "enabled": true } }
        },
        "webadmin": { "configuration": { "edition": { "allowed": false } } },
        "instance": {
            "name": c.instance.name,
            "shortDescription": c.instance.short_description,
            "isNSFW": c.instance.is_nsfw,
            "defaultNSFWPolicy": c.instance.default_nsfw_policy,
            "defaultClientRoute": c.instance.default_client_route,
            "customizations": { "javascript": "", "css": "" },
            "avatars": [],
            "banners": []
        },
        "search": {
            "remoteUri": { "users": true, "anonymous": false },
            "searchIndex": {
                "enabled": false,
                "url": "",
                "disableLocalSearch": false,
                "isDefaultSearch": false
            }
        },
        "plugin": { "registered": [], "registeredExternalAuths": [], "registeredIdAndPassAuths": [] },
        "theme": { "registered": [], "default": "default" },
        "email": { "enabled": false },
        "contactForm": { "enabled": false },
        "serverVersion": env!("CARGO_PKG_VERSION"),
        "serverCommit": "",
        "transcoding": {
            "remoteRunners": { "enabled": false },
            "hls": { "enabled": c.transcoding.hls.enabled },
            "web_videos": { "enabled": c.transcoding.web_videos.enabled },
            "enabledResolutions": resolutions,
            "profile": "default",
            "availableProfiles": ["default"]
        },
        "live": {
            "enabled": false,
            "allowReplay": false,
            "latencySetting": { "enabled": false },
            "maxDuration": -1,
            "maxInstanceLives": 0,
            "maxUserLives": 0,
            "transcoding": {
                "enabled": false,
                "remoteRunners": { "enabled": false },
                "enabledResolutions": [],
                "profile": "default",
                "availableProfiles": ["default"]
            },
            "rtmp": { "port": 1935 }
        },
        "videoStudio": { "enabled": false, "remoteRunners": { "enabled": false } },
        "videoFile": { "update": { "enabled": false } },
        "videoTranscription": { "enabled": false, "remoteRunners": { "enabled": false } },
        "import": {
            "videos": { "http": { "enabled": false }, "torrent": { "enabled": false } },
            "videoChannelSynchronization": { "enabled": false },
            "users": { "enabled": false }
        },
        "export": { "users": { "enabled": false, "exportExpiration": 0, "maxUserVideoQuota": 0 } },
        "autoBlacklist": { "videos": { "ofUsers": { "enabled": false } } },
        "avatar": limits::avatar(),
        "banner": limits::avatar(),
        "video": {
            "image": limits::video_image(),
            "file": { "extensions": limits::VIDEO_EXTENSIONS }
        },
        "videoCaption": limits::caption(),
        "user": {
            "videoQuota": c.user.video_quota,
            "videoQuotaDaily": c.user.video_quota_daily
        },
        "videoChannels": { "maxPerUser": c.video_channels.max_per_user },
        "trending": {
            "videos": {
                "intervalDays": 7,
                "algorithms": { "enabled": ["most-viewed"], "default": "most-viewed" }
            }
        },
        "tracker": { "enabled": c.tracker.enabled },
        "followings": { "instance": { "autoFollowIndex": { "indexUrl": "" } } },
        "broadcastMessage": { "enabled": false, "message": "", "level": "info", "dismissable": false },
        "homepage": { "enabled": false },
        "openTelemetry": { "metrics": { "enabled": false, "playbackStatsInterval": 15000 } },
        "views": { "videos": { "watchingInterval": { "anonymous": 5000, "users": 5000 } } },
        "storyboards": { "enabled": false },
        "signup": {
            "allowed": signup_allowed,
            "allowedForCurrentIP": signup_allowed,
            "minimumAge": c.signup.minimum_age,
            "requiresApproval": c.signup.requires_approval,
            "requiresEmailVerification": c.signup.requires_email_verification
        }
    })))
}
