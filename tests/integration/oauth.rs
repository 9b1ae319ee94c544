//! OAuth: PeerTube's CLI exchange, grants, refresh, revocation, expiry, rate limit.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::BIN;
use ferrotube_test_support::reference;
use ferrotube_test_support::shape::assert_same_shape;
use ferrotube_test_support::{Options, ROOT_PASSWORD, TestServer, assert_problem, send};

#[tokio::test]
async fn peertube_cli_login_exchange() {
    let s = TestServer::start(BIN).await;
    // 1. GET /api/v1/oauth-clients/local
    let (status, client) = send(s.client.get(s.api("/oauth-clients/local"))).await;
    assert_eq!(status, 200);
    let theirs = reference::load("live-captures/oauth-client-local.json");
    assert_same_shape(&client, &theirs, &[]);
    // 2. the CLI's form-encoded password grant, with response_type=code and scope=upload
    let body = format!(
        "client_id={}&client_secret={}&username=root&password={}&response_type=code&grant_type=password&scope=upload",
        client["client_id"].as_str().unwrap_or_default(),
        client["client_secret"].as_str().unwrap_or_default(),
        ROOT_PASSWORD
    );
    let res = s
        .client
        .post(s.api("/users/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .map_err(|e| e.to_string());
    let Ok(res) = res else {
        panic!("token request failed")
    };
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers().get("cache-control").map(|v| v.as_bytes()),
        Some(&b"no-store"[..])
    );
    assert_eq!(
        res.headers().get("pragma").map(|v| v.as_bytes()),
        Some(&b"no-cache"[..])
    );
    let token: Value = res.json().await.unwrap_or(Value::Null);
    let theirs = reference::load("live-captures/oauth-token-password-grant.json");
    assert_same_shape(&token, &theirs, &[]);
    assert_eq!(token["token_type"], "Bearer");
    assert_eq!(token["access_token"].as_str().map(str::len), Some(40));
    assert_eq!(token["expires_in"], 86399);
    assert_eq!(token["refresh_token_expires_in"], 1209599);
    // 3. GET /api/v1/users/me: the CLI uploads to videoChannels[0].id
    let access = token["access_token"].as_str().unwrap_or_default();
    let (status, me) = send(s.client.get(s.api("/users/me")).bearer_auth(access)).await;
    assert_eq!(status, 200);
    assert_eq!(me["username"], "root");
    assert!(me["videoChannels"][0]["id"].is_number());
}

#[tokio::test]
async fn json_body_and_login_by_email_work_too() {
    let s = TestServer::start(BIN).await;
    let (id, secret) = s.oauth_client().await;
    let (status, body) = send(s.client.post(s.api("/users/token")).json(&json!({
        "client_id": id, "client_secret": secret, "grant_type": "password",
        "username": "admin@example.com", "password": ROOT_PASSWORD,
    })))
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["access_token"].is_string());
}

#[tokio::test]
async fn bad_credentials_and_clients() {
    let s = TestServer::start(BIN).await;
    let res = s.login_full("root", "wrong-password").await;
    let status = res.status().as_u16();
    assert_eq!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json; charset=utf-8")
    );
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert_problem(status, &body, 400);
    assert_eq!(body["code"], "invalid_grant");
    let theirs = reference::load("live-captures/oauth-token-bad-password.json");
    assert_eq!(body, theirs);
    let res = s.login_full("nobody", "whatever").await;
    assert_eq!(res.status(), 400);

    let form = HashMap::from([
        ("client_id", "nope"),
        ("client_secret", "nope"),
        ("grant_type", "password"),
        ("username", "root"),
        ("password", ROOT_PASSWORD),
    ]);
    let (status, body) = send(s.client.post(s.api("/users/token")).form(&form)).await;
    assert_problem(status, &body, 400);
    assert_eq!(body["code"], "invalid_client");

    let (id, secret) = s.oauth_client().await;
    let form = HashMap::from([
        ("client_id", id.as_str()),
        ("client_secret", secret.as_str()),
        ("grant_type", "client_credentials"),
    ]);
    let (status, body) = send(s.client.post(s.api("/users/token")).form(&form)).await;
    assert_problem(status, &body, 400);
    assert_eq!(body["code"], "unsupported_grant_type");
}

