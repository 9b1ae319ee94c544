//! Web video files: one per resolution, each with its torrent.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::Value;

use crate::schema::video_files;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = video_files)]
pub struct VideoFile {
    pub id: i64,
    pub video_id: i64,
    pub resolution: i32,
    pub size: i64,
    pub extension: String,
    pub fps: i32,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub filename: Option<String>,
    pub torrent_filename: Option<String>,
    pub info_hash: Option<String>,
    pub file_url: Option<String>,
    pub torrent_url: Option<String>,
    pub metadata: Option<Value>,
    pub has_audio: bool,
    pub has_video: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = video_files)]
pub struct NewVideoFile {
    pub video_id: i64,
    pub resolution: i32,
    pub size: i64,
    pub extension: String,
    pub fps: i32,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub filename: Option<String>,
    pub metadata: Option<Value>,
    pub has_audio: bool,
    pub has_video: bool,
}

impl VideoFile {
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        new: &NewVideoFile,
    ) -> QueryResult<VideoFile> {
        diesel::insert_into(video_files::table)
            .values(new)
            .returning(VideoFile::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn find(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<Option<VideoFile>> {
        video_files::table
            .find(id)
            .select(VideoFile::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Highest resolution first, as PeerTube lists them.
    pub async fn for_video(
        conn: &mut AsyncPgConnection,
        video_id: i64,
    ) -> QueryResult<Vec<VideoFile>> {
        video_files::table
            .filter(video_files::video_id.eq(video_id))
            .order((video_files::resolution.desc(), video_files::id.asc()))
            .select(VideoFile::as_select())
            .load(conn)
            .await
    }

    /// The files of several videos in one query (feeds list a page of videos with files),
    /// highest resolution first within each video.
    pub async fn for_videos(
        conn: &mut AsyncPgConnection,
        video_ids: &[i64],
    ) -> QueryResult<Vec<VideoFile>> {
        video_files::table
            .filter(video_files::video_id.eq_any(video_ids))
            .order((
                video_files::video_id.asc(),
                video_files::resolution.desc(),
                video_files::id.asc(),
            ))
            .select(VideoFile::as_select())
            .load(conn)
            .await
    }

    pub async fn find_by_filename(
        conn: &mut AsyncPgConnection,
        filename: &str,
    ) -> QueryResult<Option<VideoFile>> {
        video_files::table
            .filter(video_files::filename.eq(filename))
            .select(VideoFile::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// The privacy of the video a stored file belongs to, in one query: the static file
    /// route asks this on every (often ranged) request.
    pub async fn privacy_by_filename(
        conn: &mut AsyncPgConnection,
        filename: &str,
    ) -> QueryResult<Option<i16>> {
        video_files::table
            .inner_join(crate::schema::videos::table)
            .filter(video_files::filename.eq(filename))
            .select(crate::schema::videos::privacy)
            .first(conn)
            .await
            .optional()
    }

    pub async fn find_by_torrent(
        conn: &mut AsyncPgConnection,
        torrent_filename: &str,
    ) -> QueryResult<Option<VideoFile>> {
        video_files::table
            .filter(video_files::torrent_filename.eq(torrent_filename))
            .select(VideoFile::as_select())
            .first(conn)
            .await
            .optional()
    }

    pub async fn set_torrent(
        conn: &mut AsyncPgConnection,
        id: i64,
        torrent_filename: &str,
        info_hash: &str,
    ) -> QueryResult<()> {
        diesel::update(video_files::table.find(id))
            .set((
                video_files::torrent_filename.eq(torrent_filename),
                video_files::info_hash.eq(info_hash),
                video_files::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)
            .await
            .map(|_| ())
    }

    /// Bytes of the files of the videos in `user_id`'s channels (created after `since` when
    /// set): what counts against the user's video quotas.
    pub async fn bytes_of_user(
        conn: &mut AsyncPgConnection,
        user_id: i64,
        since: Option<DateTime<Utc>>,
    ) -> QueryResult<i64> {
        use crate::schema::{accounts, video_channels, videos};
        use diesel::dsl::sql;
        use diesel::sql_types::BigInt;
        let mut q = video_files::table
            .inner_join(videos::table.inner_join(video_channels::table.inner_join(accounts::table)))
            .filter(accounts::user_id.eq(user_id))
            .into_boxed();
        if let Some(since) = since {
            q = q.filter(video_files::created_at.gt(since));
        }
        // sum(bigint) is numeric in PostgreSQL; bring it back to bigint there.
        q.select(sql::<BigInt>("COALESCE(SUM(video_files.size), 0)::bigint"))
            .first::<i64>(conn)
            .await
    }

    pub async fn delete(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<usize> {
        diesel::delete(video_files::table.find(id))
            .execute(conn)
            .await
    }

    /// Every infohash this instance knows, for the private tracker.
    pub async fn all_info_hashes(conn: &mut AsyncPgConnection) -> QueryResult<Vec<String>> {
        video_files::table
            .filter(video_files::info_hash.is_not_null())
            .select(video_files::info_hash.assume_not_null())
            .load(conn)
            .await
    }
}
