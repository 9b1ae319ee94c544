//! Bearer-token authentication and role rights.

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use chrono::Utc;
use ferrotube_federation::AppState;
use ferrotube_federation::models::oauth::OAuthToken;
use ferrotube_federation::models::user::{User, UserRight};

use crate::error::ApiError;

/// The caller, authenticated by `Authorization: Bearer <access token>`.
pub struct AuthUser {
    pub user: User,
    pub token: OAuthToken,
}

/// The caller if a token was sent; a bad token is still an error, as in PeerTube.
pub struct MaybeUser(pub Option<AuthUser>);

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

fn invalid_token() -> ApiError {
    ApiError::coded(
        StatusCode::UNAUTHORIZED,
        "invalid_token",
        "Token is invalid",
    )
}

async fn authenticate(state: &AppState, token: &str) -> Result<AuthUser, ApiError> {
    let mut conn = state.conn().await?;
    let token = OAuthToken::find_by_access(&mut conn, token)
        .await?
        .filter(|t| t.access_token_expires_at > Utc::now())
        .ok_or_else(invalid_token)?;
    let user = User::find(&mut conn, token.user_id)
        .await?
        .filter(|u| !u.blocked)
        .ok_or_else(invalid_token)?;
    Ok(AuthUser { user, token })
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match bearer(parts) {
            Some(token) => authenticate(state, token).await,
            None => Err(ApiError::coded(
                StatusCode::UNAUTHORIZED,
                "unauthorized_request",
                "Token is invalid",
            )),
        }
    }
}

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match bearer(parts) {
            Some(token) => Ok(Self(Some(authenticate(state, token).await?))),
            None => Ok(Self(None)),
        }
    }
}

impl AuthUser {
    /// 403 unless the caller's role carries `right`.
    pub fn require(&self, right: UserRight) -> Result<(), ApiError> {
        if self.user.has_right(right) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "User {} does not have right {}",
                self.user.username, right as i32
            )))
        }
    }
}
