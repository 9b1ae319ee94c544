//! Comments from other servers (PeerTube comments, Mastodon replies): their thread resolved up
//! to the video (unknown parents fetched, at most 100 levels, as PeerTube does), stored, and on
//! our videos approved and forwarded to our followers with their signature intact.

use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::object::Thread;
use crate::activities::typed_enum;
use crate::activities::{InboxContext, Unknown};
use crate::bootstrap::SERVER_ACTOR_NAME;
use crate::error::FederationError;
use crate::fetch;
use crate::models::account::Account;
use crate::models::actor::Actor;
use crate::models::enums::CommentsPolicy;
use crate::models::follow::ActorFollow;
use crate::models::video::{Video, VideoFull};
use crate::models::video_comment::{NewVideoComment, VideoComment};
use crate::outbox::{deliver, forward as forward_body};
use crate::protocol::note::NoteObject;
use crate::protocol::tombstone::Tombstone;
use crate::protocol::video::VideoObject;
use crate::protocol::{HttpUrl, PUBLIC};
use crate::remote::actor as remote_actor;
use crate::state::AppState;
use crate::video::federate::is_federable;
use crate::video::ingest;

/// PeerTube's limit on the depth of a thread it resolves.
const MAX_DEPTH: usize = 100;

typed_enum! {
    /// What a comment's `inReplyTo` names, once fetched.
    pub enum Parent {
        Video(Box<VideoObject>) = "Video",
        Note(Box<NoteObject>) = "Note",
        Tombstone(Tombstone) = "Tombstone",
    }
}

fn refuse(why: impl Into<String>) -> FederationError {
    FederationError::BadRequest(why.into())
}

/// PeerTube's checks of a received Note: content, and Public in `to` or `cc` (non-public
/// comments are dropped); its author on its host.
fn check(note: &NoteObject) -> Result<(), FederationError> {
    if note.content.trim().is_empty() {
        return Err(refuse("a comment needs content"));
    }
    let public = note
        .to
        .iter()
        .chain(note.cc.iter())
        .any(|u| u.as_str() == PUBLIC);
    if !public {
        return Err(refuse("only public comments are accepted"));
    }
    if note.attributed_to.host_port() != note.id.host_port() {
        return Err(refuse("the comment's author is not on its host"));
    }
    Ok(())
}

/// Where a comment goes: its video and, for a reply, its stored parent.
struct Place {
    video: Video,
    parent: Option<VideoComment>,
}

/// Finds (or fetches and stores) what `in_reply_to` names.
async fn place(
    state: &AppState,
    in_reply_to: &HttpUrl,
    depth: usize,
) -> Result<Place, FederationError> {
    if depth > MAX_DEPTH {
        return Err(refuse("thread too deep"));
    }
    {
        let mut conn = state.conn().await?;
        if let Some(parent) = VideoComment::find_by_url(&mut conn, in_reply_to.as_str()).await? {
            let video = Video::find(&mut conn, parent.video_id)
                .await?
                .ok_or_else(|| refuse("the parent's video is gone"))?;
            return Ok(Place {
                video,
                parent: Some(parent),
            });
        }
        if let Some(video) = Video::find_by_url(&mut conn, in_reply_to.as_str()).await? {
            return Ok(Place {
                video,
                parent: None,
            });
        }
    }
    match fetch::fetch_object::<Parent>(state, in_reply_to.as_str()).await? {
        Parent::Video(object) => Ok(Place {
            video: ingest::store_object(state, *object).await?,
            parent: None,
        }),
        Parent::Note(note) => {
            check(&note)?;
            let stored = Box::pin(store(state, *note, depth + 1)).await?;
            let video = {
                let mut conn = state.conn().await?;
                Video::find(&mut conn, stored.comment.video_id)
                    .await?
                    .ok_or_else(|| refuse("the parent's video is gone"))?
            };
            Ok(Place {
                video,
                parent: Some(stored.comment),
            })
        }
        Parent::Tombstone(_) => Err(refuse("a reply to a deleted comment")),
        Parent::Unknown(Unknown { kind, .. }) => Err(refuse(format!(
            "inReplyTo is a {kind}, not a video or a comment"
        ))),
    }
}

