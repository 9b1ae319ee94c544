//! `POST /api/v1/users/token`: OAuth 2 password and refresh_token grants, form-encoded (as
//! PeerTube's CLI and web client send) or JSON.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use ferrotube_federation::AppState;
use ferrotube_federation::local::password;
use ferrotube_federation::models::oauth::{NewOAuthToken, OAuthClient, OAuthToken};
use ferrotube_federation::models::user::User;
use ferrotube_federation::problem::Problem;
use rand::RngCore;
use serde_json::json;
use sha1::{Digest, Sha1};

use crate::client_ip::ClientIp;
use crate::error::{ApiError, ApiResult};
use crate::fields::Body;
use crate::rate_limit;

const DOCS: &str = "https://docs.joinpeertube.org/api-rest-reference.html#operation/getOAuthToken";

fn oauth_error(code: &'static str, detail: &str) -> ApiError {
    ApiError::Problem(Box::new(
        Problem::new(StatusCode::BAD_REQUEST, detail)
            .with_code(code)
            .with_docs(DOCS),
    ))
}

/// sha1 hex of 256 random bytes, as PeerTube's tokens.
fn new_token() -> String {
    let mut bytes = [0u8; 256];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(Sha1::digest(bytes))
}

pub async fn handler(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Body(body): Body,
) -> ApiResult<Response> {
    rate_limit::hit(&state, "login", ip, state.config.rates_limit.login).await?;
    let text = |name: &str| body.raw(name).and_then(|v| v.as_str()).map(str::to_string);
    let grant_type = text("grant_type")
        .ok_or_else(|| oauth_error("invalid_request", "Missing parameter: `grant_type`"))?;
    if grant_type != "password" && grant_type != "refresh_token" {
        return Err(oauth_error(
            "unsupported_grant_type",
            "Unsupported grant type: `grant_type` is invalid",
        ));
    }
    let (Some(client_id), Some(client_secret)) = (text("client_id"), text("client_secret")) else {
        return Err(oauth_error(
            "invalid_client",
            "Invalid client: cannot retrieve client credentials",
        ));
    };
    let mut conn = state.conn().await?;
    let client = OAuthClient::find(&mut conn, &client_id, &client_secret)
        .await?
        .ok_or_else(|| oauth_error("invalid_client", "Invalid client: client is invalid"))?;

    let user = if grant_type == "password" {
        let username = text("username")
            .ok_or_else(|| oauth_error("invalid_request", "Missing parameter: `username`"))?;
        let pass = text("password")
            .ok_or_else(|| oauth_error("invalid_request", "Missing parameter: `password`"))?;
        let user = User::find_by_username_or_email(&mut conn, &username).await?;
        let Some(user) = user else {
            return Err(oauth_error(
                "invalid_grant",
                "Invalid grant: user credentials are invalid",
            ));
        };
        if !password::verify(pass, user.password_hash.clone()).await {
            return Err(oauth_error(
                "invalid_grant",
                "Invalid grant: user credentials are invalid",
            ));
        }
        user
    } else {
        let refresh = text("refresh_token")
            .ok_or_else(|| oauth_error("invalid_request", "Missing parameter: `refresh_token`"))?;
        let old = OAuthToken::take_by_refresh(&mut conn, &refresh)
            .await?
            .filter(|t| t.oauth_client_id == client.id)
            .ok_or_else(|| {
                oauth_error("invalid_grant", "Invalid grant: refresh token is invalid")
            })?;
        if old.refresh_token_expires_at <= Utc::now() {
            return Err(oauth_error(
                "invalid_grant",
                "Invalid grant: refresh token has expired",
            ));
        }
        User::find(&mut conn, old.user_id).await?.ok_or_else(|| {
            oauth_error("invalid_grant", "Invalid grant: refresh token is invalid")
        })?
    };
    if user.blocked {
        return Err(oauth_error("access_denied", "User is blocked."));
    }

    let lifetimes = &state.config.oauth2.token_lifetime;
    let now = Utc::now();
    let access_ttl = Duration::from_std(lifetimes.access_token).unwrap_or(Duration::days(1));
    let refresh_ttl = Duration::from_std(lifetimes.refresh_token).unwrap_or(Duration::weeks(2));
    let token = OAuthToken::insert(
        &mut conn,
        &NewOAuthToken {
            access_token: new_token(),
            access_token_expires_at: now + access_ttl,
            refresh_token: new_token(),
            refresh_token_expires_at: now + refresh_ttl,
            oauth_client_id: client.id,
            user_id: user.id,
        },
    )
    .await?;
    User::touch_login(&mut conn, user.id).await?;

    // Seconds left, rounded down as PeerTube's oauth2-server does.
    let left = |at: chrono::DateTime<Utc>| (at - Utc::now()).num_milliseconds().max(0) / 1000;
    let mut res = Json(json!({
        "token_type": "Bearer",
        "access_token": token.access_token,
        "refresh_token": token.refresh_token,
        "expires_in": left(token.access_token_expires_at),
        "refresh_token_expires_in": left(token.refresh_token_expires_at),
    }))
    .into_response();
    let headers = res.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    Ok(res)
}
