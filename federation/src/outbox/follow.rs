//! Unfollowing and answering follows: the rows and the activities they send. Following itself
//! resolves its target over the network, so it runs in `follow_job`.

use diesel_async::AsyncConnection;

use crate::activities::accept::Accept;
use crate::activities::follow::Follow;
use crate::activities::reject::Reject;
use crate::activities::undo::Undo;
use crate::error::FederationError;
use crate::models::actor::Actor;
use crate::models::follow::{ActorFollow, FollowState};

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
