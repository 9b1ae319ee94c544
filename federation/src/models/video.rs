//! Videos, local and remote, with their tags.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::lower;
use crate::schema::{video_tags, videos};
use crate::video::{privacy, state};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = videos)]
pub struct Video {
    pub id: i64,
    pub uuid: Uuid,
    pub url: String,
    pub name: String,
    pub description: Option<String>,
    pub support: Option<String>,
    pub category: Option<i32>,
    pub licence: Option<i32>,
    pub language: Option<String>,
    pub privacy: i16,
    pub nsfw: bool,
    pub comments_policy: i16,
    pub download_enabled: bool,
    pub wait_transcoding: bool,
    pub state: i16,
    pub state_error: Option<String>,
    pub duration: i32,
    pub aspect_ratio: Option<f32>,
    pub views: i64,
    pub likes: i64,
    pub dislikes: i64,
    pub channel_id: i64,
    pub is_local: bool,
    pub thumbnail_filename: Option<String>,
    pub preview_filename: Option<String>,
    pub thumbnail_url: Option<String>,
    pub preview_url: Option<String>,
    pub last_fetched_at: Option<DateTime<Utc>>,
    pub published_at: DateTime<Utc>,
    pub originally_published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = videos)]
pub struct NewVideo {
    pub uuid: Uuid,
    pub url: String,
    pub name: String,
    pub description: Option<String>,
    pub support: Option<String>,
    pub category: Option<i32>,
    pub licence: Option<i32>,
    pub language: Option<String>,
    pub privacy: i16,
    pub nsfw: bool,
    pub comments_policy: i16,
    pub download_enabled: bool,
    pub wait_transcoding: bool,
    pub state: i16,
    pub duration: i32,
    pub aspect_ratio: Option<f32>,
    pub channel_id: i64,
    pub is_local: bool,
    pub thumbnail_filename: Option<String>,
    pub preview_filename: Option<String>,
    pub originally_published_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = videos)]
pub struct VideoChanges {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub support: Option<Option<String>>,
    pub category: Option<Option<i32>>,
    pub licence: Option<Option<i32>>,
    pub language: Option<Option<String>>,
    pub privacy: Option<i16>,
    pub nsfw: Option<bool>,
    pub comments_policy: Option<i16>,
    pub download_enabled: Option<bool>,
    pub wait_transcoding: Option<bool>,
    pub state: Option<i16>,
    pub state_error: Option<Option<String>>,
    pub channel_id: Option<i64>,
    pub thumbnail_filename: Option<Option<String>>,
    pub preview_filename: Option<Option<String>>,
    pub published_at: Option<DateTime<Utc>>,
    pub originally_published_at: Option<Option<DateTime<Utc>>>,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(QueryableByName)]
