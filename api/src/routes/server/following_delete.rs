//! `DELETE /api/v1/server/following/{hostOrHandle}`: stop following a host's server actor
//! (or the actor of a handle); an Undo is sent.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use ferrotube_federation::AppState;
use ferrotube_federation::models::actor::{Actor, ActorType};
use ferrotube_federation::models::follow::{ActorFollow, FollowSide};
use ferrotube_federation::models::user::UserRight;
use ferrotube_federation::outbox::follow::unfollow;

use super::common::server_actor;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(target): Path<String>,
) -> ApiResult<StatusCode> {
    auth.require(UserRight::ManageServerFollow)?;
    let actor = server_actor(&state).await?;
    let mut conn = state.conn().await?;
    let followed = match target.split_once('@') {
        Some((name, host)) => Actor::find_by_handle(&mut conn, name, Some(host)).await?,
        None => {
            // A host: the followed actor on it (its server actor, normally).
            let (_, rows) = ActorFollow::list(
                &mut conn,
                actor.id,
                FollowSide::Following,
                None,
                (0, 1000),
                true,
            )
            .await?;
            rows.into_iter()
                .find(|r| {
                    r.following_host.as_deref() == Some(target.as_str())
                        && r.following.actor_type == ActorType::Application
                })
                .map(|r| r.following)
        }
    };
    let followed = followed.ok_or_else(|| ApiError::not_found("Follow not found"))?;
    if !unfollow(&mut conn, &actor, &followed).await? {
        return Err(ApiError::not_found("Follow not found"));
    }
    Ok(StatusCode::NO_CONTENT)
}
