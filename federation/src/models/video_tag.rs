//! A video's tags (`video_tags`), in the order the uploader gave them. The video lists filter on
//! them in `video.rs`, as part of the query of videos.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::schema::video_tags;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = video_tags)]
pub struct VideoTag {
    pub video_id: i64,
    pub name: String,
    pub position: i16,
}

impl VideoTag {
    /// The names of a video's tags, in order.
    pub async fn names(conn: &mut AsyncPgConnection, video_id: i64) -> QueryResult<Vec<String>> {
        video_tags::table
            .filter(video_tags::video_id.eq(video_id))
            .order(video_tags::position.asc())
            .select(video_tags::name)
            .load(conn)
            .await
    }

    /// Replaces a video's tags with `tags`, in this order.
    pub async fn set(
        conn: &mut AsyncPgConnection,
        video_id: i64,
        tags: &[String],
    ) -> QueryResult<()> {
        diesel::delete(video_tags::table.filter(video_tags::video_id.eq(video_id)))
            .execute(conn)
            .await?;
        let rows: Vec<_> = tags
            .iter()
            .enumerate()
            .map(|(i, t)| {
                (
                    video_tags::video_id.eq(video_id),
                    video_tags::name.eq(t),
                    video_tags::position.eq(i as i16),
                )
            })
            .collect();
        if !rows.is_empty() {
            diesel::insert_into(video_tags::table)
                .values(rows)
                .on_conflict_do_nothing()
                .execute(conn)
                .await?;
        }
        Ok(())
    }
}
