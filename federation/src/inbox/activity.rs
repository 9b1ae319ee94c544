//! The typed inbox: every activity we handle, told apart by its `type`, with a catch-all for
//! the others (dropped with a log line, as PeerTube drops them).

use crate::activities::accept::Accept;
use crate::activities::announce::Announce;
use crate::activities::approve_reply::ApproveReply;
use crate::activities::create::Create;
use crate::activities::delete::Delete;
use crate::activities::dislike::Dislike;
use crate::activities::follow::Follow;
use crate::activities::like::Like;
use crate::activities::reject::Reject;
use crate::activities::undo::Undo;
use crate::activities::update::Update;
use crate::activities::view::View;
use crate::activities::{InboxContext, process, typed_enum};
use crate::error::FederationError;

typed_enum! {
    pub enum InboxActivity {
        Follow(Follow) = "Follow",
        Accept(Accept) = "Accept",
        Reject(Reject) = "Reject",
        Undo(Undo) = "Undo",
        Create(Create) = "Create",
        Update(Update) = "Update",
        Delete(Delete) = "Delete",
        Announce(Announce) = "Announce",
        Like(Like) = "Like",
        Dislike(Dislike) = "Dislike",
        View(View) = "View",
        ApproveReply(ApproveReply) = "ApproveReply",
    }
}

impl InboxActivity {
    pub async fn dispatch(self, cx: &InboxContext) -> Result<(), FederationError> {
        match self {
            Self::Follow(a) => process(a, cx).await,
            Self::Accept(a) => process(a, cx).await,
            Self::Reject(a) => process(a, cx).await,
            Self::Undo(a) => process(a, cx).await,
            Self::Create(a) => process(a, cx).await,
            Self::Update(a) => process(a, cx).await,
            Self::Delete(a) => process(a, cx).await,
            Self::Announce(a) => process(a, cx).await,
            Self::Like(a) => process(a, cx).await,
            Self::Dislike(a) => process(a, cx).await,
            Self::View(a) => process(a, cx).await,
            Self::ApproveReply(a) => process(a, cx).await,
            Self::Unknown(u) => {
                tracing::info!(kind = %u.kind, id = ?u.id, "activity type not handled; dropped");
                Ok(())
            }
        }
    }
}
