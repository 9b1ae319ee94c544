//! Unfollowing, answering and removing follows: the rows and the activities they send, and the
//! follow back of a PeerTube server that follows ours. Following itself resolves its target over
//! the network, so it runs in `follow_job`.

use diesel_async::AsyncConnection;

use crate::activities::accept::Accept;
use crate::activities::follow::Follow;
use crate::activities::reject::Reject;
use crate::activities::undo::Undo;
use crate::bootstrap::SERVER_ACTOR_NAME;
use crate::config::Config;
use crate::error::FederationError;
use crate::models::actor::{Actor, ActorType};
use crate::models::follow::{ActorFollow, FollowState};
use crate::queue::BackgroundJob;

/// Ends `follower`'s follow of `target`: an Undo goes to a remote target's inbox. False when
/// there was no follow.
pub async fn unfollow(
    conn: &mut diesel_async::AsyncPgConnection,
    follower: &Actor,
    target: &Actor,
) -> Result<bool, FederationError> {
    let Some(f) = ActorFollow::find(conn, follower.id, target.id).await? else {
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
        ActorFollow::remove(conn, &f).await?;
        Ok(())
    })
    .await?;
    Ok(true)
}

/// Accepts or rejects a pending follow of local `target` by a remote `follower`.
pub async fn answer(
    conn: &mut diesel_async::AsyncPgConnection,
    config: &Config,
    urls: &crate::urls::InstanceUrls,
    follower: &Actor,
    target: &Actor,
    accept: bool,
) -> Result<bool, FederationError> {
    let Some(f) = ActorFollow::find(conn, follower.id, target.id).await? else {
        return Ok(false);
    };
    let follower = follower.clone();
    let target = target.clone();
    let urls = urls.clone();
    let follow_back = config.followings.instance.auto_follow_back.enabled;
    conn.transaction::<_, FederationError, _>(async move |conn| {
        let id = f
            .url
            .clone()
            .unwrap_or_else(|| Follow::id_for(&follower, &target));
        let object = Follow::new(&id, &follower.url, &target.url)?;
        let inbox = vec![follower.inbox_url.clone()];
        if accept {
            ActorFollow::set_state(conn, &f, FollowState::Accepted).await?;
            if !follower.is_local() {
                let activity = Accept::of_follow(&urls, f.id, &target.url, object)?;
                super::deliver(conn, &activity, target.id, inbox).await?;
                auto_follow_back(conn, follow_back, &follower, &target).await?;
            }
        } else {
            ActorFollow::set_state(conn, &f, FollowState::Rejected).await?;
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

/// Removes `follower`'s follow of local `target` (an admin drops a follower): a remote follower
/// whose follow was accepted or pending gets a Reject, as PeerTube sends. False when there was
/// no follow.
pub async fn remove_follower(
    conn: &mut diesel_async::AsyncPgConnection,
    urls: &crate::urls::InstanceUrls,
    follower: &Actor,
    target: &Actor,
) -> Result<bool, FederationError> {
    let Some(f) = ActorFollow::find(conn, follower.id, target.id).await? else {
        return Ok(false);
    };
    let (follower, target, urls) = (follower.clone(), target.clone(), urls.clone());
    conn.transaction::<_, FederationError, _>(async move |conn| {
        let told = f.state != FollowState::Rejected;
        if told && !follower.is_local() {
            let id = f
                .url
                .clone()
                .unwrap_or_else(|| Follow::id_for(&follower, &target));
            let object = Follow::new(&id, &follower.url, &target.url)?;
            let reject = Reject::of_follow(&urls, &target.url, object)?;
            super::deliver(conn, &reject, target.id, vec![follower.inbox_url.clone()]).await?;
        }
        ActorFollow::remove(conn, &f).await?;
        Ok(())
    })
    .await?;
    Ok(true)
}

/// `followings.instance.auto_follow_back` (`enabled`): when a remote PeerTube server actor's
/// follow of our server actor is accepted, ours follows it back (unless it already does), as
/// PeerTube does.
pub async fn auto_follow_back(
    conn: &mut diesel_async::AsyncPgConnection,
    enabled: bool,
    follower: &Actor,
    target: &Actor,
) -> Result<(), FederationError> {
    let is_server = |a: &Actor| {
        a.actor_type == ActorType::Application && a.preferred_username == SERVER_ACTOR_NAME
    };
    if !enabled
        || follower.is_local()
        || !target.is_local()
        || !is_server(follower)
        || !is_server(target)
    {
        return Ok(());
    }
    let already = ActorFollow::find(conn, target.id, follower.id)
        .await?
        .is_some_and(|f| f.state != FollowState::Rejected);
    if already {
        return Ok(());
    }
    tracing::info!(server = %follower.url, "following back a server that follows us");
    let job = super::follow_job::FollowJob {
        follower_actor_id: target.id,
        host: None,
        name: None,
        url: Some(follower.url.clone()),
    };
    job.enqueue(conn).await?;
    Ok(())
}
