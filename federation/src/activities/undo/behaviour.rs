//! Receiving an Undo: the undone activity must be embedded and be the signer's own. Follow ends
//! the follow; Like and Dislike remove the rating; Announce removes the share; Create(CacheFile)
//! is acknowledged (redundancy is not stored).

use super::{Undo, UndoObject};
use crate::activities::dislike::Dislike;
use crate::activities::follow::Follow;
use crate::activities::like::Like;
use crate::activities::{InboxContext, ReceiveActivity, SendActivity};
use crate::error::FederationError;
use crate::models::actor::Actor;
use crate::models::follow::ActorFollow;
use crate::models::video_rate::Rating;
use crate::models::video_share::VideoShare;
use crate::protocol::{HttpUrl, public, url};

impl Undo {
    /// Undo of a Follow: `{follow id}/undo`, audience P as PeerTube sends it.
    pub fn of_follow(
        follow_id: &str,
        follower: &Actor,
        target_url: &str,
    ) -> Result<Self, FederationError> {
        let cc = match &follower.followers_url {
            Some(f) => vec![url(f)?],
            None => Vec::new(),
        };
        Ok(Self {
            kind: Default::default(),
            id: url(&format!("{follow_id}/undo"))?,
            actor: url(&follower.url)?.into(),
            object: UndoObject::Follow(Follow::new(follow_id, &follower.url, target_url)?),
            to: vec![public()],
            cc,
        })
    }
}

impl Undo {
    /// Undo of our user's rating (`rate_url`) of a remote video, to its origin's account.
    pub fn of_rate(
        rate_url: &str,
        rating: Rating,
        actor: &Actor,
        video_url: &str,
        origin_account: &str,
    ) -> Result<Self, FederationError> {
        let object = match rating {
            Rating::Like => UndoObject::Like(Like::of_video(
                rate_url,
                &actor.url,
                video_url,
                origin_account,
            )?),
            Rating::Dislike => UndoObject::Dislike(Dislike::of_video(
                rate_url,
                &actor.url,
                video_url,
                origin_account,
            )?),
        };
        Ok(Self {
            kind: Default::default(),
            id: url(&format!("{rate_url}/undo"))?,
            actor: url(&actor.url)?.into(),
            object,
            to: vec![url(origin_account)?],
            cc: Vec::new(),
        })
    }
}

impl SendActivity for Undo {}

impl UndoObject {
    /// The actor of the undone activity.
    fn actor(&self) -> Option<&HttpUrl> {
        match self {
            Self::Follow(a) => Some(&a.actor),
            Self::Like(a) => Some(&a.actor),
            Self::Dislike(a) => Some(&a.actor),
            Self::Announce(a) => Some(&a.actor),
            Self::Create(a) => Some(&a.actor),
            Self::Unknown(_) => None,
        }
    }
}

impl ReceiveActivity for Undo {
    fn id(&self) -> &HttpUrl {
        &self.id
    }

    fn actor(&self) -> &HttpUrl {
        &self.actor
    }

    async fn verify(&self, cx: &InboxContext) -> Result<(), FederationError> {
        match self.object.actor() {
            Some(actor) if *actor == cx.signer.url => Ok(()),
            Some(_) => Err(FederationError::BadRequest(
                "Undo of another actor's activity".into(),
            )),
            None => Err(FederationError::BadRequest(
                "Undo needs the embedded activity".into(),
            )),
        }
    }

    async fn receive(self, cx: &InboxContext) -> Result<(), FederationError> {
        match self.object {
            UndoObject::Follow(follow) => {
                let target_url = follow.object.as_str();
                let mut conn = cx.state.conn().await?;
                let Some(target) = Actor::find_by_url(&mut conn, target_url).await? else {
                    return Err(FederationError::NotFound("unknown follow target".into()));
                };
                if let Some(f) = ActorFollow::find(&mut conn, cx.signer.id, target.id).await? {
                    ActorFollow::remove(&mut conn, &f).await?;
                    tracing::info!(follower = %cx.signer.url, target = %target.url, "follow undone");
                }
                Ok(())
            }
            UndoObject::Like(like) => {
                crate::video::rates::unrate(&cx.state, &cx.signer, &like.object).await
            }
            UndoObject::Dislike(dislike) => {
                crate::video::rates::unrate(&cx.state, &cx.signer, &dislike.object).await
            }
            UndoObject::Announce(announce) => {
                let mut conn = cx.state.conn().await?;
                if VideoShare::remove(&mut conn, announce.id.as_str(), cx.signer.id).await? {
                    tracing::info!(share = %announce.id, "share undone");
                }
                Ok(())
            }
            UndoObject::Create(_) | UndoObject::Unknown(_) => {
                tracing::info!(id = %self.id, "Undo acknowledged, not handled");
                Ok(())
            }
        }
    }
}
