//! Receiving a Like of one of our videos: stored per actor, counted on the video, followed by an
//! Update(Video) to followers, as PeerTube does.

use super::Like;
use crate::activities::{InboxContext, ReceiveActivity, SendActivity};
use crate::error::FederationError;
use crate::models::video_rate::Rating;
use crate::protocol::HttpUrl;
use crate::video::rates;

impl SendActivity for Like {}

impl ReceiveActivity for Like {
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
        rates::rate(&cx.state, &cx.signer, &self.object, &self.id, Rating::Like).await
    }
}
