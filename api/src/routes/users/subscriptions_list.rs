//! `GET /api/v1/users/me/subscriptions`: the channels the user follows.

use axum::Json;
use axum::extract::{RawQuery, State};
use ferrotube_federation::AppState;
use ferrotube_federation::models::channel::ChannelFull;
use ferrotube_federation::models::follow::ActorFollow;
use serde_json::Value;

use super::subscriptions_common::my_account;
use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::fields::Fields;
use crate::pagination::{List, Page};
use crate::views::channel::channel_json;

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<List<Value>>> {
    let mut q = Fields::from_query(query.as_deref());
    let page = Page::read(&mut q, &["createdAt", "channelUpdatedAt"], "-createdAt");
    q.finish()?;
    let account = my_account(&state, &auth).await?;
    let mut conn = state.conn().await?;
    let (total, ids) = ActorFollow::subscribed_channel_ids(
        &mut conn,
        account.actor.id,
        (page.start, page.count),
        !page.descending(),
    )
    .await?;
    let channels = ChannelFull::load_many(&mut conn, &ids).await?;
    let data = ids
        .iter()
        .filter_map(|id| channels.iter().find(|c| c.channel.id == *id))
        .map(|c| channel_json(&state.urls, c))
        .collect();
    Ok(Json(List { total, data }))
}
