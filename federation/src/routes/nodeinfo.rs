//! `GET /.well-known/nodeinfo` and `GET /nodeinfo/2.0.json`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::config::Config;
use crate::error::FederationError;
use crate::models::user::User;
use crate::protocol::nodeinfo::{
    APPLICATION_REL, NodeInfo, NodeInfoLink, NodeInfoLinks, SCHEMA_2_0, Services, Software, Usage,
    UsageUsers,
};
use crate::state::AppState;

pub async fn links(State(state): State<AppState>) -> Json<NodeInfoLinks> {
    Json(NodeInfoLinks {
        links: vec![
            NodeInfoLink {
                rel: SCHEMA_2_0.into(),
                href: format!("{}/nodeinfo/2.0.json", state.urls.base),
            },
            NodeInfoLink {
                rel: APPLICATION_REL.into(),
                href: state.urls.account(crate::bootstrap::SERVER_ACTOR_NAME),
            },
        ],
    })
}

pub async fn get(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, FederationError> {
    if file != "2.0.json" {
        return Err(FederationError::NotFound(
            "Nodeinfo schema version not handled".into(),
        ));
    }
    let mut conn = state.conn().await?;
    let now = Utc::now();
    let total = User::count(&mut conn).await?;
    let active_month = User::count_active_since(&mut conn, now - Duration::days(30)).await?;
    let active_halfyear = User::count_active_since(&mut conn, now - Duration::days(180)).await?;
    let config = &state.config;
    let info = NodeInfo {
        version: "2.0".into(),
        software: Software {
            name: "ferrotube".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        protocols: vec!["activitypub".into()],
        services: Services {
            inbound: vec![],
            outbound: vec!["atom1.0".into(), "rss2.0".into()],
        },
        open_registrations: config.signup.enabled,
        usage: Usage {
            users: UsageUsers {
                total,
                active_month,
                active_halfyear,
            },
            local_posts: crate::models::video::Video::count_local(&mut conn).await?,
            // Comments come with federation; none can exist before.
            local_comments: 0,
        },
        metadata: json!({
            "taxonomy": { "postsName": "Videos" },
            "nodeName": config.instance.name,
            "nodeDescription": config.instance.short_description,
            "nodeConfig": node_config(config),
        }),
    };
    let mut res = Json(info).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/json; charset=utf-8; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.0#\"",
        ),
    );
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("max-age=600"),
    );
    Ok(res)
}

/// The parts of the configuration PeerTube mirrors into `nodeConfig`.
fn node_config(config: &Config) -> Value {
    json!({
        "search": { "remoteUri": { "users": true, "anonymous": false } },
        "plugin": { "registered": [] },
        "theme": { "registered": [], "default": "default" },
        "email": { "enabled": false },
        "contactForm": { "enabled": false },
        "transcoding": {
            "hls": { "enabled": config.transcoding.hls.enabled },
            "web_videos": { "enabled": config.transcoding.web_videos.enabled },
            "enabledResolutions": config.transcoding.resolutions.enabled(),
        },
        "live": { "enabled": false, "transcoding": { "enabled": false, "enabledResolutions": [] } },
        "import": { "videos": { "http": { "enabled": false }, "torrent": { "enabled": false } } },
        "autoBlacklist": { "videos": { "ofUsers": { "enabled": false } } },
        "avatar": crate::limits::avatar(),
        "video": {
            "image": crate::limits::video_image(),
            "file": { "extensions": crate::limits::VIDEO_EXTENSIONS },
        },
        "videoCaption": crate::limits::caption(),
        "user": {
            "videoQuota": config.user.video_quota,
            "videoQuotaDaily": config.user.video_quota_daily,
        },
        "trending": { "videos": { "intervalDays": 7 } },
        "tracker": { "enabled": config.tracker.enabled },
    })
}
