//! Video lists: `GET /api/v1/videos`, and the same query on an account, a channel, the
//! caller's own videos, the caller's subscriptions and the search.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use diesel_async::AsyncPgConnection;
use ferrotube_federation::AppState;
use ferrotube_federation::models::account::AccountFull;
use ferrotube_federation::models::enums::VideoPrivacy;
use ferrotube_federation::models::user::UserRight;
use ferrotube_federation::models::video::{
    VIDEO_SORTS, Video, VideoFilters, VideoScope, Viewer, channels_of,
};
use ferrotube_federation::models::video_file::VideoFile;
use ferrotube_federation::models::video_generation;
use ferrotube_federation::models::video_streaming_playlist::StreamingPlaylistFull;
use serde_json::Value;

use crate::auth::{AuthUser, MaybeUser};
use crate::error::{ApiError, ApiResult};
use crate::fields::Fields;
use crate::pagination::{List, Page};
use crate::routes::split_handle;
use crate::routes::video_channels;
use crate::views::video::{insert_files, video_json, video_json_for_owner};
use ferrotube_federation::video::views;

fn int_list(q: &mut Fields, name: &str, valid: impl Fn(i64) -> bool) -> Vec<i64> {
    match q.opt_str_array(name, |s| s.parse::<i64>().is_ok_and(&valid)) {
        Some(Some(v)) => v.iter().filter_map(|s| s.parse().ok()).collect(),
        _ => Vec::new(),
    }
}

/// PeerTube's `include` bit that adds `files` and `streamingPlaylists` to each entry.
const INCLUDE_FILES: i64 = 8;

/// Reads the common list query (with its `include` bits); `privacyOneOf` needs the right to
/// see every video.
fn read_query(
    query: Option<&str>,
    user: Option<&AuthUser>,
    default_sort: &str,
    search_required: bool,
) -> ApiResult<(Page, VideoFilters, i64)> {
    let mut q = Fields::from_query(query);
    let page = Page::read(&mut q, VIDEO_SORTS, default_sort);
    let mut f = VideoFilters {
        category_one_of: int_list(&mut q, "categoryOneOf", |n| n > 0)
            .into_iter()
            .map(|n| n as i32)
            .collect(),
        licence_one_of: int_list(&mut q, "licenceOneOf", |n| n > 0)
            .into_iter()
            .map(|n| n as i32)
            .collect(),
        language_one_of: q
            .opt_str_array("languageOneOf", |s| !s.is_empty() && s.len() <= 10)
            .flatten()
            .unwrap_or_default(),
        tags_one_of: q
            .opt_str_array("tagsOneOf", |s| !s.is_empty() && s.len() <= 30)
            .flatten()
            .unwrap_or_default(),
        tags_all_of: q
            .opt_str_array("tagsAllOf", |s| !s.is_empty() && s.len() <= 30)
            .flatten()
            .unwrap_or_default(),
        is_local: q.opt_bool("isLocal"),
        search: q.opt_str("search", |s| !s.trim().is_empty()),
        ..VideoFilters::default()
    };
    f.nsfw = match q
        .opt_str("nsfw", |s| matches!(s, "true" | "false" | "both"))
        .as_deref()
    {
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => None,
        // The instance's policy decides for anonymous callers; a user's own policy for them.
        None => match user.map(|u| u.user.nsfw_policy.as_str()) {
            Some("do_not_list") | None => Some(false),
            Some(_) => None,
        },
    };
    let privacies = int_list(&mut q, "privacyOneOf", |n| {
        i16::try_from(n)
            .ok()
            .and_then(VideoPrivacy::from_id)
            .is_some()
    });
    let include = q
        .opt_str("include", |s| s.parse::<i64>().is_ok_and(|n| n >= 0))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    if search_required && f.search.is_none() {
        q.fail("search");
    }
    q.finish()?;
    if !privacies.is_empty() {
        match user {
            Some(u) if u.user.has_right(UserRight::SeeAllVideos) => {
                f.privacy_one_of = Some(
                    privacies
                        .into_iter()
                        .filter_map(|n| VideoPrivacy::from_id(n as i16))
                        .collect(),
                );
            }
            Some(_) => {
                return Err(ApiError::forbidden(
                    "User cannot list videos with privacyOneOf",
                ));
            }
            None => {
                return Err(ApiError::coded(
                    axum::http::StatusCode::UNAUTHORIZED,
                    "unauthorized_request",
                    "Token is required to list videos with privacyOneOf",
                ));
            }
        }
    }
    Ok((page, f, include))
}

