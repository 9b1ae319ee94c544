//! `POST /api/v1/videos/{id}/views`: one view per viewer and video per hour, buffered in
//! Redis and added to the video periodically, as PeerTube does.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use ferrotube_federation::AppState;

use crate::auth::MaybeUser;
use crate::client_ip::ClientIp;
use crate::error::ApiResult;
use crate::fields::Body;
use crate::videos::access::ensure_can_see;

pub async fn handler(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Body(mut body): Body,
) -> ApiResult<StatusCode> {
    let current_time = body.opt_i64("currentTime", |n| n >= 0);
    let session = body.opt_str("sessionId", |s| !s.is_empty() && s.len() <= 100);
    body.opt_str("viewEvent", |s| matches!(s, "seek" | "watch"));
    if current_time.is_none() && !body.has("currentTime") {
        body.fail("currentTime");
    }
    body.finish()?;
    let mut conn = state.conn().await?;
    let video = super::load(&mut conn, &id).await?;
    drop(conn);
    ensure_can_see(user.as_ref().map(|u| &u.user), &video)?;
    let viewer = session.unwrap_or_else(|| ip.to_string());
    ferrotube_federation::video::views::local_report(
        &state,
        &video,
        &viewer,
        current_time.unwrap_or(0),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
