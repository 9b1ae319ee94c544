//! Receiving a Follow of a local actor: the server actor per `followers.instance.*`, accounts and
//! channels always accepted; an Accept (or Reject) goes back to the follower's inbox, and an
//! accepted PeerTube server is followed back with `followings.instance.auto_follow_back`.

use diesel_async::AsyncConnection;

use super::Follow;
use crate::activities::accept::Accept;
use crate::activities::reject::Reject;
use crate::activities::{InboxContext, ReceiveActivity, SendActivity};
use crate::bootstrap::SERVER_ACTOR_NAME;
use crate::error::FederationError;
use crate::models::actor::{Actor, ActorType};
use crate::models::follow::{ActorFollow, FollowState};
use crate::outbox::deliver;
use crate::outbox::follow::auto_follow_back;
use crate::protocol::{HttpUrl, url};

impl Follow {
    pub fn new(id: &str, follower_url: &str, target_url: &str) -> Result<Self, FederationError> {
        Ok(Self {
            kind: Default::default(),
            id: url(id)?,
            actor: url(follower_url)?.into(),
            object: url(target_url)?.into(),
            to: Vec::new(),
            cc: Vec::new(),
        })
    }

    /// `{follower}/follows/{targetDbId}`, PeerTube's Follow id.
    pub fn id_for(follower: &Actor, target: &Actor) -> String {
        format!("{}/follows/{}", follower.url, target.id)
    }
}

impl SendActivity for Follow {}

impl ReceiveActivity for Follow {
    fn id(&self) -> &HttpUrl {
        &self.id
    }

    fn actor(&self) -> &HttpUrl {
        &self.actor
    }

    async fn verify(&self, _cx: &InboxContext) -> Result<(), FederationError> {
        Ok(())
    }

    async fn receive(self, cx: &InboxContext) -> Result<(), FederationError> {
        let target_url = self.object.as_str();
        let mut conn = cx.state.conn().await?;
        let target = Actor::find_by_url(&mut conn, target_url)
            .await?
            .filter(|a| a.is_local())
            .ok_or_else(|| FederationError::NotFound(format!("{target_url} is not local")))?;
        let is_server = target.actor_type == ActorType::Application
            && target.preferred_username == SERVER_ACTOR_NAME;
        let settings = &cx.state.config.followers.instance;
        let decision = if !is_server {
            FollowState::Accepted
        } else if !settings.enabled {
            FollowState::Rejected
        } else if settings.manual_approval {
            FollowState::Pending
        } else {
            FollowState::Accepted
        };
        let follower = cx.signer.clone();
        let urls = cx.state.urls.clone();
        let follow_back = cx.state.config.followings.instance.auto_follow_back.enabled;
        let id = self.id.to_string();
        conn.transaction::<_, FederationError, _>(async move |conn| {
            let object = Follow::new(&id, &follower.url, &target.url)?;
            if decision == FollowState::Rejected {
                let reject = Reject::of_follow(&urls, &target.url, object)?;
                return deliver(conn, &reject, target.id, vec![follower.inbox_url.clone()]).await;
            }
            // A repeated Follow of an accepted follow stays accepted and is accepted again.
            let state = match ActorFollow::find(conn, follower.id, target.id).await? {
                Some(f) if f.state == FollowState::Accepted => FollowState::Accepted,
                _ => decision,
            };
            let row = ActorFollow::upsert(conn, follower.id, target.id, state, Some(&id)).await?;
            if state == FollowState::Accepted {
                let accept = Accept::of_follow(&urls, row.id, &target.url, object)?;
                deliver(conn, &accept, target.id, vec![follower.inbox_url.clone()]).await?;
                auto_follow_back(conn, follow_back, &follower, &target).await?;
            }
            tracing::info!(follower = %follower.url, target = %target.url, state = state.as_str(), "follow received");
            Ok(())
        })
        .await
    }
}
