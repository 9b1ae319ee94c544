//! What each CLI command does.

use std::io::BufRead;

use anyhow::{Context, bail};
use ferrotube_federation::AppState;
use ferrotube_federation::bootstrap::{self, random_token};
use ferrotube_federation::config::Config;
use ferrotube_federation::db;
use ferrotube_federation::local::user::{UserSpec, create_user as create};
use ferrotube_federation::local::{names, password};
use ferrotube_federation::models::oauth::OAuthToken;
use ferrotube_federation::models::user::{Role, User, UserChanges};

use crate::cli::RoleArg;
use crate::{jobs, server};

/// Database created if missing, migrations applied, state built, install-time rows present.
async fn prepare(config: Config) -> anyhow::Result<AppState> {
    db::create_database_if_missing(&config)
        .await
        .context("preparing the database (database.*)")?;
    db::run_migrations(&config)
        .await
        .context("applying migrations")?;
    let pool = db::pool(&config)?;
    for dir in config.storage.all_dirs() {
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("creating {} (storage.*)", dir.display()))?;
    }
    let state = AppState::new(config, pool)
        .await
        .context("connecting to Redis (redis.*)")?;
    let root_password = std::env::var("FERROTUBE_INITIAL_ROOT_PASSWORD").ok();
    bootstrap::ensure_installed(&state, root_password).await?;
    Ok(state)
}

pub async fn serve(config: Config) -> anyhow::Result<()> {
    let state = prepare(config).await?;
    let runner = jobs::spawn(&state);
    let served = server::serve(state).await;
    runner.shutdown().await;
    served
}

pub async fn worker(config: Config) -> anyhow::Result<()> {
    let state = prepare(config).await?;
    let runner = jobs::spawn(&state);
    server::shutdown_signal().await;
    runner.shutdown().await;
    Ok(())
}

pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    db::create_database_if_missing(config).await?;
    let n = db::run_migrations(config).await?;
    println!("{n} migration(s) applied");
    Ok(())
}

fn read_password(given: Option<String>) -> anyhow::Result<(String, bool)> {
    if let Some(p) = given {
        return Ok((p, false));
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let line = line.trim_end_matches(['\r', '\n']).to_string();
    if line.is_empty() {
        Ok((random_token(16), true))
    } else {
        Ok((line, false))
    }
}

pub async fn reset_password(
    config: Config,
    username: &str,
    given: Option<String>,
) -> anyhow::Result<()> {
    let state = prepare(config).await?;
    let mut conn = state.conn().await?;
    let Some(user) = User::find_by_username(&mut conn, username).await? else {
        bail!("no user named {username}");
    };
    let (new_password, generated) = read_password(given)?;
    if !names::is_valid_password(&new_password) {
        bail!("a password has 6 to 255 characters");
    }
    let hash = password::hash(new_password.clone()).await?;
    User::update(
        &mut conn,
        user.id,
        &UserChanges {
            password_hash: Some(hash),
            ..UserChanges::default()
        },
    )
    .await?;
    OAuthToken::delete_for_user(&mut conn, user.id).await?;
    if generated {
        println!("New password of {username}: {new_password}");
    } else {
        println!("Password of {username} changed");
    }
    Ok(())
}

pub async fn create_user(
    config: Config,
    username: String,
    email: String,
    given: Option<String>,
    role: RoleArg,
) -> anyhow::Result<()> {
    if !names::is_valid_username(&username) {
        bail!("a username has 1 to 50 characters among a-z, 0-9, . and _");
    }
    if !names::is_valid_email(&email) {
        bail!("{email} is not an e-mail address");
    }
    let (generated, user_password) = match given {
        Some(p) => (false, p),
        None => (true, random_token(16)),
    };
    if !names::is_valid_password(&user_password) {
        bail!("a password has 6 to 255 characters");
    }
    let state = prepare(config).await?;
    let role = match role {
        RoleArg::Admin => Role::Administrator,
        RoleArg::Moderator => Role::Moderator,
        RoleArg::User => Role::User,
    };
    let created = create(
        &state,
        UserSpec {
            username: username.clone(),
            password: user_password.clone(),
            email,
            role,
            video_quota: state.config.user.video_quota,
            video_quota_daily: state.config.user.video_quota_daily,
            email_verified: Some(true),
            admin_flags: 0,
            display_name: None,
            channel: None,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("cannot create {username}: {e}"))?;
    println!("Created user {username} (id {})", created.user.id);
    if generated {
        println!("Password: {user_password}");
    }
    Ok(())
}
