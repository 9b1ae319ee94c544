//! Telling followers that a local account or channel changed: `Update(Person|Group)` with the
//! whole actor, sent to the followers of the actor and of every actor that shared its videos
//! (the server actor and channels, as PeerTube's `sendUpdateActor` does). Called inside the
//! transaction that makes the change, so the deliveries exist exactly when the change does.

use diesel_async::AsyncPgConnection;

use crate::activities::update::Update;
use crate::error::FederationError;
use crate::models::account::AccountFull;
use crate::models::actor::Actor;
use crate::models::channel::ChannelFull;
use crate::models::video_share::VideoShare;
use crate::outbox;
use crate::protocol::actor::ActorObject;
use crate::urls::InstanceUrls;

/// Whose profile changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// An account, by `accounts.id`.
    Account(i64),
    /// A channel, by `video_channels.id`.
    Channel(i64),
}

fn gone(what: &str) -> FederationError {
    FederationError::NotFound(format!("{what} not found"))
}

/// Dates the change on the actor and queues its Update to every follower concerned.
pub async fn send_update(
    conn: &mut AsyncPgConnection,
    urls: &InstanceUrls,
    profile: Profile,
) -> Result<(), FederationError> {
    let (actor_id, object, mut involved) = match profile {
        Profile::Account(id) => {
            let full = AccountFull::load(conn, id)
                .await?
                .ok_or_else(|| gone("Account"))?;
            let sharers = VideoShare::sharers_of_account(conn, id).await?;
            (full.actor.id, ActorObject::account(urls, &full)?, sharers)
        }
        Profile::Channel(id) => {
            let full = ChannelFull::load(conn, id)
                .await?
                .ok_or_else(|| gone("Video channel"))?;
            let sharers = VideoShare::sharers_of_channel(conn, id).await?;
            (full.actor.id, ActorObject::channel(urls, &full)?, sharers)
        }
    };
    let updated_at = Actor::touch(conn, actor_id).await?;
    let update = Update::actor(object, &updated_at)?;
    involved.push(actor_id);
    involved.sort_unstable();
    involved.dedup();
    let inboxes =
        crate::models::follow::ActorFollow::followers_shared_inboxes(conn, &involved).await?;
    tracing::info!(actor = %update.actor.0, inboxes = inboxes.len(), "sending Update of an actor");
    outbox::deliver(conn, &update, actor_id, inboxes).await
}
