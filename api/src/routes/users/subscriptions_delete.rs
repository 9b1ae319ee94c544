//! `DELETE /api/v1/users/me/subscriptions/{handle}`: unsubscribe (an Undo goes to a remote
//! channel).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use ferrotube_federation::AppState;
use ferrotube_federation::outbox::follow::unfollow;

use super::subscriptions_common::subscribed_channel;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(handle): Path<String>,
) -> ApiResult<StatusCode> {
    let (account, channel) = subscribed_channel(&state, &auth, &handle)
        .await?
        .ok_or_else(|| ApiError::not_found("Subscription not found"))?;
    let mut conn = state.conn().await?;
    unfollow(&mut conn, &account.actor, &channel.actor).await?;
    Ok(StatusCode::NO_CONTENT)
}
