//! `GET /api/v1/users` (MANAGE_USERS)

use axum::Json;
use axum::extract::{RawQuery, State};
use ferrotube_federation::AppState;
use ferrotube_federation::models::user::{USER_SORTS, User, UserRight};
use serde_json::Value;

use super::common::admin_json;
use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::fields::Fields;
use crate::pagination::{List, Page};

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<List<Value>>> {
    auth.require(UserRight::ManageUsers)?;
    let mut q = Fields::from_query(query.as_deref());
    let page = Page::read(&mut q, USER_SORTS, "-createdAt");
    let search = q.opt_str("search", |_| true);
    let blocked = q.opt_bool("blocked");
    q.finish()?;
    let mut conn = state.conn().await?;
    let (total, users) = User::list(
        &mut conn,
        page.start,
        page.count,
        &page.sort,
        search.as_deref(),
        blocked,
    )
    .await?;
    let mut data = Vec::with_capacity(users.len());
    for user in &users {
        data.push(admin_json(&mut conn, &state.urls, user).await?);
    }
    Ok(Json(List { total, data }))
}