/// A stored remote comment, and whether it is new.
struct Stored {
    comment: VideoComment,
    created: bool,
}

/// Resolves a Note's thread and stores it.
async fn store(
    state: &AppState,
    note: NoteObject,
    depth: usize,
) -> Result<Stored, FederationError> {
    let place = place(state, &note.in_reply_to, depth).await?;
    let mut conn = state.conn().await?;
    let video = VideoFull::load(&mut conn, place.video)
        .await?
        .ok_or_else(|| refuse("the video is gone"))?;
    if video.video.is_local && !is_federable(&video) {
        return Err(refuse("a comment on a video that does not federate"));
    }
    if video.video.comments_policy == CommentsPolicy::Disabled {
        return Err(refuse("comments are disabled on this video"));
    }
    // The pooled connection goes back before a fetch that may be slow.
    std::mem::drop(conn);
    let author = remote_actor::get_or_fetch(state, note.attributed_to.as_str()).await?;
    let mut conn = state.conn().await?;
    let account = Account::find_by_actor(&mut conn, author.id)
        .await?
        .ok_or_else(|| refuse("a comment's author must be an account"))?;
    let existing = VideoComment::find_by_url(&mut conn, note.id.as_str()).await?;
    // The origin of a remote video decides what is published; ours need approval if asked.
    let held = match &existing {
        Some(c) => c.held_for_review,
        None => {
            video.video.is_local && video.video.comments_policy == CommentsPolicy::RequiresApproval
        }
    };
    let new = NewVideoComment {
        url: Some(note.id.to_string()),
        text: note.content,
        video_id: video.video.id,
        account_id: Some(account.id),
        in_reply_to_comment_id: place.parent.as_ref().map(|p| p.id),
        origin_comment_id: place.parent.as_ref().map(VideoComment::thread_id),
        held_for_review: held,
        reply_approval: note.reply_approval.map(|u| u.to_string()),
        created_at: note.published,
        updated_at: note.updated.unwrap_or(note.published),
    };
    let comment = VideoComment::upsert_remote(&mut conn, &new).await?;
    tracing::info!(comment = %note.id, video = %video.video.url, held, "remote comment stored");
    Ok(Stored {
        comment,
        created: existing.is_none(),
    })
}

/// Forwards a comment activity on one of our videos to the followers of everyone involved in
/// the video, except its sender's server (PeerTube's `forwardVideoRelatedActivity`).
pub(crate) async fn forward(
    conn: &mut AsyncPgConnection,
    thread: &Thread,
    sender: &Actor,
    raw: &serde_json::Value,
) -> Result<(), FederationError> {
    let full = VideoFull::load(conn, thread.video.clone())
        .await?
        .ok_or_else(|| refuse("the video is gone"))?;
    let server = Actor::find_local_by_name(conn, SERVER_ACTOR_NAME)
        .await?
        .ok_or_else(|| FederationError::Internal("no server actor".into()))?;
    let involved = [
        server.id,
        full.channel.actor.id,
        full.channel.owner.actor.id,
    ];
    let sender_inboxes = [Some(&sender.inbox_url), sender.shared_inbox_url.as_ref()];
    let inboxes: Vec<String> = ActorFollow::followers_shared_inboxes(conn, &involved)
        .await?
        .into_iter()
        .filter(|i| !sender_inboxes.contains(&Some(i)))
        .collect();
    forward_body(conn, raw, server.id, inboxes).await
}

