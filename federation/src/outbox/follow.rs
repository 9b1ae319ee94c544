//! The follow job: resolves a host (its server actor) or a `name@host` handle, stores a
//! pending follow and sends the Follow, as PeerTube's `activitypub-follow` job does.

use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::activities::accept::Accept;
use crate::activities::follow::Follow;
use crate::activities::reject::Reject;
use crate::activities::undo::Undo;
use crate::error::FederationError;
use crate::follows;
use crate::jobs::{BoxFuture, JobContext, JobError, JobHandler};
use crate::models::actor::Actor;
use crate::models::follow::FollowState;
use crate::models::job::{Job, NewJob};
use crate::remote::{actor as remote_actor, webfinger};
use crate::state::AppState;

pub const FOLLOW: &str = "activitypub-follow";

/// What to follow, by whom.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FollowPayload {
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

/// Queues a follow (inside the caller's transaction when it has one).
pub async fn enqueue(
    conn: &mut diesel_async::AsyncPgConnection,
    payload: &FollowPayload,
) -> Result<(), FederationError> {
    let value =
        serde_json::to_value(payload).map_err(|e| FederationError::Internal(e.to_string()))?;
    Job::enqueue(conn, &NewJob::new(FOLLOW, value)).await?;
    Ok(())
}

pub struct FollowJob;

impl JobHandler for FollowJob {
    fn run(&self, ctx: JobContext, payload: Value) -> BoxFuture<Result<(), JobError>> {
        Box::pin(async move {
            let p: FollowPayload = serde_json::from_value(payload)
                .map_err(|e| JobError::permanent(format!("bad payload: {e}")))?;
            follow(&ctx.state, &p).await.map_err(|e| match e {
                FederationError::NotFound(_) | FederationError::BadRequest(_) => {
                    JobError::permanent(e)
                }
                other => JobError::retry(other),
            })
        })
    }
}

async fn target_url(state: &AppState, p: &FollowPayload) -> Result<String, FederationError> {
    match (&p.url, &p.name, &p.host) {
        (Some(url), _, _) => Ok(url.clone()),
        (None, Some(name), Some(host)) => webfinger::resolve_handle(state, name, host).await,
        (None, None, Some(host)) => webfinger::resolve_server_actor(state, host).await,
        _ => Err(FederationError::BadRequest("nothing to follow".into())),
    }
}

/// Stores the follow (pending unless already accepted) and sends the Follow.
pub async fn follow(state: &AppState, p: &FollowPayload) -> Result<(), FederationError> {
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
        let state_now = match follows::find(conn, follower.id, target.id).await? {
            Some(f) if f.state == FollowState::Accepted.as_str() => FollowState::Accepted,
            _ => FollowState::Pending,
        };
        follows::upsert(conn, follower.id, target.id, state_now, Some(&id)).await?;
        let activity = Follow::new(&id, &follower.url, &target.url)?;
        super::deliver(conn, &activity, follower.id, vec![target.inbox_url.clone()]).await
    })
    .await
}

/// Ends `follower`'s follow of `target`: an Undo goes to a remote target's inbox. False when
/// there was no follow.
pub async fn unfollow(
    conn: &mut diesel_async::AsyncPgConnection,
    follower: &Actor,
    target: &Actor,
) -> Result<bool, FederationError> {
    let Some(f) = follows::find(conn, follower.id, target.id).await? else {
        return Ok(false);
    };
    let follower = follower.clone();
    let target = target.clone();
    conn.transaction::<_, FederationError, _>(async move |conn| {
        if !target.is_local() {
            let id = f
                .url
                .clone()
                .unwrap_or_else(|| Follow::id_for(&follower, &target));
            let undo = Undo::of_follow(&id, &follower, &target.url)?;
            super::deliver(conn, &undo, follower.id, vec![target.inbox_url.clone()]).await?;
        }
        follows::remove(conn, &f).await?;
        Ok(())
    })
    .await?;
    Ok(true)
}

/// Accepts or rejects a pending follow of local `target` by a remote `follower`.
pub async fn answer(
    conn: &mut diesel_async::AsyncPgConnection,
    urls: &crate::urls::InstanceUrls,
    follower: &Actor,
    target: &Actor,
    accept: bool,
) -> Result<bool, FederationError> {
    let Some(f) = follows::find(conn, follower.id, target.id).await? else {
        return Ok(false);
    };
    let follower = follower.clone();
    let target = target.clone();
    let urls = urls.clone();
    conn.transaction::<_, FederationError, _>(async move |conn| {
        let id = f
            .url
            .clone()
            .unwrap_or_else(|| Follow::id_for(&follower, &target));
        let object = Follow::new(&id, &follower.url, &target.url)?;
        let inbox = vec![follower.inbox_url.clone()];
        if accept {
            follows::set_state(conn, &f, FollowState::Accepted).await?;
            if !follower.is_local() {
                let activity = Accept::of_follow(&urls, f.id, &target.url, object)?;
                super::deliver(conn, &activity, target.id, inbox).await?;
            }
        } else {
            follows::set_state(conn, &f, FollowState::Rejected).await?;
            if !follower.is_local() {
                let activity = Reject::of_follow(&urls, &target.url, object)?;
                super::deliver(conn, &activity, target.id, inbox).await?;
            }
        }
        Ok(())
    })
    .await?;
    Ok(true)
}
