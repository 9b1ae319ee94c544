//! A video's HLS streaming playlist: its master playlist and segment hashes (names for local
//! videos, the origin's URLs for remote ones) and its renditions' P2P swarm ids. The renditions
//! themselves are `video_files` rows (see `video_file`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::video_file::VideoFile;
use crate::schema::video_streaming_playlists;

/// PeerTube's `VideoStreamingPlaylistType.HLS`, the only type there is.
pub const HLS: i16 = 1;

/// p2p-media-loader's peer protocol version, part of every swarm id.
pub const P2P_MEDIA_LOADER_PEER_VERSION: i32 = 2;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = video_streaming_playlists)]
pub struct StreamingPlaylist {
    pub id: i64,
    pub video_id: i64,
    #[diesel(column_name = type_)]
    pub kind: i16,
    pub playlist_filename: String,
    pub segments_sha256_filename: Option<String>,
    pub playlist_url: Option<String>,
    pub segments_sha256_url: Option<String>,
    /// One per rendition, in master playlist order.
    pub p2p_media_loader_infohashes: Vec<String>,
    pub p2p_media_loader_peer_version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A playlist with its renditions (highest resolution first), as REST and ActivityPub show it.
#[derive(Debug, Clone)]
pub struct StreamingPlaylistFull {
    pub playlist: StreamingPlaylist,
    pub files: Vec<VideoFile>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = video_streaming_playlists)]
pub struct NewStreamingPlaylist<'a> {
    pub video_id: i64,
    pub playlist_filename: &'a str,
    pub segments_sha256_filename: Option<&'a str>,
    pub playlist_url: Option<&'a str>,
    pub segments_sha256_url: Option<&'a str>,
    pub p2p_media_loader_infohashes: &'a [String],
}

impl StreamingPlaylist {
    /// The video's HLS playlist, created with `new` when it has none yet.
    pub async fn find_or_create(
        conn: &mut AsyncPgConnection,
        new: &NewStreamingPlaylist<'_>,
    ) -> QueryResult<StreamingPlaylist> {
        diesel::insert_into(video_streaming_playlists::table)
            .values(new)
            .on_conflict((
                video_streaming_playlists::video_id,
                video_streaming_playlists::type_,
            ))
            .do_nothing()
            .execute(conn)
            .await?;
        video_streaming_playlists::table
            .filter(video_streaming_playlists::video_id.eq(new.video_id))
            .filter(video_streaming_playlists::type_.eq(HLS))
            .select(StreamingPlaylist::as_select())
            .first(conn)
            .await
    }

    pub async fn insert(
        conn: &mut AsyncPgConnection,
        new: &NewStreamingPlaylist<'_>,
    ) -> QueryResult<StreamingPlaylist> {
        diesel::insert_into(video_streaming_playlists::table)
            .values(new)
            .returning(StreamingPlaylist::as_returning())
            .get_result(conn)
            .await
    }

    /// Records freshly written master and segment-hash files and the swarm ids they give.
    pub async fn set_outputs(
        conn: &mut AsyncPgConnection,
        id: i64,
        playlist_filename: &str,
        segments_sha256_filename: &str,
        infohashes: &[String],
    ) -> QueryResult<()> {
        diesel::update(video_streaming_playlists::table.find(id))
            .set((
                video_streaming_playlists::playlist_filename.eq(playlist_filename),
                video_streaming_playlists::segments_sha256_filename
                    .eq(Some(segments_sha256_filename)),
                video_streaming_playlists::p2p_media_loader_infohashes.eq(infohashes),
                video_streaming_playlists::p2p_media_loader_peer_version
                    .eq(P2P_MEDIA_LOADER_PEER_VERSION),
                video_streaming_playlists::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)
            .await
            .map(|_| ())
    }

    /// New swarm ids, when the master playlist's URL changed (a privacy change).
    pub async fn set_infohashes(
        conn: &mut AsyncPgConnection,
        id: i64,
        infohashes: &[String],
    ) -> QueryResult<()> {
        diesel::update(video_streaming_playlists::table.find(id))
            .set((
                video_streaming_playlists::p2p_media_loader_infohashes.eq(infohashes),
                video_streaming_playlists::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)
            .await
            .map(|_| ())
    }

    /// Removes a video's playlists, and with them (by cascade) their renditions' rows.
    pub async fn delete_for_video(
        conn: &mut AsyncPgConnection,
        video_id: i64,
    ) -> QueryResult<Vec<StreamingPlaylist>> {
        diesel::delete(
            video_streaming_playlists::table
                .filter(video_streaming_playlists::video_id.eq(video_id)),
        )
        .returning(StreamingPlaylist::as_returning())
        .get_results(conn)
        .await
    }

    /// Every swarm id of every playlist, for the private tracker.
    pub async fn all_infohashes(conn: &mut AsyncPgConnection) -> QueryResult<Vec<String>> {
        let lists: Vec<Vec<String>> = video_streaming_playlists::table
            .select(video_streaming_playlists::p2p_media_loader_infohashes)
            .load(conn)
            .await?;
        Ok(lists.into_iter().flatten().collect())
    }
}

impl StreamingPlaylistFull {
    /// The playlists of a video with their renditions.
    pub async fn for_video(
        conn: &mut AsyncPgConnection,
        video_id: i64,
    ) -> QueryResult<Vec<StreamingPlaylistFull>> {
        Ok(Self::for_videos(conn, &[video_id])
            .await?
            .remove(&video_id)
            .unwrap_or_default())
    }

    /// The playlists of several videos (a page of a list), by video id, in two queries.
    pub async fn for_videos(
        conn: &mut AsyncPgConnection,
        video_ids: &[i64],
    ) -> QueryResult<HashMap<i64, Vec<StreamingPlaylistFull>>> {
        let playlists: Vec<StreamingPlaylist> = video_streaming_playlists::table
            .filter(video_streaming_playlists::video_id.eq_any(video_ids))
            .order(video_streaming_playlists::id.asc())
            .select(StreamingPlaylist::as_select())
            .load(conn)
            .await?;
        let ids: Vec<i64> = playlists.iter().map(|p| p.id).collect();
        let mut files: HashMap<i64, Vec<VideoFile>> = HashMap::new();
        for f in VideoFile::for_playlists(conn, &ids).await? {
            if let Some(p) = f.streaming_playlist_id {
                files.entry(p).or_default().push(f);
            }
        }
        let mut out: HashMap<i64, Vec<StreamingPlaylistFull>> = HashMap::new();
        for playlist in playlists {
            let files = files.remove(&playlist.id).unwrap_or_default();
            out.entry(playlist.video_id)
                .or_default()
                .push(StreamingPlaylistFull { playlist, files });
        }
        Ok(out)
    }
}
