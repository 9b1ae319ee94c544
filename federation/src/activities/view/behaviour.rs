//! Receiving a View: acknowledged; remote views are not counted yet.

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

    async fn receive(self, _cx: &InboxContext) -> Result<(), FederationError> {
        tracing::info!(id = %self.id, "View acknowledged, not counted");
        Ok(())
    }
}
