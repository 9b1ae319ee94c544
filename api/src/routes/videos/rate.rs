//! `PUT /api/v1/videos/{id}/rate` `{rating: like|dislike|none}`: the caller's rating, counted here
//! and sent to the video's origin when it is remote.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use ferrotube_federation::AppState;
use ferrotube_federation::models::video_rate::Rating;
use ferrotube_federation::video::rates;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::fields::Body;
use crate::videos::access::ensure_can_see;

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<String>,
    Body(mut body): Body,
) -> ApiResult<StatusCode> {
    let rating = body.req_str("rating", |r| matches!(r, "like" | "dislike" | "none"));
    body.finish()?;
    let mut conn = state.conn().await?;
    let video = super::load(&mut conn, &id).await?;
    ensure_can_see(Some(&auth.user), &video)?;
    drop(conn);
    let account = crate::routes::users::subscriptions_common::my_account(&state, &auth).await?;
    rates::set_by_local(&state, &account, &video, Rating::parse(&rating)).await?;
    Ok(StatusCode::NO_CONTENT)
}
