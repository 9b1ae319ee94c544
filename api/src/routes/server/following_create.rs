//! `POST /api/v1/server/following` `{hosts?, handles?}`: the server actor follows hosts (their
//! server actors) and handles; each follow runs as an `activitypub-follow` job.

use axum::extract::State;
use axum::http::StatusCode;
use ferrotube_federation::AppState;
use ferrotube_federation::models::user::UserRight;
use ferrotube_federation::outbox::follow_job::FollowJob;
use ferrotube_federation::queue::BackgroundJob;
use serde_json::json;

use super::common::{server_actor, valid_handle, valid_host};
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::fields::Body;

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    Body(mut body): Body,
) -> ApiResult<StatusCode> {
    auth.require(UserRight::ManageServerFollow)?;
    let hosts = body
        .opt_str_array("hosts", valid_host)
        .flatten()
        .unwrap_or_default();
    let handles = body
        .opt_str_array("handles", valid_handle)
        .flatten()
        .unwrap_or_default();
    body.finish()?;
    if hosts.is_empty() && handles.is_empty() {
        return Err(ApiError::invalid_field("body", "hosts", json!(hosts)));
    }
    if hosts.iter().any(|h| state.urls.is_local_host(h)) {
        return Err(ApiError::invalid_field("body", "hosts", json!(hosts)));
    }
    let actor = server_actor(&state).await?;
    let mut payloads: Vec<FollowJob> = hosts
        .into_iter()
        .map(|h| FollowJob {
            follower_actor_id: actor.id,
            host: Some(h),
            name: None,
            url: None,
        })
        .collect();
    for handle in handles {
        if let Some((name, host)) = handle.split_once('@') {
            payloads.push(FollowJob {
                follower_actor_id: actor.id,
                host: Some(host.to_string()),
                name: Some(name.to_string()),
                url: None,
            });
        }
    }
    let mut conn = state.conn().await?;
    for p in &payloads {
        p.enqueue(&mut conn).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}
