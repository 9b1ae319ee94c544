//! First start: the server actor, the OAuth client and the `root` administrator.

use rand::Rng;
use rand::distributions::Alphanumeric;

use crate::error::FederationError;
use crate::keys;
use crate::local::user::{UserSpec, create_user};
use crate::models::account::{Account, NewAccount};
use crate::models::actor::{Actor, ActorType, NewActor};
use crate::models::oauth::OAuthClient;
use crate::models::user::{Role, User};
use crate::state::AppState;

/// The server actor's name: other PeerTube instances look it up to follow a server.
pub const SERVER_ACTOR_NAME: &str = "peertube";

pub fn random_token(len: usize) -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(|b| char::from(b).to_ascii_lowercase())
        .collect()
}

/// Creates whatever of the install-time objects is missing. `root_password` comes from
/// `FERROTUBE_INITIAL_ROOT_PASSWORD`; without it a random one is generated and logged once.
pub async fn ensure_installed(
    state: &AppState,
    root_password: Option<String>,
) -> Result<(), FederationError> {
    let mut conn = state.conn().await?;
    if Actor::find_local_by_name(&mut conn, SERVER_ACTOR_NAME)
        .await?
        .is_none()
    {
        let keys = keys::generate(state.config.federation.actor_key_bits).await?;
        let actor = Actor::insert(
            &mut conn,
            &NewActor::local(&state.urls, ActorType::Application, SERVER_ACTOR_NAME, keys),
        )
        .await?;
        Account::insert(
            &mut conn,
            &NewAccount {
                actor_id: actor.id,
                display_name: SERVER_ACTOR_NAME.into(),
                description: None,
                user_id: None,
            },
        )
        .await?;
        tracing::info!("created the server actor");
    }
    if OAuthClient::local(&mut conn).await?.is_none() {
        OAuthClient::create(&mut conn, &random_token(32), &random_token(32)).await?;
        tracing::info!("created the local OAuth client");
    }
    if User::count(&mut conn).await? == 0 {
        drop(conn);
        let (password, generated) = match root_password.filter(|p| !p.is_empty()) {
            Some(p) => (p, false),
            None => (random_token(16), true),
        };
        create_user(
            state,
            UserSpec {
                username: "root".into(),
                password: password.clone(),
                email: state.config.admin.email.clone(),
                role: Role::Administrator,
                video_quota: -1,
                video_quota_daily: -1,
                email_verified: Some(true),
                admin_flags: 1,
                display_name: None,
                channel: None,
            },
        )
        .await?;
        if generated {
            tracing::info!(
                "created the administrator: username root, password {password} (shown only once)"
            );
        } else {
            tracing::info!("created the administrator root with the configured password");
        }
    }
    Ok(())
}
