//! Local users: credentials, role, quotas and preferences. Each has one Person account.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::lower;
use crate::schema::users;

/// Re-exported beside the table that stores it.
pub use super::enums::Role;

impl Role {
    pub fn has_right(self, right: UserRight) -> bool {
        match self {
            Self::Administrator => true,
            Self::Moderator => MODERATOR_RIGHTS.contains(&right),
            Self::User => false,
        }
    }
}

/// PeerTube's `UserRight` numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserRight {
    All = 0,
    ManageUsers = 1,
    ManageServerFollow = 2,
    ManageLogs = 3,
    ManageDebug = 4,
    ManageServerRedundancy = 5,
    ManageAbuses = 6,
    ManageJobs = 7,
    ManageConfiguration = 8,
    ManageInstanceCustomPage = 9,
    ManageAccountsBlocklist = 10,
    ManageServersBlocklist = 11,
    ManageVideoBlacklist = 12,
    ManageAnyVideoChannel = 13,
    RemoveAnyVideo = 14,
    RemoveAnyVideoPlaylist = 15,
    ManageAnyVideoComment = 16,
    UpdateAnyVideo = 17,
    UpdateAnyVideoPlaylist = 18,
    GetAnyLive = 19,
    SeeAllVideos = 20,
    SeeAllComments = 21,
    ChangeVideoOwnership = 22,
    ManagePlugins = 23,
    ManageVideosRedundancies = 24,
    ManageVideoFiles = 25,
    RunVideoTranscoding = 26,
    ManageVideoImports = 27,
    ManageRegistrations = 28,
    ManageRunners = 29,
    ManageUserExports = 30,
    ManageUserImports = 31,
    ManageInstanceWatchedWords = 32,
    ManageInstanceAutoTags = 33,
}

/// What PeerTube gives moderators.
const MODERATOR_RIGHTS: &[UserRight] = &[
    UserRight::ManageVideoBlacklist,
    UserRight::ManageAbuses,
    UserRight::ManageAnyVideoChannel,
    UserRight::RemoveAnyVideo,
    UserRight::RemoveAnyVideoPlaylist,
    UserRight::ManageAnyVideoComment,
    UserRight::UpdateAnyVideo,
    UserRight::SeeAllVideos,
    UserRight::ManageAccountsBlocklist,
    UserRight::ManageServersBlocklist,
    UserRight::ManageUsers,
    UserRight::SeeAllComments,
    UserRight::ManageRegistrations,
    UserRight::ManageInstanceWatchedWords,
    UserRight::ManageInstanceAutoTags,
];

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub pending_email: Option<String>,
    pub email_verified: Option<bool>,
    pub email_public: bool,
    pub password_hash: String,
    pub role: Role,
    pub video_quota: i64,
    pub video_quota_daily: i64,
    pub nsfw_policy: String,
    pub p2p_enabled: bool,
    pub videos_history_enabled: bool,
    pub auto_play_video: bool,
    pub auto_play_next_video: bool,
    pub auto_play_next_video_playlist: bool,
    pub video_languages: Option<Vec<String>>,
    pub theme: String,
    pub no_instance_config_warning_modal: bool,
    pub no_welcome_modal: bool,
    pub no_account_setup_warning_modal: bool,
    pub admin_flags: i32,
    pub blocked: bool,
    pub blocked_reason: Option<String>,
    pub last_login_date: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser {
    pub username: String,
    pub email: String,
    pub email_verified: Option<bool>,
    pub password_hash: String,
    pub role: Role,
    pub video_quota: i64,
    pub video_quota_daily: i64,
    pub nsfw_policy: String,
    pub admin_flags: i32,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub email: Option<String>,
    pub email_verified: Option<Option<bool>>,
    pub email_public: Option<bool>,
    pub password_hash: Option<String>,
    pub role: Option<Role>,
    pub video_quota: Option<i64>,
    pub video_quota_daily: Option<i64>,
    pub nsfw_policy: Option<String>,
    pub p2p_enabled: Option<bool>,
    pub videos_history_enabled: Option<bool>,
    pub auto_play_video: Option<bool>,
    pub auto_play_next_video: Option<bool>,
    pub auto_play_next_video_playlist: Option<bool>,
    pub video_languages: Option<Option<Vec<String>>>,
    pub theme: Option<String>,
    pub no_instance_config_warning_modal: Option<bool>,
    pub no_welcome_modal: Option<bool>,
    pub no_account_setup_warning_modal: Option<bool>,
    pub admin_flags: Option<i32>,
    pub blocked: Option<bool>,
    pub blocked_reason: Option<Option<String>>,
    pub updated_at: Option<DateTime<Utc>>,
}