struct Generation {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Who is looking, which decides what a list shows.
#[derive(Debug, Clone, Copy)]
pub enum Viewer {
    Anonymous,
    /// A logged-in user: internal videos are listed too.
    User {
        user_id: i64,
    },
}

/// Which videos a list draws from.
#[derive(Debug, Clone, Copy)]
pub enum VideoScope {
    All,
    Account(i64),
    Channel(i64),
    /// The owner's own videos, whatever their privacy and state.
    Owner(i64),
}

#[derive(Debug, Clone, Default)]
pub struct VideoFilters {
    pub category_one_of: Vec<i32>,
    pub licence_one_of: Vec<i32>,
    pub language_one_of: Vec<String>,
    pub tags_one_of: Vec<String>,
    pub tags_all_of: Vec<String>,
    /// None: both.
    pub nsfw: Option<bool>,
    pub is_local: Option<bool>,
    /// Set only for callers allowed to see every privacy.
    pub privacy_one_of: Option<Vec<i16>>,
    pub search: Option<String>,
}

pub const VIDEO_SORTS: &[&str] = &[
    "name",
    "duration",
    "createdAt",
    "publishedAt",
    "originallyPublishedAt",
    "views",
    "likes",
    "trending",
    "hot",
    "best",
    "match",
];

type Boxed<'a> = videos::BoxedQuery<'a, diesel::pg::Pg>;

fn filtered<'a>(scope: VideoScope, viewer: Viewer, f: &'a VideoFilters) -> Boxed<'a> {
    let mut q = videos::table.into_boxed();
    q = match scope {
        VideoScope::All => q,
        VideoScope::Channel(id) => q.filter(videos::channel_id.eq(id)),
        VideoScope::Account(id) | VideoScope::Owner(id) => q.filter(
            videos::channel_id.eq_any(
                crate::schema::video_channels::table
                    .filter(crate::schema::video_channels::account_id.eq(id))
                    .select(crate::schema::video_channels::id),
            ),
        ),
    };
    if !matches!(scope, VideoScope::Owner(_)) {
        // Listed: published, or still transcoding when the owner did not ask to wait.
        q = q.filter(
            videos::state.eq(state::PUBLISHED).or(videos::state
                .eq(state::TO_TRANSCODE)
                .and(videos::wait_transcoding.eq(false))),
        );
        q = match (&f.privacy_one_of, viewer) {
            (Some(p), _) => q.filter(videos::privacy.eq_any(p.clone())),
            (None, Viewer::User { .. }) => {
                q.filter(videos::privacy.eq_any(vec![privacy::PUBLIC, privacy::INTERNAL]))
            }
            (None, Viewer::Anonymous) => q.filter(videos::privacy.eq(privacy::PUBLIC)),
        };
    } else if let Some(p) = &f.privacy_one_of {
        q = q.filter(videos::privacy.eq_any(p.clone()));
    }
    if !f.category_one_of.is_empty() {
        q = q.filter(videos::category.eq_any(f.category_one_of.clone()));
    }
    if !f.licence_one_of.is_empty() {
        q = q.filter(videos::licence.eq_any(f.licence_one_of.clone()));
    }
    if !f.language_one_of.is_empty() {
        let unknown = f.language_one_of.iter().any(|l| l == "_unknown");
        let langs: Vec<String> = f
            .language_one_of
            .iter()
            .filter(|l| *l != "_unknown")
            .cloned()
            .collect();
        q = if unknown {
            q.filter(
                videos::language
                    .eq_any(langs)
                    .or(videos::language.is_null()),
            )
        } else {
            q.filter(videos::language.eq_any(langs))
        };
    }
    if !f.tags_one_of.is_empty() {
        let tags: Vec<String> = f.tags_one_of.iter().map(|t| t.to_lowercase()).collect();
        q = q.filter(
            videos::id.eq_any(
                video_tags::table
                    .filter(lower(video_tags::name).eq_any(tags))
                    .select(video_tags::video_id),
            ),
        );
    }
    for tag in &f.tags_all_of {
        q = q.filter(
            videos::id.eq_any(
                video_tags::table
                    .filter(lower(video_tags::name).eq(tag.to_lowercase()))
                    .select(video_tags::video_id),
            ),
        );
    }
    if let Some(nsfw) = f.nsfw {
        q = q.filter(videos::nsfw.eq(nsfw));
    }
    if let Some(local) = f.is_local {
        q = q.filter(videos::is_local.eq(local));
    }
    if let Some(search) = &f.search {
        let pattern = format!(
            "%{}%",
            search
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        q = q.filter(
            lower(videos::name)
                .like(pattern.clone())
                .or(lower(videos::description.assume_not_null()).like(pattern.clone()))
                .or(videos::id.eq_any(
                    video_tags::table
                        .filter(lower(video_tags::name).like(pattern))
                        .select(video_tags::video_id),
                )),
        );
    }
    q
}