/// Create(Note): stores the comment; on our video a new published one is approved (an
/// ApproveReply to its author) and forwarded, as is one sent again after its approval.
pub async fn created(cx: &InboxContext, note: NoteObject) -> Result<(), FederationError> {
    check(&note)?;
    if note.attributed_to.0 != cx.signer.url {
        return Err(refuse("a comment must be created by its author"));
    }
    let approval_resent = note.reply_approval.is_some();
    let stored = store(&cx.state, note, 0).await?;
    let mut conn = cx.state.conn().await?;
    let thread = Thread::load(&mut conn, stored.comment).await?;
    if !thread.video.is_local || thread.comment.held_for_review {
        return Ok(());
    }
    let owner = VideoFull::load(&mut conn, thread.video.clone())
        .await?
        .ok_or_else(|| refuse("the video is gone"))?
        .channel
        .owner
        .actor;
    let signer = cx.signer.clone();
    let raw = cx.raw.clone();
    conn.transaction::<_, FederationError, _>(async move |conn| {
        if stored.created {
            let approval = thread.approval(&owner.url)?;
            deliver(conn, &approval, owner.id, vec![signer.inbox_url.clone()]).await?;
        }
        if stored.created || approval_resent {
            forward(conn, &thread, &signer, &raw).await?;
        }
        Ok(())
    })
    .await
}

/// Update(Note): the author's new text.
pub async fn updated(cx: &InboxContext, note: NoteObject) -> Result<(), FederationError> {
    check(&note)?;
    if note.attributed_to.0 != cx.signer.url {
        return Err(refuse("only its author updates a comment"));
    }
    let known = {
        let mut conn = cx.state.conn().await?;
        VideoComment::find_by_url(&mut conn, note.id.as_str()).await?
    };
    match known {
        Some(c) if c.is_deleted() => Ok(()),
        _ => store(&cx.state, note, 0).await.map(|_| ()),
    }
}

/// Delete of a comment by URL: by its author, or by the owner of its video. True when `url` was
/// a comment (handled here), false when it is something else.
pub async fn deleted(cx: &InboxContext, url: &str) -> Result<bool, FederationError> {
    let mut conn = cx.state.conn().await?;
    let Some(comment) = VideoComment::find_by_url(&mut conn, url).await? else {
        return Ok(false);
    };
    let thread = Thread::load(&mut conn, comment).await?;
    let video = VideoFull::load(&mut conn, thread.video.clone())
        .await?
        .ok_or_else(|| refuse("the video is gone"))?;
    let by_author = thread
        .author
        .as_ref()
        .is_some_and(|a| a.actor.id == cx.signer.id);
    let by_video_owner = video.channel.owner.actor.id == cx.signer.id;
    if !by_author && !by_video_owner {
        return Err(refuse(
            "only its author or the video's owner deletes a comment",
        ));
    }
    if thread.comment.is_deleted() {
        return Ok(true);
    }
    let signer = cx.signer.clone();
    let raw = cx.raw.clone();
    conn.transaction::<_, FederationError, _>(async move |conn| {
        VideoComment::mark_deleted(conn, thread.comment.id).await?;
        if thread.video.is_local {
            forward(conn, &thread, &signer, &raw).await?;
        }
        Ok(())
    })
    .await?;
    tracing::info!(comment = url, "remote comment deleted");
    Ok(true)
}

/// ApproveReply of our user's comment `object` by the remote video's owner: published, and its
/// Create sent again with the approval.
pub async fn approved(
    cx: &InboxContext,
    object: &str,
    approval_id: &str,
) -> Result<(), FederationError> {
    let mut conn = cx.state.conn().await?;
    let comment = VideoComment::find_by_url(&mut conn, object)
        .await?
        .filter(|c| !c.is_deleted())
        .ok_or_else(|| FederationError::NotFound(format!("no comment {object}")))?;
    let thread = Thread::load(&mut conn, comment).await?;
    if !thread.author.as_ref().is_some_and(|a| a.actor.is_local()) {
        return Err(refuse("approval of a comment that is not ours"));
    }
    let video = VideoFull::load(&mut conn, thread.video.clone())
        .await?
        .ok_or_else(|| refuse("the video is gone"))?;
    if video.channel.owner.actor.id != cx.signer.id {
        return Err(refuse("only the video's owner approves a reply"));
    }
    if !thread.comment.held_for_review
        || thread.comment.reply_approval.as_deref() == Some(approval_id)
    {
        return Ok(());
    }
    let (id, approval) = (thread.comment.id, approval_id.to_string());
    let state = cx.state.clone();
    conn.transaction::<_, FederationError, _>(async move |conn| {
        let comment = VideoComment::set_approved(conn, id, &approval).await?;
        super::local::send_create(conn, &state, comment).await
    })
    .await
}
