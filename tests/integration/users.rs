//! Users: signup, /users/me, the admin CRUD, rights and validation.

use serde_json::{Value, json};

use crate::BIN;
use ferrotube_test_support::reference;
use ferrotube_test_support::shape::assert_same_shape;
use ferrotube_test_support::{Options, TestServer, assert_invalid_field, assert_problem, send};

fn signup_open() -> Options {
    Options::default()
        .env("FERROTUBE_SIGNUP__ENABLED", "true")
        .env("FERROTUBE_SIGNUP__REQUIRES_APPROVAL", "false")
        .env("FERROTUBE_RATES_LIMIT__SIGNUP__MAX", "100")
}

#[tokio::test]
async fn register_creates_user_account_and_channel() {
    let s = TestServer::start_with(BIN, signup_open()).await;
    let (status, body) = send(s.client.post(s.api("/users/register")).json(&json!({
        "username": "alice", "password": "alice-password", "email": "alice@anchor.invalid",
        "displayName": "Alice Anchor",
        "channel": { "name": "alice_videos", "displayName": "Alice Videos" },
    })))
    .await;
    assert_eq!(status, 204, "{body}");
    let token = s.login("alice", "alice-password").await;
    let (status, me) = send(s.client.get(s.api("/users/me")).bearer_auth(&token)).await;
    assert_eq!(status, 200);
    assert_eq!(me["username"], "alice");
    assert_eq!(me["account"]["displayName"], "Alice Anchor");
    assert_eq!(me["videoChannels"][0]["name"], "alice_videos");
    assert_eq!(me["role"], json!({"id": 2, "label": "User"}));
    let theirs = reference::load("live-captures/api-v1-users-me-alice.json");
    // PeerTube also creates a "Watch later" playlist; ferrotube has no playlists yet.
    assert_same_shape(&me, &theirs, &["specialPlaylists"]);
    // Without a channel, the default one is `{username}_channel`, or the next free name.
    let (status, _) = send(s.client.post(s.api("/users/register")).json(&json!({
        "username": "bob", "password": "bob-password", "email": "bob@example.com",
    })))
    .await;
    assert_eq!(status, 204);
    let channel = s.get_json("/api/v1/video-channels/bob_channel").await;
    assert_eq!(channel["displayName"], "Main bob channel");
    assert_eq!(channel["ownerAccount"]["name"], "bob");
}

#[tokio::test]
async fn default_channel_takes_the_next_free_name() {
    let s = TestServer::start_with(BIN, signup_open()).await;
    let token = s.create_user("carol", "carol-password").await;
    // carol takes the name "dave_channel" for a channel of her own…
    let (status, _) = send(
        s.client
            .post(s.api("/video-channels"))
            .bearer_auth(&token)
            .json(&json!({"name": "dave_channel", "displayName": "Taken"})),
    )
    .await;
    assert_eq!(status, 200);
    // …so dave's default channel becomes dave_channel-1.
    let (status, _) = send(s.client.post(s.api("/users/register")).json(&json!({
        "username": "dave", "password": "dave-password", "email": "dave@example.com",
    })))
    .await;
    assert_eq!(status, 204);
    let channels = s.get_json("/api/v1/accounts/dave/video-channels").await;
    assert_eq!(channels["total"], 1);
    assert_eq!(channels["data"][0]["name"], "dave_channel-1");
}