impl Video {
    pub async fn insert(conn: &mut AsyncPgConnection, new: &NewVideo) -> QueryResult<Video> {
        diesel::insert_into(videos::table)
            .values(new)
            .returning(Video::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn find(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<Option<Video>> {
        videos::table
            .find(id)
            .select(Video::as_select())
            .first(conn)
            .await
            .optional()
    }

    pub async fn find_by_uuid(
        conn: &mut AsyncPgConnection,
        uuid: Uuid,
    ) -> QueryResult<Option<Video>> {
        videos::table
            .filter(videos::uuid.eq(uuid))
            .select(Video::as_select())
            .first(conn)
            .await
            .optional()
    }

    pub async fn find_by_url(
        conn: &mut AsyncPgConnection,
        url: &str,
    ) -> QueryResult<Option<Video>> {
        videos::table
            .filter(videos::url.eq(url))
            .select(Video::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// By numeric id, UUID or short UUID, as PeerTube's routes accept.
    pub async fn find_by_any_id(
        conn: &mut AsyncPgConnection,
        id: &str,
    ) -> QueryResult<Option<Video>> {
        if let Ok(n) = id.parse::<i64>() {
            return Self::find(conn, n).await;
        }
        if let Ok(uuid) = Uuid::parse_str(id) {
            return Self::find_by_uuid(conn, uuid).await;
        }
        match crate::video::short_uuid::decode(id) {
            Some(uuid) => Self::find_by_uuid(conn, uuid).await,
            None => Ok(None),
        }
    }

    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: i64,
        changes: &VideoChanges,
    ) -> QueryResult<()> {
        diesel::update(videos::table.find(id))
            .set(changes)
            .execute(conn)
            .await
            .map(|_| ())
    }

    pub async fn delete(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<usize> {
        diesel::delete(videos::table.find(id)).execute(conn).await
    }

    pub async fn add_views(conn: &mut AsyncPgConnection, id: i64, n: i64) -> QueryResult<()> {
        diesel::update(videos::table.find(id))
            .set(videos::views.eq(videos::views + n))
            .execute(conn)
            .await
            .map(|_| ())
    }

    pub async fn tags(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<Vec<String>> {
        video_tags::table
            .filter(video_tags::video_id.eq(id))
            .order(video_tags::position.asc())
            .select(video_tags::name)
            .load(conn)
            .await
    }

    pub async fn set_tags(
        conn: &mut AsyncPgConnection,
        id: i64,
        tags: &[String],
    ) -> QueryResult<()> {
        diesel::delete(video_tags::table.filter(video_tags::video_id.eq(id)))
            .execute(conn)
            .await?;
        let rows: Vec<_> = tags
            .iter()
            .enumerate()
            .map(|(i, t)| {
                (
                    video_tags::video_id.eq(id),
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

    pub async fn count_local(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
        videos::table
            .filter(videos::is_local.eq(true))
            .filter(videos::privacy.eq(privacy::PUBLIC))
            .filter(videos::state.eq(state::PUBLISHED))
            .count()
            .get_result(conn)
            .await
    }

    /// Bumped by a trigger on every change to videos or tags.
    pub async fn generation(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
        diesel::sql_query("SELECT n FROM video_generation")
            .get_result::<Generation>(conn)
            .await
            .map(|g| g.n)
    }

    /// How many videos a list shows in all.
    pub async fn count_listed(
        conn: &mut AsyncPgConnection,
        scope: VideoScope,
        viewer: Viewer,
        filters: &VideoFilters,
    ) -> QueryResult<i64> {
        filtered(scope, viewer, filters)
            .count()
            .get_result(conn)
            .await
    }

    /// One page of a list and the total, with the list rules of `scope` and `viewer`.
    pub async fn list(
        conn: &mut AsyncPgConnection,
        scope: VideoScope,
        viewer: Viewer,
        filters: &VideoFilters,
        sort: &str,
        start: i64,
        count: i64,
    ) -> QueryResult<(i64, Vec<Video>)> {
        let total = Self::count_listed(conn, scope, viewer, filters).await?;
        let rows = Self::page(conn, scope, viewer, filters, sort, start, count).await?;
        Ok((total, rows))
    }

    /// One page of a list, without its total.
    pub async fn page(
        conn: &mut AsyncPgConnection,
        scope: VideoScope,
        viewer: Viewer,
        filters: &VideoFilters,
        sort: &str,
        start: i64,
        count: i64,
    ) -> QueryResult<Vec<Video>> {
        let q = filtered(scope, viewer, filters).select(Video::as_select());
        let q = match sort {
            "name" => q.order(videos::name.asc()),
            "-name" => q.order(videos::name.desc()),
            "duration" => q.order(videos::duration.asc()),
            "-duration" => q.order(videos::duration.desc()),
            "createdAt" => q.order(videos::created_at.asc()),
            "-createdAt" => q.order(videos::created_at.desc()),
            "publishedAt" => q.order(videos::published_at.asc()),
            "originallyPublishedAt" => q.order(videos::originally_published_at.asc().nulls_last()),
            "-originallyPublishedAt" => {
                q.order(videos::originally_published_at.desc().nulls_last())
            }
            "views" => q.order(videos::views.asc()),
            "-views" | "-trending" | "trending" | "-hot" | "hot" | "-best" | "best" => {
                q.order((videos::views.desc(), videos::published_at.desc()))
            }
            "likes" => q.order(videos::likes.asc()),
            "-likes" => q.order(videos::likes.desc()),
            "-match" | "match" => match &filters.search {
                Some(s) => q.order(
                    diesel::dsl::sql::<diesel::sql_types::Float>("similarity(lower(videos.name), ")
                        .bind::<diesel::sql_types::Text, _>(s.to_lowercase())
                        .sql(") DESC"),
                ),
                None => q.order(videos::published_at.desc()),
            },
            _ => q.order(videos::published_at.desc()),
        };
        q.then_order_by(videos::id.desc())
            .offset(start)
            .limit(count)
            .load(conn)
            .await
    }
}

/// A video with what its JSON needs: channel (with owner), tags, web video files and HLS
/// playlists.
#[derive(Debug, Clone)]
pub struct VideoFull {
    pub video: Video,
    pub channel: super::channel::ChannelFull,
    pub tags: Vec<String>,
    /// Web videos only; HLS renditions are in `streaming_playlists`.
    pub files: Vec<super::video_file::VideoFile>,
    pub streaming_playlists: Vec<super::video_streaming_playlist::StreamingPlaylistFull>,
}

impl VideoFull {
    pub async fn load(conn: &mut AsyncPgConnection, video: Video) -> QueryResult<Option<Self>> {
        let Some(channel) = super::channel::ChannelFull::load(conn, video.channel_id).await? else {
            return Ok(None);
        };
        let tags = Video::tags(conn, video.id).await?;
        let files = super::video_file::VideoFile::for_video(conn, video.id).await?;
        let streaming_playlists =
            super::video_streaming_playlist::StreamingPlaylistFull::for_video(conn, video.id)
                .await?;
        Ok(Some(Self {
            video,
            channel,
            tags,
            files,
            streaming_playlists,
        }))
    }

    /// The HLS playlist, when the video has one (what a player plays).
    pub fn hls(&self) -> Option<&super::video_streaming_playlist::StreamingPlaylistFull> {
        <[_]>::first(&self.streaming_playlists)
    }

    /// Every infohash the tracker knows the video by: its files' torrents (web videos and HLS
    /// renditions) and its HLS swarm ids.
    pub fn tracker_infohashes(&self) -> Vec<String> {
        let hls = self.streaming_playlists.iter();
        self.files
            .iter()
            .chain(hls.clone().flat_map(|p| p.files.iter()))
            .filter_map(|f| f.info_hash.clone())
            .chain(hls.flat_map(|p| p.playlist.p2p_media_loader_infohashes.iter().cloned()))
            .collect()
    }

    pub fn owner_user_id(&self) -> Option<i64> {
        self.channel.owner.account.user_id
    }
}

/// The channels of a page of videos, loaded together.
pub async fn channels_of(
    conn: &mut AsyncPgConnection,
    videos: &[Video],
) -> QueryResult<std::collections::HashMap<i64, super::channel::ChannelFull>> {
    let mut ids: Vec<i64> = videos.iter().map(|v| v.channel_id).collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(super::channel::ChannelFull::load_many(conn, &ids)
        .await?
        .into_iter()
        .map(|c| (c.channel.id, c))
        .collect())
}
