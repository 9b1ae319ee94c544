//! What a Video object links to, served as PeerTube serves it: `/activity` (the wrapping
//! Create), `/announces` (shares) and one share, `/likes`, `/dislikes`, `/comments` (collections
//! of URLs), `/chapters`. A remote video's links redirect to its origin.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use super::{ActivityJson, wants_activity_json};
use crate::activities::SendActivity;
use crate::activities::announce::Announce;
use crate::activities::create::Create;
use crate::error::FederationError;
use crate::models::actor::Actor;
use crate::models::enums::VideoState;
use crate::models::video::{Video, VideoFull};
use crate::models::video_comment::VideoComment;
use crate::models::video_rate::{Rating, VideoRate};
use crate::models::video_share::VideoShare;
use crate::protocol::chapters::ChaptersObject;
use crate::protocol::collection::{DEFAULT_PAGE_SIZE, OrderedCollection, OrderedCollectionPage};
use crate::protocol::{Context, WithContext};
use crate::state::AppState;
use crate::video::urls as vurls;

/// `?page=N`; PeerTube shows the collection itself for anything but a positive integer.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

impl PageQuery {
    fn page(&self) -> Option<i64> {
        self.page
            .as_deref()
            .and_then(|p| p.parse::<i64>().ok())
            .filter(|p| (1..i64::MAX / DEFAULT_PAGE_SIZE).contains(p))
    }
}

/// A video's link target: ours (federable), or a redirect to the origin.
enum Target {
    Local(Box<VideoFull>),
    Remote(String),
}

async fn target(state: &AppState, id: &str) -> Result<Target, FederationError> {
    let not_found = || FederationError::NotFound("Video not found".into());
    let mut conn = state.conn().await?;
    let video = Video::find_by_any_id(&mut conn, id)
        .await?
        .ok_or_else(not_found)?;
    if !video.is_local {
        return Ok(Target::Remote(video.url));
    }
    let federable = video.privacy.in_public_folder() && video.state == VideoState::Published;
    if !federable {
        return Err(not_found());
    }
    let full = VideoFull::load(&mut conn, video)
        .await?
        .ok_or_else(not_found)?;
    Ok(Target::Local(Box::new(full)))
}

/// Runs `f` on our video, or redirects a remote one's link to `{origin}{suffix}`.
async fn with_local<F, Fut>(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    suffix: &str,
    f: F,
) -> Result<Response, FederationError>
where
    F: FnOnce(Box<VideoFull>) -> Fut,
    Fut: Future<Output = Result<Response, FederationError>>,
{
    if !wants_activity_json(headers) {
        return Ok(StatusCode::NOT_FOUND.into_response());
    }
    match target(state, id).await? {
        Target::Remote(url) => Ok(Redirect::to(&format!("{url}{suffix}")).into_response()),
        Target::Local(full) => f(full).await,
    }
}

fn document<T: Serialize>(context: Context, body: T) -> Response {
    ActivityJson(WithContext::new(context, body)).into_response()
}

/// A paged collection of URLs, as PeerTube's `activityPubCollectionPagination`.
fn collection(base: String, page: Option<i64>, total: i64, items: Vec<String>) -> Response {
    match page {
        None => document(Context::Base, OrderedCollection::new(base, total)),
        Some(page) => document(
            Context::Base,
            OrderedCollectionPage::new(base, page, DEFAULT_PAGE_SIZE, total, items),
        ),
    }
}

fn window(page: Option<i64>) -> (i64, i64) {
    match page {
        Some(p) => ((p - 1) * DEFAULT_PAGE_SIZE, DEFAULT_PAGE_SIZE),
        None => (0, 0),
    }
}

pub async fn activity(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, FederationError> {
    with_local(&state, &headers, &id, "/activity", async |full| {
        let create = Create::video(&state.urls, &full)?;
        Ok(document(create.context(), create))
    })
    .await
}

pub async fn announces(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Result<Response, FederationError> {
    with_local(&state, &headers, &id, "/announces", async |full| {
        let base = format!("{}/announces", vurls::watch_url(&state.urls, &full.video));
        let mut conn = state.conn().await?;
        let (total, urls) = VideoShare::urls(&mut conn, full.video.id, window(q.page())).await?;
        Ok(collection(base, q.page(), total, urls))
    })
    .await
}

pub async fn announce(
    State(state): State<AppState>,
    Path((id, actor_id)): Path<(String, i64)>,
    headers: HeaderMap,
) -> Result<Response, FederationError> {
    let suffix = format!("/announces/{actor_id}");
    with_local(&state, &headers, &id, &suffix, async |full| {
        let mut conn = state.conn().await?;
        let share = VideoShare::find(&mut conn, full.video.id, actor_id)
            .await?
            .ok_or_else(|| FederationError::NotFound("Share not found".into()))?;
        let actor = Actor::find(&mut conn, share.actor_id)
            .await?
            .ok_or_else(|| FederationError::NotFound("Share not found".into()))?;
        if !actor.is_local() {
            return Ok(Redirect::to(&share.url).into_response());
        }
        let announce = Announce::video(&state.urls, &full, &actor.url, actor.id)?;
        Ok(document(Context::Base, announce))
    })
    .await
}

async fn rates(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    q: PageQuery,
    rating: Rating,
) -> Result<Response, FederationError> {
    let suffix = match rating {
        Rating::Like => "/likes",
        Rating::Dislike => "/dislikes",
    };
    with_local(state, headers, id, suffix, async |full| {
        let base = format!("{}{suffix}", vurls::watch_url(&state.urls, &full.video));
        let mut conn = state.conn().await?;
        let (total, urls) =
            VideoRate::urls(&mut conn, full.video.id, rating, window(q.page())).await?;
        Ok(collection(base, q.page(), total, urls))
    })
    .await
}

pub async fn likes(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Result<Response, FederationError> {
    rates(&state, &headers, &id, q, Rating::Like).await
}

pub async fn dislikes(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Result<Response, FederationError> {
    rates(&state, &headers, &id, q, Rating::Dislike).await
}

pub async fn comments(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Result<Response, FederationError> {
    with_local(&state, &headers, &id, "/comments", async |full| {
        let base = format!("{}/comments", vurls::watch_url(&state.urls, &full.video));
        let mut conn = state.conn().await?;
        let (total, urls) =
            VideoComment::urls_for_collection(&mut conn, full.video.id, window(q.page())).await?;
        Ok(collection(base, q.page(), total, urls))
    })
    .await
}

pub async fn chapters(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, FederationError> {
    with_local(&state, &headers, &id, "/chapters", async |full| {
        // ferrotube has no chapter editing yet: a video's list is truly empty.
        let object = ChaptersObject {
            id: format!("{}/chapters", vurls::watch_url(&state.urls, &full.video)),
            has_part: Vec::new(),
        };
        Ok(document(Context::Chapters, object))
    })
    .await
}