#[tokio::test]
async fn register_errors() {
    let s = TestServer::start(BIN).await;
    // Signup is disabled by default.
    let (status, body) = send(s.client.post(s.api("/users/register")).json(&json!({
        "username": "eve", "password": "eve-password", "email": "eve@example.com",
    })))
    .await;
    assert_problem(status, &body, 403);

    let s = TestServer::start_with(BIN, signup_open()).await;
    let (status, body) = send(s.client.post(s.api("/users/register")).json(&json!({
        "username": "Not Valid", "password": "x", "email": "nope",
    })))
    .await;
    assert_invalid_field(status, &body, "username");
    assert_invalid_field(status, &body, "password");
    assert_invalid_field(status, &body, "email");
    assert_eq!(
        body["detail"],
        "Incorrect request parameters: username, password, email"
    );

    // Wrong JSON types are named too.
    let (status, body) = send(s.client.post(s.api("/users/register")).json(&json!({
        "username": 12, "password": "eve-password", "email": "eve@example.com",
    })))
    .await;
    assert_invalid_field(status, &body, "username");

    // Malformed JSON is a clear 400.
    let (status, body) = send(
        s.client
            .post(s.api("/users/register"))
            .header("Content-Type", "application/json")
            .body("{\"username\": "),
    )
    .await;
    assert_problem(status, &body, 400);

    // Oversize bodies are refused.
    let big = "x".repeat(600 * 1024);
    let (status, _) = send(
        s.client
            .post(s.api("/users/register"))
            .header("Content-Type", "application/json")
            .body(format!("{{\"username\": \"{big}\"}}")),
    )
    .await;
    assert_eq!(status, 413);

    let ok = json!({"username": "eve", "password": "eve-password", "email": "eve@example.com"});
    let (status, _) = send(s.client.post(s.api("/users/register")).json(&ok)).await;
    assert_eq!(status, 204);
    // Same username (any case of e-mail) → 409.
    let (status, body) = send(s.client.post(s.api("/users/register")).json(&ok)).await;
    assert_problem(status, &body, 409);
    let (status, body) = send(s.client.post(s.api("/users/register")).json(&json!({
        "username": "eve2", "password": "eve-password", "email": "EVE@example.com",
    })))
    .await;
    assert_problem(status, &body, 409);
    // A username that is already a channel's name → 409 (one namespace).
    let (status, body) = send(s.client.post(s.api("/users/register")).json(&json!({
        "username": "eve_channel", "password": "eve-password", "email": "x@example.com",
    })))
    .await;
    assert_problem(status, &body, 409);
}

#[tokio::test]
async fn signup_limit_and_rate_limit() {
    let s = TestServer::start_with(
        BIN,
        Options::default()
            .env("FERROTUBE_SIGNUP__ENABLED", "true")
            .env("FERROTUBE_SIGNUP__REQUIRES_APPROVAL", "false")
            .env("FERROTUBE_SIGNUP__LIMIT", "2"),
    )
    .await;
    let user = |n: &str| json!({"username": n, "password": "password1", "email": format!("{n}@example.com")});
    let (status, _) = send(s.client.post(s.api("/users/register")).json(&user("u1"))).await;
    assert_eq!(status, 204);
    // root + u1 = 2 users: the limit is reached.
    let (status, body) = send(s.client.post(s.api("/users/register")).json(&user("u2"))).await;
    assert_problem(status, &body, 403);
    // PeerTube's default: 2 signups per 5 minutes per IP.
    let (status, _) = send(s.client.post(s.api("/users/register")).json(&user("u3"))).await;
    assert_eq!(status, 429);
}

