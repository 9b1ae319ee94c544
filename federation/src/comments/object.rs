//! A stored comment as ActivityPub: its Note (or Tombstone), the Create that carries it and the
//! ApproveReply of a reply to one of our videos, as PeerTube builds them.

use diesel_async::AsyncPgConnection;

use crate::activities::approve_reply::ApproveReply;
use crate::activities::create::{Create, CreateObject};
use crate::error::FederationError;
use crate::models::account::AccountFull;
use crate::models::video::Video;
use crate::models::video_comment::VideoComment;
use crate::protocol::note::{CommentObject, Mention, NoteObject, NoteTag};
use crate::protocol::tombstone::Tombstone;
use crate::protocol::{Audience, HttpUrl, public, url};
use crate::urls::InstanceUrls;

/// A comment with what its documents need: its video, author and ancestors (nearest first).
#[derive(Debug, Clone)]
pub struct Thread {
    pub comment: VideoComment,
    pub video: Video,
    pub author: Option<AccountFull>,
    pub ancestors: Vec<(VideoComment, Option<AccountFull>)>,
}

impl Thread {
    pub async fn load(
        conn: &mut AsyncPgConnection,
        comment: VideoComment,
    ) -> Result<Self, FederationError> {
        let video = Video::find(conn, comment.video_id)
            .await?
            .ok_or_else(|| FederationError::NotFound("the comment's video is gone".into()))?;
        let author = match comment.account_id {
            Some(id) => AccountFull::load(conn, id).await?,
            None => None,
        };
        let mut ancestors = Vec::new();
        for c in VideoComment::ancestors(conn, &comment).await? {
            let a = match c.account_id {
                Some(id) => AccountFull::load(conn, id).await?,
                None => None,
            };
            ancestors.push((c, a));
        }
        Ok(Self {
            comment,
            video,
            author,
            ancestors,
        })
    }

    pub fn url(&self) -> Result<HttpUrl, FederationError> {
        url(self.comment.url.as_deref().unwrap_or_default())
    }

    /// The video, or the parent comment.
    pub fn in_reply_to(&self) -> Result<HttpUrl, FederationError> {
        match self.ancestors.first() {
            Some((parent, _)) => url(parent.url.as_deref().unwrap_or_default()),
            None => url(&self.video.url),
        }
    }

    /// Ancestors still standing (not deleted, not held), with their authors: the people a
    /// reply is addressed to.
    pub fn parent_authors(&self) -> Vec<&AccountFull> {
        self.ancestors
            .iter()
            .filter(|(c, _)| !c.is_deleted() && !c.held_for_review)
            .filter_map(|(_, a)| a.as_ref())
            .collect()
    }

    /// `{comment}/approve-reply`, for a published comment on one of our videos.
    fn approval_url(&self) -> Option<String> {
        (self.video.is_local && !self.comment.held_for_review).then(|| {
            format!(
                "{}/approve-reply",
                self.comment.url.as_deref().unwrap_or("")
            )
        })
    }

    /// The Note (a Tombstone once deleted), audience P of its author as PeerTube serves it.
    pub fn object(&self, urls: &InstanceUrls) -> Result<CommentObject, FederationError> {
        let c = &self.comment;
        if c.is_deleted() {
            return Ok(CommentObject::Tombstone(Box::new(Tombstone {
                kind: Default::default(),
                id: self.url()?,
                former_type: Some("Note".into()),
                in_reply_to: Some(self.in_reply_to()?.into()),
                published: Some(c.created_at),
                updated: Some(c.updated_at),
                deleted: c.deleted_at,
            })));
        }
        let author = self
            .author
            .as_ref()
            .ok_or_else(|| FederationError::NotFound("the comment has no author".into()))?;
        let mut tag = Vec::new();
        for (_, a) in &self.ancestors {
            let Some(a) = a else { continue };
            let host = a
                .server
                .as_ref()
                .map_or_else(|| urls.host.clone(), |s| s.host.clone());
            tag.push(NoteTag::Mention(Mention {
                kind: Default::default(),
                href: url(&a.actor.url)?,
                name: format!("@{}@{host}", a.actor.preferred_username),
            }));
        }
        let followers = author.actor.followers_url.as_deref().map(url).transpose()?;
        let reply_approval = match self.approval_url() {
            Some(u) => Some(url(&u)?),
            None => c.reply_approval.as_deref().map(url).transpose()?,
        };
        Ok(CommentObject::Note(Box::new(NoteObject {
            to: vec![public()],
            cc: followers.into_iter().collect(),
            kind: Default::default(),
            id: self.url()?,
            content: c.text.clone(),
            media_type: Some("text/markdown".into()),
            in_reply_to: self.in_reply_to()?.into(),
            updated: Some(c.updated_at),
            published: c.created_at,
            url: c.url.clone(),
            attributed_to: url(&author.actor.url)?.into(),
            reply_approval,
            tag,
        })))
    }

    /// The Create of the comment by its author with `to`/`cc`, or `None` once deleted.
    pub fn create(
        &self,
        urls: &InstanceUrls,
        to: Audience,
        cc: Audience,
    ) -> Result<Option<Create>, FederationError> {
        let CommentObject::Note(mut note) = self.object(urls)? else {
            return Ok(None);
        };
        let Some(author) = &self.author else {
            return Ok(None);
        };
        note.to.clone_from(&to);
        note.cc.clone_from(&cc);
        Ok(Some(Create {
            to,
            cc,
            kind: Default::default(),
            id: url(&format!("{}/activity", self.url()?))?,
            actor: url(&author.actor.url)?.into(),
            object: CreateObject::Note(note),
        }))
    }

    /// The ApproveReply of this comment by `video_owner` (our video's account).
    pub fn approval(&self, video_owner: &str) -> Result<ApproveReply, FederationError> {
        Ok(ApproveReply {
            kind: Default::default(),
            id: url(&format!("{}/approve-reply", self.url()?))?,
            actor: url(video_owner)?.into(),
            in_reply_to: self.in_reply_to()?.into(),
            object: self.url()?.into(),
            to: Vec::new(),
            cc: Vec::new(),
        })
    }
}
