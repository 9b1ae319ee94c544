//! Likes and dislikes of videos, one per actor and video, stored under their activity URL so
//! that it stays fetchable; the video's `likes` and `dislikes` counters follow them.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::schema::{video_rates, videos};

/// Re-exported beside the table that stores it.
pub use super::enums::Rating;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = video_rates)]
pub struct VideoRate {
    pub id: i64,
    pub actor_id: i64,
    pub video_id: i64,
    pub kind: Rating,
    pub url: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl VideoRate {
    /// Sets `actor_id`'s rating of the video (replacing the other kind), then the counters.
    pub async fn set(
        conn: &mut AsyncPgConnection,
        actor_id: i64,
        video_id: i64,
        rating: Rating,
        url: Option<&str>,
    ) -> QueryResult<()> {
        diesel::insert_into(video_rates::table)
            .values((
                video_rates::actor_id.eq(actor_id),
                video_rates::video_id.eq(video_id),
                video_rates::kind.eq(rating),
                video_rates::url.eq(url),
            ))
            .on_conflict((video_rates::actor_id, video_rates::video_id))
            .do_update()
            .set((video_rates::kind.eq(rating), video_rates::url.eq(url)))
            .execute(conn)
            .await?;
        Self::recount(conn, video_id).await
    }

    /// Removes `actor_id`'s rating of the video, then the counters. The removed row, if any.
    pub async fn remove(
        conn: &mut AsyncPgConnection,
        actor_id: i64,
        video_id: i64,
    ) -> QueryResult<Option<VideoRate>> {
        let removed = diesel::delete(
            video_rates::table
                .filter(video_rates::actor_id.eq(actor_id))
                .filter(video_rates::video_id.eq(video_id)),
        )
        .returning(VideoRate::as_returning())
        .get_result(conn)
        .await
        .optional()?;
        Self::recount(conn, video_id).await?;
        Ok(removed)
    }

    pub async fn find(
        conn: &mut AsyncPgConnection,
        actor_id: i64,
        video_id: i64,
    ) -> QueryResult<Option<VideoRate>> {
        video_rates::table
            .filter(video_rates::actor_id.eq(actor_id))
            .filter(video_rates::video_id.eq(video_id))
            .select(VideoRate::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// A page of the activity URLs of a video's rates of one kind, and how many there are.
    pub async fn urls(
        conn: &mut AsyncPgConnection,
        video_id: i64,
        rating: Rating,
        (start, count): (i64, i64),
    ) -> QueryResult<(i64, Vec<String>)> {
        let base = || {
            video_rates::table
                .filter(video_rates::video_id.eq(video_id))
                .filter(video_rates::kind.eq(rating))
                .filter(video_rates::url.is_not_null())
        };
        let total = base().count().get_result(conn).await?;
        let urls: Vec<Option<String>> = base()
            .order((video_rates::created_at.asc(), video_rates::id.asc()))
            .offset(start)
            .limit(count)
            .select(video_rates::url)
            .load(conn)
            .await?;
        Ok((total, urls.into_iter().flatten().collect()))
    }

    /// The video's `likes` and `dislikes` from its rates.
    async fn recount(conn: &mut AsyncPgConnection, video_id: i64) -> QueryResult<()> {
        let count = |kind: Rating| {
            video_rates::table
                .filter(video_rates::video_id.eq(video_id))
                .filter(video_rates::kind.eq(kind))
                .select(diesel::dsl::count_star())
                .single_value()
                .assume_not_null()
        };
        diesel::update(videos::table.find(video_id))
            .set((
                videos::likes.eq(count(Rating::Like)),
                videos::dislikes.eq(count(Rating::Dislike)),
            ))
            .execute(conn)
            .await
            .map(|_| ())
    }
}
