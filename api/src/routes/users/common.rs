//! What the user routes share: loading a user's account and channels, role checks.

use diesel_async::AsyncPgConnection;
use ferrotube_federation::models::account::AccountFull;
use ferrotube_federation::models::channel::{ChannelFull, ChannelScope};
use ferrotube_federation::models::user::{Role, User};
use ferrotube_federation::urls::InstanceUrls;
use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::views::user::{user_admin_json, user_json};

pub async fn load_bundle(
    conn: &mut AsyncPgConnection,
    user: &User,
) -> ApiResult<(AccountFull, Vec<ChannelFull>)> {
    let account = AccountFull::load_by_user(conn, user.id)
        .await?
        .ok_or_else(|| ApiError::not_found("Account not found"))?;
    let (_, channels) = ChannelFull::list(
        conn,
        ChannelScope::Account(account.account.id),
        0,
        1000,
        "createdAt",
    )
    .await?;
    Ok((account, channels))
}

pub async fn me_json(
    conn: &mut AsyncPgConnection,
    urls: &InstanceUrls,
    user: &User,
) -> ApiResult<Value> {
    let (account, channels) = load_bundle(conn, user).await?;
    Ok(user_json(urls, user, &account, &channels))
}

pub async fn admin_json(
    conn: &mut AsyncPgConnection,
    urls: &InstanceUrls,
    user: &User,
) -> ApiResult<Value> {
    let (account, channels) = load_bundle(conn, user).await?;
    Ok(user_admin_json(urls, user, &account, &channels))
}

pub fn valid_role(n: i64) -> bool {
    i16::try_from(n).ok().and_then(Role::from_id).is_some()
}

pub fn valid_quota(n: i64) -> bool {
    n >= -1
}

pub fn valid_nsfw_policy(s: &str) -> bool {
    matches!(s, "do_not_list" | "blur" | "display")
}

/// Moderators manage plain users only; administrators manage everyone.
pub fn ensure_can_manage(actor: &User, target: &User) -> ApiResult<()> {
    if actor.role == Role::Administrator || target.role == Role::User {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "Users can only be managed by moderators or admins",
        ))
    }
}

/// A `{id}` path segment that is not a number is a 400 naming `id`.
pub fn parse_id(raw: &str) -> ApiResult<i64> {
    raw.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| ApiError::invalid_field("params", "id", Value::String(raw.into())))
}

pub async fn find_user(conn: &mut AsyncPgConnection, id: i64) -> ApiResult<User> {
    User::find(conn, id)
        .await?
        .ok_or_else(|| ApiError::not_found("User not found"))
}
