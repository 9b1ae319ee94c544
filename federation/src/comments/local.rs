//! Comments written here: created (held for review when the video asks for approval), sent to
//! who must know, and deleted (moderators and video owners may delete others' comments).

use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::deliver::recipients;
use super::object::Thread;
use crate::activities::delete::Delete;
use crate::error::FederationError;
use crate::models::account::AccountFull;
use crate::models::enums::CommentsPolicy;
use crate::models::video::VideoFull;
use crate::models::video_comment::{NewVideoComment, VideoComment};
use crate::outbox::deliver;
use crate::protocol::url;
use crate::state::AppState;
use crate::video::federate::is_federable;

/// A comment one of our users writes.
pub struct NewComment<'a> {
    pub author: &'a AccountFull,
    /// The author owns the video or may manage any comment: never held.
    pub trusted: bool,
    pub video: &'a VideoFull,
    pub parent: Option<&'a VideoComment>,
    pub text: String,
}

/// Whether other servers may hear of comments on this video: ours once federable, any remote one.
fn video_federates(video: &VideoFull) -> bool {
    !video.video.is_local || is_federable(video)
}

/// Sends the Create of a published comment (or of one on a remote video, which its origin
/// approves), inside the caller's transaction.
pub(crate) async fn send_create(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    comment: VideoComment,
) -> Result<(), FederationError> {
    let thread = Thread::load(conn, comment).await?;
    let Some(author) = thread.author.clone() else {
        return Ok(());
    };
    let to_send = if thread.video.is_local {
        !thread.comment.held_for_review
    } else {
        true
    };
    if !to_send {
        return Ok(());
    }
    let r = recipients(conn, &state.urls, &thread, &author.actor).await?;
    if let Some(create) = thread.create(&state.urls, r.to, r.cc)? {
        deliver(conn, &create, author.actor.id, r.inboxes).await?;
    }
    Ok(())
}

pub async fn create(
    state: &AppState,
    new: NewComment<'_>,
) -> Result<VideoComment, FederationError> {
    let video = &new.video.video;
    if video.comments_policy == CommentsPolicy::Disabled {
        return Err(FederationError::Conflict(
            "Video comments are disabled for this video.".into(),
        ));
    }
    let held = video.comments_policy == CommentsPolicy::RequiresApproval && !new.trusted;
    let now = Utc::now();
    let row = NewVideoComment {
        url: None,
        text: new.text,
        video_id: video.id,
        account_id: Some(new.author.account.id),
        in_reply_to_comment_id: new.parent.map(|p| p.id),
        origin_comment_id: new.parent.map(VideoComment::thread_id),
        held_for_review: held,
        reply_approval: None,
        created_at: now,
        updated_at: now,
    };
    let base = format!("{}/videos/watch/{}/comments", state.urls.base, video.uuid);
    let federates = video_federates(new.video);
    let mut conn = state.conn().await?;
    let state = state.clone();
    conn.transaction::<_, FederationError, _>(async move |conn| {
        let inserted = VideoComment::insert(conn, &row).await?;
        let comment =
            VideoComment::set_url(conn, inserted.id, &format!("{base}/{}", inserted.id)).await?;
        if federates {
            send_create(conn, &state, comment.clone()).await?;
        }
        Ok(comment)
    })
    .await
}

/// Deletes a comment (already checked allowed) and tells who was told of it. `moderator` is the
/// account that deletes someone else's comment on its video; the Delete then comes from it.
pub async fn delete(
    state: &AppState,
    video: &VideoFull,
    comment: VideoComment,
) -> Result<(), FederationError> {
    if comment.is_deleted() {
        return Err(FederationError::Conflict(
            "This comment is already deleted".into(),
        ));
    }
    let federates = video_federates(video) && !comment.held_for_review;
    let video_owner = video.channel.owner.actor.clone();
    let mut conn = state.conn().await?;
    let state = state.clone();
    conn.transaction::<_, FederationError, _>(async move |conn| {
        let thread = Thread::load(conn, comment).await?;
        VideoComment::mark_deleted(conn, thread.comment.id).await?;
        if !federates {
            return Ok(());
        }
        // Our user's own comment comes from them; a moderated one from the video's owner.
        let by = match &thread.author {
            Some(a) if a.actor.is_local() => a.actor.clone(),
            _ if video_owner.is_local() => video_owner,
            _ => return Ok(()),
        };
        let r = recipients(conn, &state.urls, &thread, &by).await?;
        let comment_url = thread.url()?;
        let delete = Delete {
            kind: Default::default(),
            id: url(&format!("{comment_url}/delete"))?,
            actor: url(&by.url)?.into(),
            object: comment_url.into(),
            to: r.to,
            cc: r.cc,
        };
        deliver(conn, &delete, by.id, r.inboxes).await
    })
    .await
}

/// Publishes a comment held for review on one of our videos (its owner or a moderator
/// approves it); a remote author gets an ApproveReply.
pub async fn approve(
    state: &AppState,
    video: &VideoFull,
    comment: VideoComment,
) -> Result<(), FederationError> {
    if !comment.held_for_review {
        return Err(FederationError::BadRequest(
            "This comment is not held for review".into(),
        ));
    }
    let federates = video_federates(video);
    let owner = video.channel.owner.actor.clone();
    let mut conn = state.conn().await?;
    let state = state.clone();
    conn.transaction::<_, FederationError, _>(async move |conn| {
        let comment = VideoComment::approve(conn, comment.id).await?;
        if !federates {
            return Ok(());
        }
        let thread = Thread::load(conn, comment).await?;
        match &thread.author {
            Some(a) if a.actor.is_local() => send_create(conn, &state, thread.comment).await,
            // The author sends its Create again with the approval; we forward that one.
            Some(a) => {
                let approval = thread.approval(&owner.url)?;
                deliver(conn, &approval, owner.id, vec![a.actor.inbox_url.clone()]).await
            }
            None => Ok(()),
        }
    })
    .await
}
