//! `POST /api/v1/users/me/subscriptions` `{uri: "channel[@host]"}`: a local channel is
//! followed at once; a remote one through an `activitypub-follow` job (Follow, then Accept).

use axum::extract::State;
use axum::http::StatusCode;
use ferrotube_federation::AppState;
use ferrotube_federation::activities::follow::Follow;
use ferrotube_federation::models::actor::{Actor, ActorType};
use ferrotube_federation::models::follow::{ActorFollow, FollowState};
use ferrotube_federation::outbox::follow_job::FollowJob;
use ferrotube_federation::queue::BackgroundJob;

use super::subscriptions_common::{my_account, valid_uri};
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::fields::Body;

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    Body(mut body): Body,
) -> ApiResult<StatusCode> {
    let uri = body.req_str("uri", valid_uri);
    body.finish()?;
    let account = my_account(&state, &auth).await?;
    let (name, host) = crate::routes::split_handle(&uri, &state.urls);
    let mut conn = state.conn().await?;
    match host {
        None => {
            let target = Actor::find_by_handle(&mut conn, name, None)
                .await?
                .filter(|a| a.actor_type == ActorType::Group)
                .ok_or_else(|| ApiError::not_found("Video channel not found"))?;
            let id = Follow::id_for(&account.actor, &target);
            ActorFollow::upsert(
                &mut conn,
                account.actor.id,
                target.id,
                FollowState::Accepted,
                Some(&id),
            )
            .await?;
        }
        Some(host) => {
            let payload = FollowJob {
                follower_actor_id: account.actor.id,
                host: Some(host.to_string()),
                name: Some(name.to_string()),
                url: None,
            };
            payload.enqueue(&mut conn).await?;
        }
    }
    Ok(StatusCode::NO_CONTENT)
}
