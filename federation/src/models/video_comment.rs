//! Comments on videos, local and remote: threads (a root comment and its replies), soft deletion
//! (a deleted comment keeps its row, served as a Tombstone), and holding for review.

use chrono::{DateTime, Utc};
use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::schema::{accounts, video_comments};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = video_comments)]
pub struct VideoComment {
    pub id: i64,
    pub url: Option<String>,
    pub text: String,
    pub video_id: i64,
    pub account_id: Option<i64>,
    pub in_reply_to_comment_id: Option<i64>,
    pub origin_comment_id: Option<i64>,
    pub held_for_review: bool,
    pub reply_approval: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = video_comments)]
pub struct NewVideoComment {
    /// `None` for ours: it needs the row's id, set right after.
    pub url: Option<String>,
    pub text: String,
    pub video_id: i64,
    pub account_id: Option<i64>,
    pub in_reply_to_comment_id: Option<i64>,
    pub origin_comment_id: Option<i64>,
    pub held_for_review: bool,
    pub reply_approval: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Who reads a comment list: held comments are shown only to the video's owner and their
/// author.
#[derive(Debug, Clone, Copy, Default)]
pub struct CommentViewer {
    pub account_id: Option<i64>,
    pub is_video_owner: bool,
}

/// A root comment with its reply counts, for thread lists.
#[derive(Debug, Clone)]
pub struct ThreadRoot {
    pub comment: VideoComment,
    pub total_replies: i64,
    pub total_replies_from_video_author: i64,
}

/// How thread lists are sorted (PeerTube's `sort` values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadSort {
    CreatedAt { descending: bool },
    TotalReplies { descending: bool },
}

impl ThreadSort {
    pub fn parse(s: &str) -> Option<Self> {
        let (descending, key) = match s.strip_prefix('-') {
            Some(k) => (true, k),
            None => (false, s),
        };
        match key {
            "createdAt" => Some(Self::CreatedAt { descending }),
            "totalReplies" => Some(Self::TotalReplies { descending }),
            _ => None,
        }
    }
}

