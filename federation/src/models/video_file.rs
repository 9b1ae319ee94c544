//! Video files, each with its torrent: a video's web videos (one per resolution, `video_id`
//! set) and the fragmented MP4s of its HLS playlist (`streaming_playlist_id` set), as PeerTube
//! keeps both in one table. Queries named for web videos never return HLS files.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::Value;

use super::enums::VideoPrivacy;
use crate::schema::video_files;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = video_files)]
pub struct VideoFile {
    pub id: i64,
    /// Set for web videos; HLS files belong to their playlist instead.
    pub video_id: Option<i64>,
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
    pub streaming_playlist_id: Option<i64>,
    /// Remote files: the origin's metadata URL.
    pub metadata_url: Option<String>,
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

/// A remote video's file, as its Video object gives it (`video::remote`).
#[derive(Debug, Insertable)]
#[diesel(table_name = video_files)]
pub struct RemoteVideoFileRow<'a> {
    pub video_id: i64,
    pub resolution: i32,
    pub size: i64,
    pub extension: &'a str,
    pub fps: i32,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub file_url: &'a str,
    pub torrent_url: Option<&'a str>,
    pub info_hash: Option<&'a str>,
    pub has_audio: bool,
    pub has_video: bool,
}

impl VideoFile {
    pub async fn insert_remote(
        conn: &mut AsyncPgConnection,
        row: &RemoteVideoFileRow<'_>,
    ) -> QueryResult<()> {
        diesel::insert_into(video_files::table)
            .values(row)
            .execute(conn)
            .await
            .map(|_| ())
    }

    /// Deletes every file row of a video.
    pub async fn delete_for_video(
        conn: &mut AsyncPgConnection,
        video_id: i64,
    ) -> QueryResult<usize> {
        diesel::delete(video_files::table.filter(video_files::video_id.eq(video_id)))
            .execute(conn)
            .await
    }

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

    /// A web video file by its stored name.
    pub async fn find_by_filename(
        conn: &mut AsyncPgConnection,
        filename: &str,
    ) -> QueryResult<Option<VideoFile>> {
        video_files::table
            .filter(video_files::filename.eq(filename))
            .filter(video_files::video_id.is_not_null())
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
    ) -> QueryResult<Option<VideoPrivacy>> {
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

    /// What counts against `user_id`'s video quotas, as PeerTube counts it: for each video in
    /// the user's channels (created after `since` when set), its largest file among web videos
    /// and HLS renditions.
    pub async fn bytes_of_user(
        conn: &mut AsyncPgConnection,
        user_id: i64,
        since: Option<DateTime<Utc>>,
    ) -> QueryResult<i64> {
        use diesel::sql_types::{BigInt, Nullable, Timestamptz};
        #[derive(QueryableByName)]
        struct Total {
            #[diesel(sql_type = BigInt)]
            total: i64,
        }
        let row: Total = diesel::sql_query(
            "SELECT COALESCE(SUM(size), 0)::bigint AS total FROM ( \
               SELECT MAX(f.size) AS size FROM video_files f \
               LEFT JOIN video_streaming_playlists p ON p.id = f.streaming_playlist_id \
               JOIN videos v ON v.id = COALESCE(f.video_id, p.video_id) \
               JOIN video_channels c ON c.id = v.channel_id \
               JOIN accounts a ON a.id = c.account_id \
               WHERE a.user_id = $1 AND ($2::timestamptz IS NULL OR v.created_at > $2) \
               GROUP BY v.id \
             ) per_video",
        )
        .bind::<BigInt, _>(user_id)
        .bind::<Nullable<Timestamptz>, _>(since)
        .get_result(conn)
        .await?;
        Ok(row.total)
    }

    pub async fn delete(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<usize> {
        diesel::delete(video_files::table.find(id))
            .execute(conn)
            .await
    }

    /// Every torrent infohash this instance knows (web videos and HLS files, local and
    /// remote), for the private tracker.
    pub async fn all_info_hashes(conn: &mut AsyncPgConnection) -> QueryResult<Vec<String>> {
        video_files::table
            .filter(video_files::info_hash.is_not_null())
            .select(video_files::info_hash.assume_not_null())
            .load(conn)
            .await
    }
}

/// A local HLS rendition's fragmented MP4.
#[derive(Debug, Insertable)]
#[diesel(table_name = video_files)]
pub struct NewHlsFile {
    pub streaming_playlist_id: i64,
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

/// A remote HLS rendition, as its Video object gives it.
#[derive(Debug, Insertable)]
#[diesel(table_name = video_files)]
pub struct NewRemoteHlsFile<'a> {
    pub streaming_playlist_id: i64,
    pub resolution: i32,
    pub size: i64,
    pub extension: &'a str,
    pub fps: i32,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub file_url: &'a str,
    pub torrent_url: Option<&'a str>,
    pub info_hash: Option<&'a str>,
    pub metadata_url: Option<&'a str>,
    pub has_audio: bool,
    pub has_video: bool,
}

// HLS renditions.
impl VideoFile {
    /// A rendition of an HLS playlist rather than a web video.
    pub fn is_hls(&self) -> bool {
        self.streaming_playlist_id.is_some()
    }

    pub async fn insert_hls(
        conn: &mut AsyncPgConnection,
        new: &NewHlsFile,
    ) -> QueryResult<VideoFile> {
        diesel::insert_into(video_files::table)
            .values(new)
            .returning(VideoFile::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn insert_remote_hls(
        conn: &mut AsyncPgConnection,
        new: &NewRemoteHlsFile<'_>,
    ) -> QueryResult<VideoFile> {
        diesel::insert_into(video_files::table)
            .values(new)
            .returning(VideoFile::as_returning())
            .get_result(conn)
            .await
    }

    /// The renditions of some HLS playlists, highest resolution first within each.
    pub async fn for_playlists(
        conn: &mut AsyncPgConnection,
        playlist_ids: &[i64],
    ) -> QueryResult<Vec<VideoFile>> {
        video_files::table
            .filter(video_files::streaming_playlist_id.eq_any(playlist_ids))
            .order((video_files::resolution.desc(), video_files::id.asc()))
            .select(VideoFile::as_select())
            .load(conn)
            .await
    }
}
