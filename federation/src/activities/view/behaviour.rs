//! Receiving a View: a viewer (with `expires`) or a counted view of a video, fetched when
//! unknown (`video::views`).

use super::View;
use crate::activities::{InboxContext, ReceiveActivity, SendActivity};
use crate::error::FederationError;
use crate::protocol::HttpUrl;

impl SendActivity for View {}

impl ReceiveActivity for View {
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
        let video = crate::video::ingest::get_or_fetch(&cx.state, self.object.as_str()).await?;
        crate::video::views::remote(&cx.state, &video, &self, &cx.signer, &cx.raw).await
    }
}
