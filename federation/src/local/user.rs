//! A local user comes with a Person account and a default channel, created together.

use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::{ACTOR_NAME_TAKEN, USER_EXISTS, conflict_on_unique, password};
use crate::error::FederationError;
use crate::keys;
use crate::models::account::{Account, NewAccount};
use crate::models::actor::{Actor, ActorType, NewActor};
use crate::models::actor_image::ActorImage;
use crate::models::channel::{NewVideoChannel, VideoChannel};
use crate::models::oauth::OAuthToken;
use crate::models::user::{NewUser, Role, User};
use crate::state::AppState;

pub struct UserSpec {
    pub username: String,
    pub password: String,
    pub email: String,
    pub role: Role,
    pub video_quota: i64,
    pub video_quota_daily: i64,
    pub email_verified: Option<bool>,
    pub admin_flags: i32,
    /// Account display name; the username when absent.
    pub display_name: Option<String>,
    /// Default channel; `{username}_channel` (or the next free name) when absent.
    pub channel: Option<ChannelNames>,
}

pub struct ChannelNames {
    pub name: String,
    pub display_name: String,
}

pub struct CreatedUser {
    pub user: User,
    pub account: Account,
    pub channel: VideoChannel,
}

pub async fn create_user(state: &AppState, spec: UserSpec) -> Result<CreatedUser, FederationError> {
    let bits = state.config.federation.actor_key_bits;
    let (account_keys, channel_keys, password_hash) = tokio::try_join!(
        keys::generate(bits),
        keys::generate(bits),
        password::hash(spec.password.clone()),
    )?;
    let urls = state.urls.clone();
    let mut conn = state.conn().await?;
    conn.transaction::<_, FederationError, _>(async move |conn| {
        if User::username_or_email_taken(conn, &spec.username, &spec.email).await? {
            return Err(FederationError::Conflict(USER_EXISTS.into()));
        }
        if Actor::local_name_taken(conn, &spec.username).await? {
            return Err(FederationError::Conflict(ACTOR_NAME_TAKEN.into()));
        }
        let channel = match spec.channel {
            Some(c) => {
                if c.name.eq_ignore_ascii_case(&spec.username)
                    || Actor::local_name_taken(conn, &c.name).await?
                {
                    return Err(FederationError::Conflict(ACTOR_NAME_TAKEN.into()));
                }
                c
            }
            None => {
                let base = format!("{}_channel", spec.username);
                let name = Actor::available_local_name(conn, &base)
                    .await?
                    .ok_or_else(|| FederationError::Conflict(ACTOR_NAME_TAKEN.into()))?;
                ChannelNames {
                    name,
                    display_name: format!("Main {} channel", spec.username),
                }
            }
        };
        let user = User::insert(
            conn,
            &NewUser {
                username: spec.username.clone(),
                email: spec.email,
                email_verified: spec.email_verified,
                password_hash,
                role: spec.role,
                video_quota: spec.video_quota,
                video_quota_daily: spec.video_quota_daily,
                nsfw_policy: "do_not_list".into(),
                admin_flags: spec.admin_flags,
            },
        )
        .await
        .map_err(|e| conflict_on_unique(e, USER_EXISTS))?;
        let account_actor = Actor::insert(
            conn,
            &NewActor::local(&urls, ActorType::Person, &spec.username, account_keys),
        )
        .await
        .map_err(|e| conflict_on_unique(e, ACTOR_NAME_TAKEN))?;
        let account = Account::insert(
            conn,
            &NewAccount {
                actor_id: account_actor.id,
                display_name: spec.display_name.unwrap_or(spec.username),
                description: None,
                user_id: Some(user.id),
            },
        )
        .await?;
        let channel_actor = Actor::insert(
            conn,
            &NewActor::local(&urls, ActorType::Group, &channel.name, channel_keys),
        )
        .await
        .map_err(|e| conflict_on_unique(e, ACTOR_NAME_TAKEN))?;
        let channel = VideoChannel::insert(
            conn,
            &NewVideoChannel {
                actor_id: channel_actor.id,
                account_id: account.id,
                display_name: channel.display_name,
                description: None,
                support: None,
            },
        )
        .await?;
        Ok(CreatedUser {
            user,
            account,
            channel,
        })
    })
    .await
}

/// Removes a user, its account, its channels and their actors, and every token. The actors'
/// images' rows come back, for the caller to remove their files (`profile::files::remove`).
pub async fn delete_user(
    conn: &mut AsyncPgConnection,
    user_id: i64,
) -> Result<Vec<ActorImage>, FederationError> {
    conn.transaction::<_, FederationError, _>(async move |conn| {
        let mut images = Vec::new();
        if let Some(account) = Account::find_by_user(conn, user_id).await? {
            let mut actor_ids = VideoChannel::actor_ids_of_account(conn, account.id).await?;
            actor_ids.push(account.actor_id);
            for &actor_id in &actor_ids {
                images.extend(ActorImage::remove(conn, actor_id, None).await?);
            }
            Actor::delete_many(conn, &actor_ids).await?;
        }
        OAuthToken::delete_for_user(conn, user_id).await?;
        User::delete(conn, user_id).await?;
        Ok(images)
    })
    .await
}
