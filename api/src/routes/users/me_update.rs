//! `PUT /api/v1/users/me`: profile, preferences, and e-mail or password with the current one.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use diesel_async::AsyncConnection;
use ferrotube_federation::local::{names, password};
use ferrotube_federation::models::account::{Account, AccountChanges, AccountFull};
use ferrotube_federation::models::oauth::OAuthToken;
use ferrotube_federation::models::user::{User, UserChanges};
use ferrotube_federation::profile::{self, Profile};
use ferrotube_federation::{AppState, FederationError};

use super::common::valid_nsfw_policy;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::fields::Body;

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    Body(mut body): Body,
) -> ApiResult<StatusCode> {
    let new_password = body.opt_str("password", names::is_valid_password);
    let current = body.opt_str("currentPassword", |s| !s.is_empty());
    let email = body.opt_str("email", names::is_valid_email);
    let display_name = body.opt_str("displayName", names::is_valid_display_name);
    let description = body.nullable_str("description", names::is_valid_description);
    let mut changes = UserChanges {
        nsfw_policy: body.opt_str("nsfwPolicy", valid_nsfw_policy),
        p2p_enabled: body.opt_bool("p2pEnabled"),
        videos_history_enabled: body.opt_bool("videosHistoryEnabled"),
        auto_play_video: body.opt_bool("autoPlayVideo"),
        auto_play_next_video: body.opt_bool("autoPlayNextVideo"),
        auto_play_next_video_playlist: body.opt_bool("autoPlayNextVideoPlaylist"),
        video_languages: body.opt_str_array("videoLanguages", |s| (2..=10).contains(&s.len())),
        theme: body.opt_str("theme", |s| (1..=100).contains(&s.len())),
        no_instance_config_warning_modal: body.opt_bool("noInstanceConfigWarningModal"),
        no_welcome_modal: body.opt_bool("noWelcomeModal"),
        no_account_setup_warning_modal: body.opt_bool("noAccountSetupWarningModal"),
        email_public: body.opt_bool("emailPublic"),
        updated_at: Some(Utc::now()),
        ..UserChanges::default()
    };
    body.finish()?;

    let user = &auth.user;
    if new_password.is_some() || email.is_some() {
        let Some(current) = current else {
            return Err(ApiError::bad_request(
                "currentPassword parameter is missing.",
            ));
        };
        if !password::verify(current, user.password_hash.clone()).await {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "currentPassword is invalid.",
            ));
        }
    }
    let mut conn = state.conn().await?;
    if let Some(email) = email {
        if User::email_taken_by_other(&mut conn, &email, user.id).await? {
            return Err(ApiError::conflict("User with this email already exists."));
        }
        changes.email = Some(email);
    }
    let password_changed = new_password.is_some();
    if let Some(p) = new_password {
        changes.password_hash = Some(password::hash(p).await?);
    }
    User::update(&mut conn, user.id, &changes).await?;
    if password_changed {
        // Every other session ends with a password change; this one stays.
        OAuthToken::delete_for_user_except(&mut conn, user.id, auth.token.id).await?;
    }
    if display_name.is_some() || description.is_some() {
        let account = AccountFull::load_by_user(&mut conn, user.id)
            .await?
            .ok_or_else(|| ApiError::not_found("Account not found"))?;
        let account_id = account.account.id;
        let urls = state.urls.clone();
        let changes = AccountChanges {
            display_name,
            description,
            updated_at: Some(Utc::now()),
        };
        // The change and its Update(Person) to followers commit together.
        conn.transaction::<_, FederationError, _>(async move |conn| {
            Account::update(conn, account_id, &changes).await?;
            profile::send_update(conn, &urls, Profile::Account(account_id)).await
        })
        .await?;
    }
    Ok(StatusCode::NO_CONTENT)
}
