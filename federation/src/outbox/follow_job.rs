//! The `activitypub-follow` job: resolves a host (its server actor) or a `name@host` handle,
//! stores a pending follow and sends the Follow, as PeerTube's job of that name does.

use serde::{Deserialize, Serialize};

use diesel_async::AsyncConnection;

use crate::activities::follow::Follow;
use crate::error::FederationError;
use crate::models::actor::Actor;
use crate::models::follow::{ActorFollow, FollowState};
use crate::queue::{BackgroundJob, JobContext, JobError};
use crate::remote::{actor as remote_actor, webfinger};
use crate::state::AppState;

/// What to follow, by whom.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FollowJob {
    pub follower_actor_id: i64,
    /// A host: follow its server actor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// A handle's name (with `host`): follow that actor instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// An actor URL, already known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl BackgroundJob for FollowJob {
    const NAME: &'static str = "activitypub-follow";
    /// PeerTube's attempts for this type.
    const MAX_ATTEMPTS: i32 = 5;
    type Context = AppState;

    async fn run(self, ctx: JobContext<AppState>) -> Result<(), JobError> {
        follow(&ctx.state, &self).await.map_err(|e| match e {
            FederationError::NotFound(_) | FederationError::BadRequest(_) => JobError::permanent(e),
            other => JobError::retry(other),
        })
    }
}

async fn target_url(state: &AppState, p: &FollowJob) -> Result<String, FederationError> {
    match (&p.url, &p.name, &p.host) {
        (Some(url), _, _) => Ok(url.clone()),
        (None, Some(name), Some(host)) => webfinger::resolve_handle(state, name, host).await,
        (None, None, Some(host)) => webfinger::resolve_server_actor(state, host).await,
        _ => Err(FederationError::BadRequest("nothing to follow".into())),
    }
}

/// Stores the follow (pending unless already accepted) and sends the Follow.
pub async fn follow(state: &AppState, p: &FollowJob) -> Result<(), FederationError> {
    let url = target_url(state, p).await?;
    let target = remote_actor::get_or_fetch(state, &url).await?;
    if target.is_local() {
        return Err(FederationError::BadRequest(
            "cannot follow a local actor".into(),
        ));
    }
    let mut conn = state.conn().await?;
    let follower = Actor::find(&mut conn, p.follower_actor_id)
        .await?
        .ok_or_else(|| FederationError::NotFound("follower is gone".into()))?;
    conn.transaction::<_, FederationError, _>(async move |conn| {
        let id = Follow::id_for(&follower, &target);
        let state_now = match ActorFollow::find(conn, follower.id, target.id).await? {
            Some(f) if f.state == FollowState::Accepted => FollowState::Accepted,
            _ => FollowState::Pending,
        };
        ActorFollow::upsert(conn, follower.id, target.id, state_now, Some(&id)).await?;
        let activity = Follow::new(&id, &follower.url, &target.url)?;
        super::deliver(conn, &activity, follower.id, vec![target.inbox_url.clone()]).await
    })
    .await
}
