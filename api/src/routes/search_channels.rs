//! `GET /api/v1/search/video-channels`: local channels by name, or a remote channel by URL or
//! `name@host` handle, resolved (WebFinger, then its actor) for a logged-in user.

use axum::Json;
use axum::extract::{RawQuery, State};
use ferrotube_federation::AppState;
use ferrotube_federation::models::channel::{ChannelFull, VideoChannel};
use ferrotube_federation::remote::{actor as remote_actor, webfinger};
use serde_json::Value;

use crate::auth::MaybeUser;
use crate::error::ApiResult;
use crate::fields::Fields;
use crate::pagination::{List, Page};
use crate::views::channel::channel_json;

async fn resolve(state: &AppState, search: &str) -> Option<i64> {
    let url = if search.starts_with("http://") || search.starts_with("https://") {
        search.to_string()
    } else {
        let (name, host) = search.trim_start_matches('@').split_once('@')?;
        if state.urls.is_local_host(host) {
            return local_by_name(state, name).await;
        }
        webfinger::resolve_handle(state, name, host).await.ok()?
    };
    let actor = remote_actor::get_or_fetch(state, &url).await.ok()?;
    let mut conn = state.conn().await.ok()?;
    VideoChannel::id_by_actor(&mut conn, actor.id)
        .await
        .ok()
        .flatten()
}

async fn local_by_name(state: &AppState, name: &str) -> Option<i64> {
    let mut conn = state.conn().await.ok()?;
    VideoChannel::local_id_by_name(&mut conn, name)
        .await
        .ok()
        .flatten()
}

pub async fn handler(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<List<Value>>> {
    let mut q = Fields::from_query(query.as_deref());
    let page = Page::read(
        &mut q,
        &["createdAt", "name", "updatedAt", "match"],
        "-match",
    );
    let search = q.req_str("search", |s| !s.trim().is_empty());
    q.finish()?;
    let search = search.trim().to_string();
    let looks_remote = search.starts_with("http") || search.trim_start_matches('@').contains('@');
    let ids: Vec<i64> = if looks_remote {
        if user.is_none() {
            Vec::new()
        } else {
            resolve(&state, &search).await.into_iter().collect()
        }
    } else {
        let mut conn = state.conn().await?;
        VideoChannel::search_ids(&mut conn, &search, 1000).await?
    };
    let total = ids.len() as i64;
    let page_ids: Vec<i64> = ids
        .into_iter()
        .skip(page.start as usize)
        .take(page.count as usize)
        .collect();
    let mut conn = state.conn().await?;
    let channels = ChannelFull::load_many(&mut conn, &page_ids).await?;
    let data = page_ids
        .iter()
        .filter_map(|id| channels.iter().find(|c| c.channel.id == *id))
        .map(|c| channel_json(&state.urls, c))
        .collect();
    Ok(Json(List { total, data }))
}