async fn run(
    state: &AppState,
    scope: VideoScope,
    user: Option<&AuthUser>,
    page: Page,
    filters: VideoFilters,
    include: i64,
    for_owner: bool,
) -> ApiResult<Json<List<Value>>> {
    // PeerTube: `include` is for those who may see every video (and owners of their own).
    let may_include = matches!(scope, VideoScope::Owner(_))
        || user.is_some_and(|u| u.user.has_right(UserRight::SeeAllVideos));
    if include != 0 && !may_include {
        return Err(ApiError::coded(
            axum::http::StatusCode::UNAUTHORIZED,
            "unauthorized_request",
            "You are not allowed to see all videos, specify a custom include or auto tags filter.",
        ));
    }
    let viewer = match user {
        Some(u) => Viewer::User { user_id: u.user.id },
        None => Viewer::Anonymous,
    };
    let mut conn = state.conn().await?;
    // Totals are cached per video generation (bumped by a trigger on every change): exact,
    // and counted once per change instead of on every request.
    let generation = video_generation::current(&mut conn).await?;
    let viewer_kind = matches!(viewer, Viewer::User { .. });
    let key = format!("{generation}|{scope:?}|{viewer_kind}|{filters:?}");
    let total = match state.video_totals.get(&key) {
        Some(total) => total,
        None => {
            let total = Video::count_listed(&mut conn, scope, viewer, &filters).await?;
            state.video_totals.insert(key, total);
            total
        }
    };
    let videos = Video::page(
        &mut conn, scope, viewer, &filters, &page.sort, page.start, page.count,
    )
    .await?;
    let channels = channels_of(&mut conn, &videos).await?;
    let ids: Vec<i64> = videos.iter().map(|v| v.id).collect();
    let files = if include & INCLUDE_FILES != 0 {
        Some(VideoFiles::load(&mut conn, &ids).await?)
    } else {
        None
    };
    drop(conn);
    let viewers = views::viewers(state, &ids).await?;
    let data = videos
        .iter()
        .zip(viewers)
        .filter_map(|(v, viewers)| {
            let c = channels.get(&v.channel_id)?;
            let mut json = if for_owner {
                video_json_for_owner(&state.urls, v, c, viewers)
            } else {
                video_json(&state.urls, v, c, viewers)
            };
            if let (Some(files), Value::Object(m)) = (&files, &mut json) {
                let (web, hls) = files.of(v.id);
                insert_files(m, &state.urls, v, web, hls);
            }
            Some(json)
        })
        .collect();
    Ok(Json(List { total, data }))
}

