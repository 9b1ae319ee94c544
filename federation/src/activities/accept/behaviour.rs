//! Receiving an Accept: only on an actor's own inbox (PeerTube refuses it on the shared inbox);
//! the follow (inbox owner → signer) becomes accepted, and, as PeerTube does, the target's outbox
//! is crawled to import what it published before (a server follow or a channel subscription).

use diesel_async::AsyncConnection;

use super::{Accept, FollowRef};
use crate::activities::follow::Follow;
use crate::activities::{InboxContext, ReceiveActivity, SendActivity};
use crate::error::FederationError;
use crate::models::follow::{ActorFollow, FollowState};
use crate::protocol::{HttpUrl, url};
use crate::queue::BackgroundJob;
use crate::remote::fetcher_job::FetchCollection;
use crate::urls::InstanceUrls;

impl Accept {
    /// Accept of follow `follow_db_id`, sent by the followed actor.
    pub fn of_follow(
        urls: &InstanceUrls,
        follow_db_id: i64,
        target_url: &str,
        follow: Follow,
    ) -> Result<Self, FederationError> {
        Ok(Self {
            kind: Default::default(),
            id: url(&format!("{}/accepts/follows/{follow_db_id}", urls.base))?,
            actor: url(target_url)?.into(),
            object: FollowRef::Follow(Box::new(follow)),
            to: Vec::new(),
            cc: Vec::new(),
        })
    }
}

impl SendActivity for Accept {}

/// Sets the follow of the inbox's owner by the signer to `state`; shared by Accept and Reject.
/// A follow that becomes accepted queues the crawl of the target's outbox.
pub(crate) async fn answered(cx: &InboxContext, state: FollowState) -> Result<(), FederationError> {
    let owner = cx
        .inbox_owner
        .as_ref()
        .ok_or_else(|| FederationError::BadRequest("Accept/Reject on the shared inbox".into()))?;
    let mut conn = cx.state.conn().await?;
    let follow = ActorFollow::find(&mut conn, owner.id, cx.signer.id)
        .await?
        .ok_or_else(|| FederationError::NotFound("no follow to accept or reject".into()))?;
    let newly_accepted = state == FollowState::Accepted && follow.state != FollowState::Accepted;
    let crawl = FetchCollection::outbox_of(&cx.signer).filter(|_| newly_accepted);
    conn.transaction::<_, FederationError, _>(async |conn| {
        ActorFollow::set_state(conn, &follow, state).await?;
        if let Some(crawl) = &crawl {
            crawl.enqueue(conn).await?;
        }
        Ok(())
    })
    .await?;
    tracing::info!(follower = %owner.url, target = %cx.signer.url, state = state.as_str(), "follow answered");
    Ok(())
}

impl ReceiveActivity for Accept {
    fn id(&self) -> &HttpUrl {
        &self.id
    }

    fn actor(&self) -> &HttpUrl {
        &self.actor
    }

    async fn verify(&self, cx: &InboxContext) -> Result<(), FederationError> {
        if cx.inbox_owner.is_none() {
            return Err(FederationError::BadRequest(
                "Accept on the shared inbox".into(),
            ));
        }
        Ok(())
    }

    async fn receive(self, cx: &InboxContext) -> Result<(), FederationError> {
        answered(cx, FollowState::Accepted).await
    }
}
