//! Receiving a Reject: only on an actor's own inbox; the follow (inbox owner → signer) becomes
//! rejected.

use chrono::Utc;

use super::Reject;
use crate::activities::accept::FollowRef;
use crate::activities::follow::Follow;
use crate::activities::{InboxContext, ReceiveActivity, SendActivity};
use crate::error::FederationError;
use crate::models::follow::FollowState;
use crate::protocol::{HttpUrl, url};
use crate::urls::InstanceUrls;

impl Reject {
    pub fn of_follow(
        urls: &InstanceUrls,
        target_url: &str,
        follow: Follow,
    ) -> Result<Self, FederationError> {
        Ok(Self {
            kind: Default::default(),
            id: url(&format!(
                "{}/rejects/follows/{}",
                urls.base,
                crate::time::iso(&Utc::now())
            ))?,
            actor: url(target_url)?.into(),
            object: FollowRef::Follow(Box::new(follow)),
            to: Vec::new(),
            cc: Vec::new(),
        })
    }
}

impl SendActivity for Reject {}

impl ReceiveActivity for Reject {
    fn id(&self) -> &HttpUrl {
        &self.id
    }

    fn actor(&self) -> &HttpUrl {
        &self.actor
    }

    async fn verify(&self, cx: &InboxContext) -> Result<(), FederationError> {
        if cx.inbox_owner.is_none() {
            return Err(FederationError::BadRequest(
                "Reject on the shared inbox".into(),
            ));
        }
        Ok(())
    }

    async fn receive(self, cx: &InboxContext) -> Result<(), FederationError> {
        crate::activities::accept::answered(cx, FollowState::Rejected).await
    }
}
