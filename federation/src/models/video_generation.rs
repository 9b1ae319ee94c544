//! `video_generation`: one counter, bumped by a trigger on every change to videos or their
//! tags, so that a cached list total stays exact while the generation it was counted at is
//! current.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::schema::video_generation;

/// The current generation.
pub async fn current(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
    video_generation::table
        .select(video_generation::n)
        .first(conn)
        .await
}
