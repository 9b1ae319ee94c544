//! Which of our videos other instances may know, and the Delete they get when one goes or turns
//! private. The activities themselves are built in `crate::activities`.

use crate::activities::delete::Delete;
use crate::models::enums::VideoState;
use crate::models::follow::ActorFollow;
use crate::models::video::VideoFull;
use crate::urls::InstanceUrls;

/// Whether other instances may know the video: public (or unlisted) and published.
pub fn is_federable(full: &VideoFull) -> bool {
    let v = &full.video;
    v.privacy.in_public_folder() && v.state == VideoState::Published && v.is_local
}

/// Queues the Delete of a federated video to every involved follower, inside the caller's
/// transaction (the video row may be gone right after).
pub async fn send_delete(
    conn: &mut diesel_async::AsyncPgConnection,
    urls: &InstanceUrls,
    full: &VideoFull,
    withdrawal: bool,
) -> Result<(), crate::FederationError> {
    let server =
        crate::models::actor::Actor::find_local_by_name(conn, crate::bootstrap::SERVER_ACTOR_NAME)
            .await?
            .ok_or_else(|| crate::FederationError::Internal("no server actor".into()))?;
    let account = &full.channel.owner.actor;
    let inboxes = ActorFollow::followers_shared_inboxes(
        conn,
        &[server.id, full.channel.actor.id, account.id],
    )
    .await?;
    let delete = Delete::video(urls, full, withdrawal)?;
    crate::outbox::deliver(conn, &delete, account.id, inboxes).await
}
