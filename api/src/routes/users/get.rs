//! `GET /api/v1/users/{id}` (MANAGE_USERS)

use axum::Json;
use axum::extract::{Path, State};
use ferrotube_federation::AppState;
use ferrotube_federation::models::user::UserRight;
use serde_json::Value;

use super::common::{admin_json, find_user, parse_id};
use crate::auth::AuthUser;
use crate::error::ApiResult;

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    auth.require(UserRight::ManageUsers)?;
    let id = parse_id(&id)?;
    let mut conn = state.conn().await?;
    let user = find_user(&mut conn, id).await?;
    Ok(Json(admin_json(&mut conn, &state.urls, &user).await?))
}
