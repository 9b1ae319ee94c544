//! The inboxes (`POST /inbox`, `/accounts/{name}/inbox`, `/video-channels/{name}/inbox`):
//! verify, answer 204 at once and process in the durable job queue (`activitypub-inbox`), as
//! PeerTube answers before it processes.

pub mod activity;
pub mod job;
mod receive;
pub mod verify;

pub use job::InboxJob;
pub use receive::{account, channel, shared};
