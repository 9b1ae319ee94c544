//! Shares (Announces) of videos: ours by the server actor and the channel when a video is
//! published, and remote ones; a video's `shares` collection lists their URLs.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::schema::{video_channels, video_shares, videos};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = video_shares)]
pub struct VideoShare {
    pub id: i64,
    pub url: String,
    pub actor_id: i64,
    pub video_id: i64,
    pub created_at: DateTime<Utc>,
}

impl VideoShare {
    /// Records a share; a repeated Announce by the same actor keeps the first one.
    pub async fn record(
        conn: &mut AsyncPgConnection,
        url: &str,
        actor_id: i64,
        video_id: i64,
    ) -> QueryResult<()> {
        diesel::insert_into(video_shares::table)
            .values((
                video_shares::url.eq(url),
                video_shares::actor_id.eq(actor_id),
                video_shares::video_id.eq(video_id),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await
            .map(|_| ())
    }

    /// Removes the share at `url` made by `actor_id` (an Undo(Announce)); false when none.
    pub async fn remove(
        conn: &mut AsyncPgConnection,
        url: &str,
        actor_id: i64,
    ) -> QueryResult<bool> {
        let n = diesel::delete(
            video_shares::table
                .filter(video_shares::url.eq(url))
                .filter(video_shares::actor_id.eq(actor_id)),
        )
        .execute(conn)
        .await?;
        Ok(n > 0)
    }

    pub async fn find(
        conn: &mut AsyncPgConnection,
        video_id: i64,
        actor_id: i64,
    ) -> QueryResult<Option<VideoShare>> {
        video_shares::table
            .filter(video_shares::video_id.eq(video_id))
            .filter(video_shares::actor_id.eq(actor_id))
            .select(VideoShare::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// The actors that shared videos of this account's channels (PeerTube tells their
    /// followers too when the account changes).
    pub async fn sharers_of_account(
        conn: &mut AsyncPgConnection,
        account_id: i64,
    ) -> QueryResult<Vec<i64>> {
        video_shares::table
            .inner_join(videos::table.inner_join(video_channels::table))
            .filter(video_channels::account_id.eq(account_id))
            .select(video_shares::actor_id)
            .distinct()
            .load(conn)
            .await
    }

    /// The actors that shared videos of this channel.
    pub async fn sharers_of_channel(
        conn: &mut AsyncPgConnection,
        channel_id: i64,
    ) -> QueryResult<Vec<i64>> {
        video_shares::table
            .inner_join(videos::table)
            .filter(videos::channel_id.eq(channel_id))
            .select(video_shares::actor_id)
            .distinct()
            .load(conn)
            .await
    }

    /// A page of the URLs of a video's shares, oldest first, and how many there are.
    pub async fn urls(
        conn: &mut AsyncPgConnection,
        video_id: i64,
        (start, count): (i64, i64),
    ) -> QueryResult<(i64, Vec<String>)> {
        let base = || video_shares::table.filter(video_shares::video_id.eq(video_id));
        let total = base().count().get_result(conn).await?;
        let urls = base()
            .order((video_shares::created_at.asc(), video_shares::id.asc()))
            .offset(start)
            .limit(count)
            .select(video_shares::url)
            .load(conn)
            .await?;
        Ok((total, urls))
    }
}