#[tokio::test]
async fn refresh_is_single_use_and_kills_the_old_access_token() {
    let s = TestServer::start(BIN).await;
    let res = s.login_full("root", ROOT_PASSWORD).await;
    let first: Value = res.json().await.unwrap_or(Value::Null);
    let (id, secret) = s.oauth_client().await;
    let refresh = first["refresh_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let form = HashMap::from([
        ("client_id", id.as_str()),
        ("client_secret", secret.as_str()),
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh.as_str()),
    ]);
    let (status, second) = send(s.client.post(s.api("/users/token")).form(&form)).await;
    assert_eq!(status, 200, "{second}");
    let theirs = reference::load("live-captures/oauth-token-refresh-grant.json");
    assert_same_shape(&second, &theirs, &[]);
    assert_ne!(second["access_token"], first["access_token"]);
    // The old access token is dead…
    let old = first["access_token"].as_str().unwrap_or_default();
    let (status, body) = send(s.client.get(s.api("/users/me")).bearer_auth(old)).await;
    assert_problem(status, &body, 401);
    assert_eq!(body["code"], "invalid_token");
    // …the new one works…
    let new = second["access_token"].as_str().unwrap_or_default();
    let (status, _) = send(s.client.get(s.api("/users/me")).bearer_auth(new)).await;
    assert_eq!(status, 200);
    // …and the refresh token cannot be used twice.
    let (status, body) = send(s.client.post(s.api("/users/token")).form(&form)).await;
    assert_problem(status, &body, 400);
    assert_eq!(body["code"], "invalid_grant");
}

#[tokio::test]
async fn revoked_missing_and_garbage_tokens_get_401() {
    let s = TestServer::start(BIN).await;
    let token = s.root_token().await;
    let (status, _) = send(
        s.client
            .post(s.api("/users/revoke-token"))
            .bearer_auth(&token),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = send(s.client.get(s.api("/users/me")).bearer_auth(&token)).await;
    assert_problem(status, &body, 401);
    let (status, body) = send(s.client.get(s.api("/users/me"))).await;
    assert_problem(status, &body, 401);
    let (status, body) = send(s.client.get(s.api("/users/me")).bearer_auth("garbage")).await;
    assert_problem(status, &body, 401);
    let (status, _) = send(s.client.post(s.api("/users/revoke-token"))).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn expired_access_tokens_get_401() {
    let s = TestServer::start_with(
        BIN,
        Options::default().env("FERROTUBE_OAUTH2__TOKEN_LIFETIME__ACCESS_TOKEN", "1 second"),
    )
    .await;
    let token = s.root_token().await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let (status, body) = send(s.client.get(s.api("/users/me")).bearer_auth(&token)).await;
    assert_problem(status, &body, 401);
    assert_eq!(body["code"], "invalid_token");
}

#[tokio::test]
async fn login_is_rate_limited_per_ip_in_redis() {
    let s = TestServer::start_with(
        BIN,
        Options::default().env("FERROTUBE_RATES_LIMIT__LOGIN__MAX", "3"),
    )
    .await;
    for _ in 0..3 {
        let res = s.login_full("root", "wrong").await;
        assert_eq!(res.status(), 400);
    }
    let res = s.login_full("root", ROOT_PASSWORD).await;
    assert_eq!(res.status(), 429);
    let text = res.text().await.unwrap_or_default();
    assert_eq!(text, "Too many requests, please try again later.");
    // The count lives in Redis: a restarted process still refuses.
    let mut s = s;
    s.stop();
    s.spawn().await;
    let res = s.login_full("root", ROOT_PASSWORD).await;
    assert_eq!(res.status(), 429);
    // Another client address (through the trusted loopback proxy) is counted apart.
    let (id, secret) = s.oauth_client().await;
    let form = HashMap::from([
        ("client_id", id.as_str()),
        ("client_secret", secret.as_str()),
        ("grant_type", "password"),
        ("username", "root"),
        ("password", ROOT_PASSWORD),
    ]);
    let (status, _) = send(
        s.client
            .post(s.api("/users/token"))
            .header("X-Forwarded-For", "203.0.113.7")
            .form(&form),
    )
    .await;
    assert_eq!(status, 200);
}
