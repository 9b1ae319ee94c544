//! Videos, local and remote, and their lists (filtered on tags too). Tags themselves are
//! `video_tag.rs`, files `video_file.rs`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::enums::{CommentsPolicy, FollowState, VideoPrivacy, VideoState};
use super::lower;
use crate::schema::{video_tags, videos};

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
    pub privacy: VideoPrivacy,
    pub nsfw: bool,
    pub comments_policy: CommentsPolicy,
    pub download_enabled: bool,
    pub wait_transcoding: bool,
    pub state: VideoState,
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
    pub privacy: VideoPrivacy,
    pub nsfw: bool,
    pub comments_policy: CommentsPolicy,
    pub download_enabled: bool,
    pub wait_transcoding: bool,
    pub state: VideoState,
    pub duration: i32,
    pub aspect_ratio: Option<f32>,
    pub channel_id: i64,
    pub is_local: bool,
    pub thumbnail_filename: Option<String>,
    pub preview_filename: Option<String>,
    pub originally_published_at: Option<DateTime<Utc>>,
}

/// A remote video's row, as its checked Video object gives it (`video::remote`): inserted, or
/// set on the stored copy.
#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = videos)]
pub struct RemoteVideoRow<'a> {
    pub uuid: Uuid,
    pub url: &'a str,
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub support: Option<&'a str>,
    pub category: Option<i32>,
    pub licence: Option<i32>,
    pub language: Option<&'a str>,
    pub privacy: VideoPrivacy,
    pub nsfw: bool,
    pub comments_policy: CommentsPolicy,
    pub download_enabled: bool,
    pub wait_transcoding: bool,
    pub state: VideoState,
    pub duration: i32,
    pub aspect_ratio: Option<f32>,
    pub views: i64,
    pub channel_id: i64,
    pub is_local: bool,
    pub thumbnail_url: Option<&'a str>,
    pub preview_url: Option<&'a str>,
    pub published_at: DateTime<Utc>,
    pub originally_published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub last_fetched_at: DateTime<Utc>,
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
    pub privacy: Option<VideoPrivacy>,
    pub nsfw: Option<bool>,
    pub comments_policy: Option<CommentsPolicy>,
    pub download_enabled: Option<bool>,
    pub wait_transcoding: Option<bool>,
    pub state: Option<VideoState>,
    pub state_error: Option<Option<String>>,
    pub channel_id: Option<i64>,
    pub thumbnail_filename: Option<Option<String>>,
    pub preview_filename: Option<Option<String>>,
    pub published_at: Option<DateTime<Utc>>,
    pub originally_published_at: Option<Option<DateTime<Utc>>>,
    pub updated_at: Option<DateTime<Utc>>,
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
    /// What this actor follows (a user's subscriptions): videos shared by an actor it follows,
    /// or published by a channel or an account it follows, as PeerTube's follower filter.
    FollowedBy(i64),
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
    pub privacy_one_of: Option<Vec<VideoPrivacy>>,
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
        VideoScope::FollowedBy(actor_id) => q.filter(followed_by(actor_id)),
    };
    if !matches!(scope, VideoScope::Owner(_)) {
        // Listed: published, or still transcoding when the owner did not ask to wait.
        q = q.filter(
            videos::state.eq(VideoState::Published).or(videos::state
                .eq(VideoState::ToTranscode)
                .and(videos::wait_transcoding.eq(false))),
        );
        q = match (&f.privacy_one_of, viewer) {
            (Some(p), _) => q.filter(videos::privacy.eq_any(p.clone())),
            (None, Viewer::User { .. }) => {
                q.filter(videos::privacy.eq_any([VideoPrivacy::Public, VideoPrivacy::Internal]))
            }
            (None, Viewer::Anonymous) => q.filter(videos::privacy.eq(VideoPrivacy::Public)),
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

/// Videos shared by an actor `actor_id` follows (accepted), or whose channel or account it
/// follows.
fn followed_by(
    actor_id: i64,
) -> Box<dyn BoxableExpression<videos::table, diesel::pg::Pg, SqlType = diesel::sql_types::Bool>> {
    use crate::schema::{accounts, actor_follows, video_channels, video_shares};
    let accepted = || {
        actor_follows::table
            .filter(actor_follows::actor_id.eq(actor_id))
            .filter(actor_follows::state.eq(FollowState::Accepted))
    };
    let shared = video_shares::table
        .filter(video_shares::actor_id.eq_any(accepted().select(actor_follows::target_actor_id)))
        .select(video_shares::video_id);
    let followed_channels = video_channels::table
        .filter(
            video_channels::actor_id
                .eq_any(accepted().select(actor_follows::target_actor_id))
                .or(video_channels::account_id.eq_any(
                    accounts::table
                        .filter(
                            accounts::actor_id
                                .eq_any(accepted().select(actor_follows::target_actor_id)),
                        )
                        .select(accounts::id),
                )),
        )
        .select(video_channels::id);
    Box::new(
        videos::id
            .eq_any(shared)
            .or(videos::channel_id.eq_any(followed_channels)),
    )
}

impl Video {
    pub async fn insert(conn: &mut AsyncPgConnection, new: &NewVideo) -> QueryResult<Video> {
        diesel::insert_into(videos::table)
            .values(new)
            .returning(Video::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn insert_remote(
        conn: &mut AsyncPgConnection,
        row: &RemoteVideoRow<'_>,
    ) -> QueryResult<Video> {
        diesel::insert_into(videos::table)
            .values(row)
            .returning(Video::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn update_remote(
        conn: &mut AsyncPgConnection,
        id: i64,
        row: &RemoteVideoRow<'_>,
    ) -> QueryResult<Video> {
        diesel::update(videos::table.find(id))
            .set(row)
            .returning(Video::as_returning())
            .get_result(conn)
            .await
    }

    /// Names the files of a video's images (ours, whatever their origin).
    pub async fn set_image_filenames(
        conn: &mut AsyncPgConnection,
        id: i64,
        thumbnail: String,
        preview: Option<String>,
    ) -> QueryResult<Video> {
        diesel::update(videos::table.find(id))
            .set((
                videos::thumbnail_filename.eq(thumbnail),
                videos::preview_filename.eq(preview),
            ))
            .returning(Video::as_returning())
            .get_result(conn)
            .await
    }

    /// The origin's URL of a remote video's thumbnail stored under `filename`.
    pub async fn remote_thumbnail_url(
        conn: &mut AsyncPgConnection,
        filename: &str,
    ) -> QueryResult<Option<String>> {
        videos::table
            .filter(videos::thumbnail_filename.eq(filename))
            .filter(videos::is_local.eq(false))
            .select(videos::thumbnail_url)
            .first(conn)
            .await
            .optional()
            .map(Option::flatten)
    }

    /// The origin's URL of a remote video's preview stored under `filename`.
    pub async fn remote_preview_url(
        conn: &mut AsyncPgConnection,
        filename: &str,
    ) -> QueryResult<Option<String>> {
        videos::table
            .filter(videos::preview_filename.eq(filename))
            .filter(videos::is_local.eq(false))
            .select(videos::preview_url)
            .first(conn)
            .await
            .optional()
            .map(Option::flatten)
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

    /// A remote video's likes and dislikes as its origin counts them (`None`: unknown, kept).
    pub async fn set_remote_rates(
        conn: &mut AsyncPgConnection,
        id: i64,
        likes: Option<i64>,
        dislikes: Option<i64>,
    ) -> QueryResult<()> {
        let remote = videos::table.find(id).filter(videos::is_local.eq(false));
        if let Some(n) = likes {
            diesel::update(remote)
                .set(videos::likes.eq(n))
                .execute(conn)
                .await?;
        }
        if let Some(n) = dislikes {
            diesel::update(remote)
                .set(videos::dislikes.eq(n))
                .execute(conn)
                .await?;
        }
        Ok(())
    }

    pub async fn add_views(conn: &mut AsyncPgConnection, id: i64, n: i64) -> QueryResult<()> {
        diesel::update(videos::table.find(id))
            .set(videos::views.eq(videos::views + n))
            .execute(conn)
            .await
            .map(|_| ())
    }

    pub async fn count_local(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
        videos::table
            .filter(videos::is_local.eq(true))
            .filter(videos::privacy.eq(VideoPrivacy::Public))
            .filter(videos::state.eq(VideoState::Published))
            .count()
            .get_result(conn)
            .await
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
        let tags = super::video_tag::VideoTag::names(conn, video.id).await?;
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
