//! `PUT /api/v1/video-channels/{name}` (owner, or a moderator)

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use diesel_async::AsyncConnection;
use ferrotube_federation::local::names;
use ferrotube_federation::models::channel::{VideoChannel, VideoChannelChanges};
use ferrotube_federation::models::user::UserRight;
use ferrotube_federation::profile::{self, Profile};
use ferrotube_federation::{AppState, FederationError};

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::fields::Body;

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(handle): Path<String>,
    Body(mut body): Body,
) -> ApiResult<StatusCode> {
    let changes = VideoChannelChanges {
        display_name: body.opt_str("displayName", names::is_valid_display_name),
        description: body.nullable_str("description", names::is_valid_description),
        support: body.nullable_str("support", names::is_valid_support),
        updated_at: Some(Utc::now()),
    };
    body.opt_bool("bulkVideosSupportUpdate");
    body.finish()?;
    let mut conn = state.conn().await?;
    let channel = super::load(&mut conn, &state.urls, &handle).await?;
    super::ensure_can_manage(&auth, &channel, UserRight::ManageAnyVideoChannel)?;
    let channel_id = channel.channel.id;
    let urls = state.urls.clone();
    // The change and its Update(Group) to followers commit together.
    conn.transaction::<_, FederationError, _>(async move |conn| {
        VideoChannel::update(conn, channel_id, &changes).await?;
        profile::send_update(conn, &urls, Profile::Channel(channel_id)).await
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