#[tokio::test]
async fn me_update_profile_and_password() {
    let s = TestServer::start(BIN).await;
    let token = s.create_user("frank", "frank-password").await;
    let (status, _) = send(
        s.client
            .put(s.api("/users/me"))
            .bearer_auth(&token)
            .json(&json!({"displayName": "Frank F", "description": "I film trains", "nsfwPolicy": "blur", "autoPlayVideo": false})),
    )
    .await;
    assert_eq!(status, 204);
    let (_, me) = send(s.client.get(s.api("/users/me")).bearer_auth(&token)).await;
    assert_eq!(me["account"]["displayName"], "Frank F");
    assert_eq!(me["account"]["description"], "I film trains");
    assert_eq!(me["nsfwPolicy"], "blur");
    assert_eq!(me["autoPlayVideo"], false);

    let (status, body) = send(
        s.client
            .put(s.api("/users/me"))
            .bearer_auth(&token)
            .json(&json!({"nsfwPolicy": "never"})),
    )
    .await;
    assert_invalid_field(status, &body, "nsfwPolicy");

    // A password change needs the current one.
    let (status, body) = send(
        s.client
            .put(s.api("/users/me"))
            .bearer_auth(&token)
            .json(&json!({"password": "new-password", "currentPassword": "wrong"})),
    )
    .await;
    assert_problem(status, &body, 401);
    let other_session = s.login("frank", "frank-password").await;
    let (status, _) = send(
        s.client
            .put(s.api("/users/me"))
            .bearer_auth(&token)
            .json(&json!({"password": "new-password", "currentPassword": "frank-password"})),
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(s.login_full("frank", "frank-password").await.status(), 400);
    s.login("frank", "new-password").await;
    // The other session ended; this one goes on.
    let (status, _) = send(s.client.get(s.api("/users/me")).bearer_auth(&other_session)).await;
    assert_eq!(status, 401);
    let (status, _) = send(s.client.get(s.api("/users/me")).bearer_auth(&token)).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn admin_crud_and_rights() {
    let s = TestServer::start(BIN).await;
    let root = s.root_token().await;
    let create = |username: &str, role: i64| {
        json!({
            "username": username, "password": "password-1", "email": format!("{username}@example.com"),
            "videoQuota": 1000, "videoQuotaDaily": -1, "role": role,
        })
    };
    let (status, created) = send(
        s.client
            .post(s.api("/users"))
            .bearer_auth(&root)
            .json(&create("gina", 2)),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    let id = created["user"]["id"].as_i64().unwrap_or_default();
    assert!(created["user"]["account"]["id"].is_number());

    let (status, _) = send(
        s.client
            .post(s.api("/users"))
            .bearer_auth(&root)
            .json(&create("gina", 2)),
    )
    .await;
    assert_eq!(status, 409);
    let (status, body) = send(
        s.client
            .post(s.api("/users"))
            .bearer_auth(&root)
            .json(&json!({"username": "hank"})),
    )
    .await;
    assert_invalid_field(status, &body, "email");
    assert_invalid_field(status, &body, "role");
    let (status, body) = send(
        s.client
            .post(s.api("/users"))
            .bearer_auth(&root)
            .json(&create("hank", 7)),
    )
    .await;
    assert_invalid_field(status, &body, "role");

    let (status, list) = send(
        s.client
            .get(s.api("/users?sort=username"))
            .bearer_auth(&root),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(list["total"], 2);
    assert_eq!(list["data"][0]["username"], "gina");
    assert_eq!(list["data"][0]["videoQuota"], 1000);
    assert_eq!(list["data"][0]["videoQuotaUsed"], 0);
    let (status, body) = send(
        s.client
            .get(s.api("/users?sort=shoeSize"))
            .bearer_auth(&root),
    )
    .await;
    assert_invalid_field(status, &body, "sort");
    let (status, body) = send(s.client.get(s.api("/users?count=101")).bearer_auth(&root)).await;
    assert_invalid_field(status, &body, "count");
    let (status, list) = send(
        s.client
            .get(s.api("/users?search=gin&start=0&count=1"))
            .bearer_auth(&root),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(list["total"], 1);

    let (status, user) = send(
        s.client
            .get(s.api(&format!("/users/{id}")))
            .bearer_auth(&root),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(user["username"], "gina");
    let (status, body) = send(s.client.get(s.api("/users/99999")).bearer_auth(&root)).await;
    assert_problem(status, &body, 404);
    let (status, body) = send(s.client.get(s.api("/users/abc")).bearer_auth(&root)).await;
    assert_invalid_field(status, &body, "id");

    let (status, _) = send(
        s.client
            .put(s.api(&format!("/users/{id}")))
            .bearer_auth(&root)
            .json(&json!({"videoQuota": 5000, "role": 1})),
    )
    .await;
    assert_eq!(status, 204);
    let (_, user) = send(
        s.client
            .get(s.api(&format!("/users/{id}")))
            .bearer_auth(&root),
    )
    .await;
    assert_eq!(user["videoQuota"], 5000);
    assert_eq!(user["role"]["label"], "Moderator");

    // Root keeps its role and cannot be removed.
    let (status, body) = send(
        s.client
            .put(s.api("/users/1"))
            .bearer_auth(&root)
            .json(&json!({"role": 2})),
    )
    .await;
    assert_problem(status, &body, 400);
    let (status, body) = send(s.client.delete(s.api("/users/1")).bearer_auth(&root)).await;
    assert_problem(status, &body, 400);

    let (status, _) = send(
        s.client
            .delete(s.api(&format!("/users/{id}")))
            .bearer_auth(&root),
    )
    .await;
    assert_eq!(status, 204);
    let (status, _) = send(
        s.client
            .get(s.api(&format!("/users/{id}")))
            .bearer_auth(&root),
    )
    .await;
    assert_eq!(status, 404);
    // Its account, channel and actors are gone with it, and the names are free again.
    let (status, _) = send(s.client.get(s.api("/accounts/gina"))).await;
    assert_eq!(status, 404);
    let (status, _) = send(s.client.get(s.api("/video-channels/gina_channel"))).await;
    assert_eq!(status, 404);
    let (status, _) = send(
        s.client
            .delete(s.api(&format!("/users/{id}")))
            .bearer_auth(&root),
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn plain_users_and_moderators_are_kept_out() {
    let s = TestServer::start(BIN).await;
    let root = s.root_token().await;
    let user = s.create_user("ivan", "ivan-password").await;
    for (method, path) in [
        ("GET", "/users"),
        ("GET", "/users/1"),
        ("POST", "/users"),
        ("PUT", "/users/1"),
        ("DELETE", "/users/1"),
    ] {
        let req = match method {
            "GET" => s.client.get(s.api(path)),
            "POST" => s.client.post(s.api(path)),
            "PUT" => s.client.put(s.api(path)),
            _ => s.client.delete(s.api(path)),
        };
        let (status, body) = send(req.bearer_auth(&user).json(&json!({}))).await;
        assert_problem(status, &body, 403);
        let req = match method {
            "GET" => s.client.get(s.api(path)),
            "POST" => s.client.post(s.api(path)),
            "PUT" => s.client.put(s.api(path)),
            _ => s.client.delete(s.api(path)),
        };
        let (status, _) = send(req.json(&json!({}))).await;
        assert_eq!(status, 401, "{method} {path} without a token");
    }
    // A moderator manages users but not administrators, and cannot make admins.
    let (status, created) = send(
        s.client
            .post(s.api("/users"))
            .bearer_auth(&root)
            .json(&json!({
                "username": "mod", "password": "mod-password", "email": "mod@example.com",
                "videoQuota": -1, "videoQuotaDaily": -1, "role": 1,
            })),
    )
    .await;
    assert_eq!(status, 200);
    let _ = created;
    let moderator = s.login("mod", "mod-password").await;
    let (status, list) = send(s.client.get(s.api("/users")).bearer_auth(&moderator)).await;
    assert_eq!(status, 200, "{list}");
    let (status, body) = send(s.client.delete(s.api("/users/1")).bearer_auth(&moderator)).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = send(
        s.client
            .put(s.api("/users/1"))
            .bearer_auth(&moderator)
            .json(&json!({"videoQuota": 1})),
    )
    .await;
    assert_problem(status, &body, 403);
    let (status, body) = send(s.client.post(s.api("/users")).bearer_auth(&moderator).json(
        &json!({
            "username": "boss", "password": "boss-password", "email": "boss@example.com",
            "videoQuota": -1, "videoQuotaDaily": -1, "role": 0,
        }),
    ))
    .await;
    assert_problem(status, &body, 403);
    let ivan: Value = s.get_json("/api/v1/accounts/ivan").await;
    let ivan_user = ivan["userId"].as_i64().unwrap_or_default();
    let (status, _) = send(
        s.client
            .put(s.api(&format!("/users/{ivan_user}")))
            .bearer_auth(&moderator)
            .json(&json!({"videoQuota": 42})),
    )
    .await;
    assert_eq!(status, 204);
}