/// `GET /api/v1/videos`
pub async fn all(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<List<Value>>> {
    let (page, filters, include) =
        read_query(query.as_deref(), user.as_ref(), "-publishedAt", false)?;
    run(
        &state,
        VideoScope::All,
        user.as_ref(),
        page,
        filters,
        include,
        false,
    )
    .await
}

/// `GET /api/v1/search/videos`: text, or the URL of a video, fetched from its origin for a
/// logged-in user (PeerTube's `search.remote_uri.users`).
pub async fn search(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<List<Value>>> {
    let (page, filters, include) = read_query(query.as_deref(), user.as_ref(), "-match", true)?;
    let search = filters.search.clone().unwrap_or_default();
    if search.starts_with("http://") || search.starts_with("https://") {
        let found = match user {
            Some(_) => ferrotube_federation::video::ingest::get_or_fetch(&state, search.trim())
                .await
                .ok(),
            None => {
                let mut conn = state.conn().await?;
                Video::find_by_url(&mut conn, search.trim()).await?
            }
        };
        let mut conn = state.conn().await?;
        let Some(video) = found.filter(|v| v.privacy == VideoPrivacy::Public) else {
            return Ok(Json(List {
                total: 0,
                data: vec![],
            }));
        };
        let channels = channels_of(&mut conn, std::slice::from_ref(&video)).await?;
        let data: Vec<Value> = channels
            .get(&video.channel_id)
            .map(|c| video_json(&state.urls, &video, c, 0))
            .into_iter()
            .collect();
        return Ok(Json(List {
            total: data.len() as i64,
            data,
        }));
    }
    run(
        &state,
        VideoScope::All,
        user.as_ref(),
        page,
        filters,
        include,
        false,
    )
    .await
}

/// `GET /api/v1/accounts/{handle}/videos`
pub async fn of_account(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(handle): Path<String>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<List<Value>>> {
    let (page, filters, include) =
        read_query(query.as_deref(), user.as_ref(), "-publishedAt", false)?;
    let (name, host) = split_handle(&handle, &state.urls);
    let account = {
        let mut conn = state.conn().await?;
        AccountFull::load_by_handle(&mut conn, name, host)
            .await?
            .ok_or_else(|| ApiError::not_found("Account not found"))?
    };
    run(
        &state,
        VideoScope::Account(account.account.id),
        user.as_ref(),
        page,
        filters,
        include,
        false,
    )
    .await
}

/// `GET /api/v1/video-channels/{handle}/videos`
pub async fn of_channel(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(handle): Path<String>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<List<Value>>> {
    let (page, filters, include) =
        read_query(query.as_deref(), user.as_ref(), "-publishedAt", false)?;
    let channel = {
        let mut conn = state.conn().await?;
        video_channels::load(&mut conn, &state.urls, &handle).await?
    };
    run(
        &state,
        VideoScope::Channel(channel.channel.id),
        user.as_ref(),
        page,
        filters,
        include,
        false,
    )
    .await
}

/// `GET /api/v1/users/me/videos`: every video of the caller, whatever its state.
pub async fn mine(
    State(state): State<AppState>,
    auth: AuthUser,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<List<Value>>> {
    let (page, mut filters, include) =
        read_query(query.as_deref(), Some(&auth), "-createdAt", false)?;
    filters.nsfw = None;
    let account = {
        let mut conn = state.conn().await?;
        AccountFull::load_by_user(&mut conn, auth.user.id)
            .await?
            .ok_or_else(|| ApiError::not_found("Account not found"))?
    };
    run(
        &state,
        VideoScope::Owner(account.account.id),
        Some(&auth),
        page,
        filters,
        include,
        true,
    )
    .await
}

/// `GET /api/v1/users/me/subscriptions/videos`: videos of the channels and accounts the caller
/// follows, and those shared by actors it follows (local videos only through them, as PeerTube).
pub async fn subscriptions(
    State(state): State<AppState>,
    auth: AuthUser,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<List<Value>>> {
    let (page, filters, include) =
        read_query(query.as_deref(), Some(&auth), "-publishedAt", false)?;
    let account = {
        let mut conn = state.conn().await?;
        AccountFull::load_by_user(&mut conn, auth.user.id)
            .await?
            .ok_or_else(|| ApiError::not_found("Account not found"))?
    };
    run(
        &state,
        VideoScope::FollowedBy(account.actor.id),
        Some(&auth),
        page,
        filters,
        include,
        false,
    )
    .await
}

/// The files of a page of videos, loaded together for `include` FILES.
struct VideoFiles {
    web: HashMap<i64, Vec<VideoFile>>,
    hls: HashMap<i64, Vec<StreamingPlaylistFull>>,
}

impl VideoFiles {
    async fn load(conn: &mut AsyncPgConnection, video_ids: &[i64]) -> ApiResult<Self> {
        let mut web: HashMap<i64, Vec<VideoFile>> = HashMap::new();
        for f in VideoFile::for_videos(conn, video_ids).await? {
            if let Some(id) = f.video_id {
                web.entry(id).or_default().push(f);
            }
        }
        let hls = StreamingPlaylistFull::for_videos(conn, video_ids).await?;
        Ok(Self { web, hls })
    }

    fn of(&self, video_id: i64) -> (&[VideoFile], &[StreamingPlaylistFull]) {
        (
            self.web.get(&video_id).map_or(&[][..], Vec::as_slice),
            self.hls.get(&video_id).map_or(&[][..], Vec::as_slice),
        )
    }
}
