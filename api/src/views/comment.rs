//! PeerTube's `VideoComment`, thread lists (`{total, totalNotDeletedComments, data}`) and thread
//! trees (`{comment, children}`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use ferrotube_federation::models::account::AccountFull;
use ferrotube_federation::models::video_comment::VideoComment;
use ferrotube_federation::urls::InstanceUrls;
use serde::Serialize;

use super::account::AccountView;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommentView {
    pub id: i64,
    pub url: Option<String>,
    pub text: String,
    pub thread_id: i64,
    pub in_reply_to_comment_id: Option<i64>,
    pub video_id: i64,
    #[serde(serialize_with = "ferrotube_federation::time::serialize")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "ferrotube_federation::time::serialize")]
    pub updated_at: DateTime<Utc>,
    #[serde(serialize_with = "ferrotube_federation::time::option::serialize")]
    pub deleted_at: Option<DateTime<Utc>>,
    pub held_for_review: bool,
    pub is_deleted: bool,
    pub total_replies_from_video_author: i64,
    pub total_replies: i64,
    pub account: Option<AccountView>,
}

impl CommentView {
    pub fn new(
        urls: &InstanceUrls,
        c: &VideoComment,
        author: Option<&AccountFull>,
        replies: (i64, i64),
    ) -> Self {
        Self {
            id: c.id,
            url: c.url.clone(),
            text: c.text.clone(),
            thread_id: c.thread_id(),
            in_reply_to_comment_id: c.in_reply_to_comment_id,
            video_id: c.video_id,
            created_at: c.created_at,
            updated_at: c.updated_at,
            deleted_at: c.deleted_at,
            held_for_review: c.held_for_review,
            is_deleted: c.is_deleted(),
            total_replies: replies.0,
            total_replies_from_video_author: replies.1,
            account: author.map(|a| AccountView::new(urls, a)),
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommentThreads {
    pub total: i64,
    pub data: Vec<CommentView>,
    pub total_not_deleted_comments: i64,
}

/// `{comment}`, the answer to a created comment.
#[derive(Debug, Serialize)]
pub struct CreatedComment {
    pub comment: CommentView,
}

#[derive(Debug, Serialize)]
pub struct CommentTree {
    pub comment: CommentView,
    pub children: Vec<CommentTree>,
}

impl CommentTree {
    /// The tree of a thread from its comments (root first, in order); authors by account id.
    /// The root carries the thread's reply counts, as in thread lists.
    pub fn build(
        urls: &InstanceUrls,
        comments: &[VideoComment],
        authors: &HashMap<i64, AccountFull>,
        video_account_id: i64,
    ) -> Option<Self> {
        let root = comments.first()?;
        let standing: Vec<&VideoComment> = comments[1..]
            .iter()
            .filter(|c| !c.is_deleted() && !c.held_for_review)
            .collect();
        let by_owner = standing
            .iter()
            .filter(|c| c.account_id == Some(video_account_id))
            .count();
        let root_counts = (standing.len() as i64, by_owner as i64);
        let author = |c: &VideoComment| c.account_id.and_then(|id| authors.get(&id));
        let view = |c: &VideoComment| CommentView::new(urls, c, author(c), (0, 0));
        fn grow(
            id: i64,
            comments: &[VideoComment],
            view: &dyn Fn(&VideoComment) -> CommentView,
        ) -> Vec<CommentTree> {
            comments
                .iter()
                .filter(|c| c.in_reply_to_comment_id == Some(id))
                .map(|c| CommentTree {
                    comment: view(c),
                    children: grow(c.id, comments, view),
                })
                .collect()
        }
        let children = grow(root.id, comments, &view);
        Some(CommentTree {
            comment: CommentView::new(urls, root, author(root), root_counts),
            children,
        })
    }
}