pub const USER_SORTS: &[&str] = &[
    "id",
    "username",
    "createdAt",
    "lastLoginDate",
    "role",
    "videoQuota",
    "videoQuotaUsed",
    "blocked",
];

impl User {
    pub fn has_right(&self, right: UserRight) -> bool {
        self.role.has_right(right)
    }

    pub async fn insert(conn: &mut AsyncPgConnection, new: &NewUser) -> QueryResult<User> {
        diesel::insert_into(users::table)
            .values(new)
            .returning(User::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn find(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<Option<User>> {
        users::table
            .find(id)
            .select(User::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// By username or e-mail address, ignoring case, as PeerTube's login accepts both.
    pub async fn find_by_username_or_email(
        conn: &mut AsyncPgConnection,
        login: &str,
    ) -> QueryResult<Option<User>> {
        let login = login.to_lowercase();
        users::table
            .filter(
                lower(users::username)
                    .eq(&login)
                    .or(lower(users::email).eq(&login)),
            )
            .select(User::as_select())
            .first(conn)
            .await
            .optional()
    }

    pub async fn find_by_username(
        conn: &mut AsyncPgConnection,
        username: &str,
    ) -> QueryResult<Option<User>> {
        users::table
            .filter(lower(users::username).eq(username.to_lowercase()))
            .select(User::as_select())
            .first(conn)
            .await
            .optional()
    }

    pub async fn username_or_email_taken(
        conn: &mut AsyncPgConnection,
        username: &str,
        email: &str,
    ) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            users::table.filter(
                lower(users::username)
                    .eq(username.to_lowercase())
                    .or(lower(users::email).eq(email.to_lowercase())),
            ),
        ))
        .get_result(conn)
        .await
    }

    pub async fn email_taken_by_other(
        conn: &mut AsyncPgConnection,
        email: &str,
        user_id: i64,
    ) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            users::table
                .filter(lower(users::email).eq(email.to_lowercase()))
                .filter(users::id.ne(user_id)),
        ))
        .get_result(conn)
        .await
    }

    pub async fn count(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
        users::table.count().get_result(conn).await
    }

    /// Users who logged in since `since`, for NodeInfo's active counts.
    pub async fn count_active_since(
        conn: &mut AsyncPgConnection,
        since: DateTime<Utc>,
    ) -> QueryResult<i64> {
        users::table
            .filter(users::last_login_date.ge(since))
            .count()
            .get_result(conn)
            .await
    }

    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: i64,
        changes: &UserChanges,
    ) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set(changes)
            .execute(conn)
            .await
            .map(|_| ())
    }

    pub async fn touch_login(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set(users::last_login_date.eq(diesel::dsl::now))
            .execute(conn)
            .await
            .map(|_| ())
    }

    pub async fn list(
        conn: &mut AsyncPgConnection,
        start: i64,
        count: i64,
        sort: &str,
        search: Option<&str>,
        blocked: Option<bool>,
    ) -> QueryResult<(i64, Vec<User>)> {
        let filtered = || {
            let mut q = users::table.into_boxed();
            if let Some(s) = search {
                let pattern = format!("%{}%", s.to_lowercase().replace('%', "\\%"));
                q = q.filter(
                    lower(users::username)
                        .like(pattern.clone())
                        .or(lower(users::email).like(pattern)),
                );
            }
            if let Some(b) = blocked {
                q = q.filter(users::blocked.eq(b));
            }
            q
        };
        let total = filtered().count().get_result(conn).await?;
        let mut q = filtered().select(User::as_select());
        q = match sort {
            "username" => q.order(users::username.asc()),
            "-username" => q.order(users::username.desc()),
            "createdAt" => q.order(users::created_at.asc()),
            "-createdAt" => q.order(users::created_at.desc()),
            "lastLoginDate" => q.order(users::last_login_date.asc().nulls_first()),
            "-lastLoginDate" => q.order(users::last_login_date.desc().nulls_last()),
            "role" => q.order(users::role.asc()),
            "-role" => q.order(users::role.desc()),
            "videoQuota" => q.order(users::video_quota.asc()),
            "-videoQuota" => q.order(users::video_quota.desc()),
            "blocked" => q.order(users::blocked.asc()),
            "-blocked" => q.order(users::blocked.desc()),
            "-id" => q.order(users::id.desc()),
            _ => q.order(users::id.asc()),
        };
        let rows = q
            .then_order_by(users::id.asc())
            .offset(start)
            .limit(count)
            .load(conn)
            .await?;
        Ok((total, rows))
    }

    pub async fn delete(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<usize> {
        diesel::delete(users::table.find(id)).execute(conn).await
    }
}