impl VideoComment {
    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }

    /// The thread's id: the root comment's.
    pub fn thread_id(&self) -> i64 {
        self.origin_comment_id.unwrap_or(self.id)
    }

    pub async fn insert(
        conn: &mut AsyncPgConnection,
        new: &NewVideoComment,
    ) -> QueryResult<VideoComment> {
        diesel::insert_into(video_comments::table)
            .values(new)
            .returning(VideoComment::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn set_url(
        conn: &mut AsyncPgConnection,
        id: i64,
        url: &str,
    ) -> QueryResult<VideoComment> {
        diesel::update(video_comments::table.find(id))
            .set(video_comments::url.eq(url))
            .returning(VideoComment::as_returning())
            .get_result(conn)
            .await
    }

    /// A remote comment by its URL: created, or its text and dates updated.
    pub async fn upsert_remote(
        conn: &mut AsyncPgConnection,
        new: &NewVideoComment,
    ) -> QueryResult<VideoComment> {
        diesel::insert_into(video_comments::table)
            .values(new)
            .on_conflict(video_comments::url)
            .do_update()
            .set((
                video_comments::text.eq(&new.text),
                video_comments::updated_at.eq(new.updated_at),
                video_comments::reply_approval.eq(&new.reply_approval),
            ))
            .returning(VideoComment::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn find(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<Option<VideoComment>> {
        video_comments::table
            .find(id)
            .select(VideoComment::as_select())
            .first(conn)
            .await
            .optional()
    }

    pub async fn find_by_url(
        conn: &mut AsyncPgConnection,
        url: &str,
    ) -> QueryResult<Option<VideoComment>> {
        video_comments::table
            .filter(video_comments::url.eq(url))
            .select(VideoComment::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// The comment `id` of video `video_id`.
    pub async fn find_in_video(
        conn: &mut AsyncPgConnection,
        video_id: i64,
        id: i64,
    ) -> QueryResult<Option<VideoComment>> {
        video_comments::table
            .filter(video_comments::id.eq(id))
            .filter(video_comments::video_id.eq(video_id))
            .select(VideoComment::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Ancestors of a comment, nearest first (PeerTube follows at most 100 levels).
    pub async fn ancestors(
        conn: &mut AsyncPgConnection,
        comment: &VideoComment,
    ) -> QueryResult<Vec<VideoComment>> {
        let mut out = Vec::new();
        let mut parent = comment.in_reply_to_comment_id;
        while let Some(id) = parent {
            if out.len() >= 100 {
                break;
            }
            let Some(c) = Self::find(conn, id).await? else {
                break;
            };
            parent = c.in_reply_to_comment_id;
            out.push(c);
        }
        Ok(out)
    }

    /// Marks a comment deleted, as PeerTube does: text and author go, the row stays.
    pub async fn mark_deleted(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<VideoComment> {
        let now = Utc::now();
        diesel::update(video_comments::table.find(id))
            .set((
                video_comments::text.eq(""),
                video_comments::account_id.eq(None::<i64>),
                video_comments::deleted_at.eq(Some(now)),
                video_comments::updated_at.eq(now),
            ))
            .returning(VideoComment::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn approve(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<VideoComment> {
        diesel::update(video_comments::table.find(id))
            .set((
                video_comments::held_for_review.eq(false),
                video_comments::updated_at.eq(Utc::now()),
            ))
            .returning(VideoComment::as_returning())
            .get_result(conn)
            .await
    }

    /// Publishes a held comment with the approval its video's origin sent.
    pub async fn set_approved(
        conn: &mut AsyncPgConnection,
        id: i64,
        approval: &str,
    ) -> QueryResult<VideoComment> {
        diesel::update(video_comments::table.find(id))
            .set((
                video_comments::held_for_review.eq(false),
                video_comments::reply_approval.eq(approval),
            ))
            .returning(VideoComment::as_returning())
            .get_result(conn)
            .await
    }

    /// A page of a video's root comments with their reply counts, and how many roots there are.
    pub async fn threads(
        conn: &mut AsyncPgConnection,
        video_id: i64,
        video_account_id: i64,
        viewer: CommentViewer,
        sort: ThreadSort,
        (start, count): (i64, i64),
    ) -> QueryResult<(i64, Vec<ThreadRoot>)> {
        let visible = |q: video_comments::BoxedQuery<'static, diesel::pg::Pg>| {
            if viewer.is_video_owner {
                q
            } else {
                let author = viewer.account_id.unwrap_or(-1);
                q.filter(
                    video_comments::held_for_review
                        .eq(false)
                        .or(video_comments::account_id.eq(author)),
                )
            }
        };
        let roots = || {
            visible(
                video_comments::table
                    .filter(video_comments::video_id.eq(video_id))
                    .filter(video_comments::in_reply_to_comment_id.is_null())
                    .into_boxed(),
            )
        };
        let total: i64 = roots().count().get_result(conn).await?;
        let replies = diesel::alias!(video_comments as replies);
        let reply_count = replies
            .filter(
                replies
                    .field(video_comments::origin_comment_id)
                    .eq(video_comments::id.nullable()),
            )
            .filter(replies.field(video_comments::deleted_at).is_null())
            .filter(replies.field(video_comments::held_for_review).eq(false))
            .select(count_star())
            .single_value()
            .assume_not_null();
        let by_author = replies
            .filter(
                replies
                    .field(video_comments::origin_comment_id)
                    .eq(video_comments::id.nullable()),
            )
            .filter(replies.field(video_comments::deleted_at).is_null())
            .filter(
                replies
                    .field(video_comments::account_id)
                    .eq(video_account_id),
            )
            .select(count_star())
            .single_value()
            .assume_not_null();
        let query = roots().select((VideoComment::as_select(), reply_count, by_author));
        let query = match sort {
            ThreadSort::CreatedAt { descending: true } => {
                query.order((video_comments::created_at.desc(), video_comments::id.desc()))
            }
            ThreadSort::CreatedAt { descending: false } => {
                query.order((video_comments::created_at.asc(), video_comments::id.asc()))
            }
            ThreadSort::TotalReplies { descending } => {
                let q = if descending {
                    query.order(reply_count.desc())
                } else {
                    query.order(reply_count.asc())
                };
                q.then_order_by(video_comments::created_at.desc())
            }
        };
        let rows: Vec<(VideoComment, i64, i64)> =
            query.offset(start).limit(count).load(conn).await?;
        Ok((
            total,
            rows.into_iter()
                .map(|(comment, total_replies, by_author)| ThreadRoot {
                    comment,
                    total_replies,
                    total_replies_from_video_author: by_author,
                })
                .collect(),
        ))
    }

    /// Comments of a video not deleted and not held: PeerTube's `totalNotDeletedComments`.
    pub async fn count_not_deleted(
        conn: &mut AsyncPgConnection,
        video_id: i64,
    ) -> QueryResult<i64> {
        video_comments::table
            .filter(video_comments::video_id.eq(video_id))
            .filter(video_comments::deleted_at.is_null())
            .filter(video_comments::held_for_review.eq(false))
            .count()
            .get_result(conn)
            .await
    }

    /// Every comment of a thread, root first, then replies in the order they came.
    pub async fn thread(
        conn: &mut AsyncPgConnection,
        video_id: i64,
        thread_id: i64,
        viewer: CommentViewer,
    ) -> QueryResult<Vec<VideoComment>> {
        let mut q = video_comments::table
            .filter(video_comments::video_id.eq(video_id))
            .filter(
                video_comments::id
                    .eq(thread_id)
                    .or(video_comments::origin_comment_id.eq(thread_id)),
            )
            .into_boxed();
        if !viewer.is_video_owner {
            let author = viewer.account_id.unwrap_or(-1);
            q = q.filter(
                video_comments::held_for_review
                    .eq(false)
                    .or(video_comments::account_id.eq(author)),
            );
        }
        q.order((video_comments::created_at.asc(), video_comments::id.asc()))
            .select(VideoComment::as_select())
            .load(conn)
            .await
    }

    /// A page of the URLs of a video's published comments (the `comments` collection).
    pub async fn urls_for_collection(
        conn: &mut AsyncPgConnection,
        video_id: i64,
        (start, count): (i64, i64),
    ) -> QueryResult<(i64, Vec<String>)> {
        let base = || {
            video_comments::table
                .filter(video_comments::video_id.eq(video_id))
                .filter(video_comments::held_for_review.eq(false))
                .filter(video_comments::url.is_not_null())
        };
        let total = base().count().get_result(conn).await?;
        let urls: Vec<Option<String>> = base()
            .order((video_comments::created_at.asc(), video_comments::id.asc()))
            .offset(start)
            .limit(count)
            .select(video_comments::url)
            .load(conn)
            .await?;
        Ok((total, urls.into_iter().flatten().collect()))
    }

    /// Comments written on this instance that are not deleted (NodeInfo's `localComments`).
    pub async fn count_local(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
        video_comments::table
            .inner_join(accounts::table.on(accounts::id.nullable().eq(video_comments::account_id)))
            .filter(accounts::user_id.is_not_null())
            .filter(video_comments::deleted_at.is_null())
            .count()
            .get_result(conn)
            .await
    }
}
