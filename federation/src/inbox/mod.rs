//! The inboxes (`POST /inbox`, `/accounts/{name}/inbox`, `/video-channels/{name}/inbox`):
//! verify, answer 204 at once and process in the durable job queue (`activitypub-inbox`), as
//! PeerTube answers before it processes.

pub mod activity;
pub mod job;
mod receive;
pub mod verify;

pub use job::INBOX;
pub use receive::{account, channel, shared};

/// Registers the inbox processing job.
pub fn register(registry: &mut crate::jobs::JobRegistry) {
    registry.register(INBOX, job::InboxJob);
}
