//! Receiving an ApproveReply: our user's comment on a remote video, held until the video's
//! owner approves it, is published and sent again with its approval.

use super::ApproveReply;
use crate::activities::{InboxContext, ReceiveActivity, SendActivity};
use crate::comments;
use crate::error::FederationError;
use crate::protocol::{Context, HttpUrl};

impl SendActivity for ApproveReply {
    fn context(&self) -> Context {
        Context::ApproveReply
    }
}

impl ReceiveActivity for ApproveReply {
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
        comments::remote::approved(cx, self.object.as_str(), self.id.as_str()).await
    }
}
