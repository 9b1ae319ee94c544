pub mod create;
pub mod delete;
pub mod get;
pub mod image_delete;
pub mod image_pick;
pub mod list;
pub mod update;

use diesel_async::AsyncPgConnection;
use ferrotube_federation::models::channel::ChannelFull;
use ferrotube_federation::models::user::UserRight;
use ferrotube_federation::urls::InstanceUrls;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::routes::split_handle;

pub(crate) async fn load(
    conn: &mut AsyncPgConnection,
    urls: &InstanceUrls,
    handle: &str,
) -> ApiResult<ChannelFull> {
    let (name, host) = split_handle(handle, urls);
    ChannelFull::load_by_handle(conn, name, host)
        .await?
        .ok_or_else(|| ApiError::not_found("Video channel not found"))
}

/// The owner, or a moderator holding `right`, may change a local channel.
pub(crate) fn ensure_can_manage(
    auth: &AuthUser,
    channel: &ChannelFull,
    right: UserRight,
) -> ApiResult<()> {
    if !channel.is_local() {
        return Err(ApiError::forbidden(
            "Cannot manage a video channel of another instance",
        ));
    }
    if channel.owner.account.user_id == Some(auth.user.id) || auth.user.has_right(right) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "Cannot manage a video channel of another user",
        ))
    }
}
