//! The inboxes (`POST /inbox`, `/accounts/{name}/inbox`, `/video-channels/{name}/inbox`):
//! verify, store the activity id (duplicates ignored), answer 204 at once and process in the
//! durable job queue (`activitypub-inbox`), as PeerTube answers before it processes.

pub mod job;
pub mod process;
mod receive;
pub mod verify;

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

pub use job::InboxJob;
pub use receive::{account, channel, shared};

diesel::table! {
    /// Ids of the activities received, so a redelivery is not processed twice. Defined here:
    /// only the inbox reads it.
    inbox_activities (activity_id) {
        activity_id -> Text,
        received_at -> Timestamptz,
    }
}

/// Records an activity id; false when it was already there.
pub async fn remember(conn: &mut AsyncPgConnection, id: &str) -> QueryResult<bool> {
    let n = diesel::insert_into(inbox_activities::table)
        .values(inbox_activities::activity_id.eq(id))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(n == 1)
}
