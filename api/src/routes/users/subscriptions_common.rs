//! What the subscription routes share: the user's account actor and handle parsing.

use ferrotube_federation::AppState;
use ferrotube_federation::models::account::AccountFull;
use ferrotube_federation::models::channel::ChannelFull;
use ferrotube_federation::models::follow::ActorFollow;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};

pub async fn my_account(state: &AppState, auth: &AuthUser) -> ApiResult<AccountFull> {
    let mut conn = state.conn().await?;
    AccountFull::load_by_user(&mut conn, auth.user.id)
        .await?
        .ok_or_else(|| ApiError::not_found("Account not found"))
}

/// `name` or `name@host`, as PeerTube's subscription handles.
pub fn valid_uri(uri: &str) -> bool {
    let (name, host) = uri.split_once('@').unwrap_or((uri, "x"));
    let ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'))
    };
    ok(name) && ok(host)
}

/// A subscribed channel by handle, if the user follows it.
pub async fn subscribed_channel(
    state: &AppState,
    auth: &AuthUser,
    handle: &str,
) -> ApiResult<Option<(AccountFull, ChannelFull)>> {
    let account = my_account(state, auth).await?;
    let (name, host) = crate::routes::split_handle(handle, &state.urls);
    let mut conn = state.conn().await?;
    let Some(channel) = ChannelFull::load_by_handle(&mut conn, name, host).await? else {
        return Ok(None);
    };
    let follow = ActorFollow::find(&mut conn, account.actor.id, channel.actor.id).await?;
    Ok(follow.map(|_| (account, channel)))
}
