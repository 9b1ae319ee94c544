//! Our users' dislikes of remote videos, and receiving a Dislike of one of our videos: stored per actor, counted on the video, followed by an
//! Update(Video) to followers, as PeerTube does.

use super::Dislike;
use crate::activities::{InboxContext, ReceiveActivity, SendActivity};
use crate::error::FederationError;
use crate::models::video_rate::Rating;
use crate::protocol::HttpUrl;
use crate::video::rates;

impl Dislike {
    /// Our user's dislike (`url`: `{actor}/dislikes/{videoId}`) of a remote video, to its origin's
    /// account.
    pub fn of_video(
        url: &str,
        actor_url: &str,
        video_url: &str,
        origin_account: &str,
    ) -> Result<Self, FederationError> {
        Ok(Self {
            kind: Default::default(),
            id: crate::protocol::url(url)?,
            actor: crate::protocol::url(actor_url)?.into(),
            object: crate::protocol::url(video_url)?.into(),
            to: vec![crate::protocol::url(origin_account)?],
            cc: Vec::new(),
        })
    }
}

impl SendActivity for Dislike {}

impl ReceiveActivity for Dislike {
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
        rates::rate(
            &cx.state,
            &cx.signer,
            &self.object,
            &self.id,
            Rating::Dislike,
        )
        .await
    }
}
