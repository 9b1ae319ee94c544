//! Accounts: list, get, their channels; shapes compared with PeerTube's.

use serde_json::json;

use crate::BIN;
use ferrotube_test_support::reference;
use ferrotube_test_support::shape::assert_same_shape;
use ferrotube_test_support::{TestServer, assert_invalid_field, assert_problem, send};

#[tokio::test]
async fn accounts_list_get_and_channels() {
    let s = TestServer::start(BIN).await;
    let token = s.create_user("alice", "alice-password").await;
    let (status, _) = send(
        s.client
            .put(s.api("/users/me"))
            .bearer_auth(&token)
            .json(&json!({"displayName": "Alice Anchor"})),
    )
    .await;
    assert_eq!(status, 204);

    let account = s.get_json("/api/v1/accounts/alice").await;
    assert_eq!(account["name"], "alice");
    assert_eq!(account["host"], s.host.as_str());
    assert_eq!(account["url"], format!("{}/accounts/alice", s.url));
    let theirs = reference::load("live-captures/api-v1-accounts-alice.json");
    assert_same_shape(&account, &theirs, &[]);
    // name@ourhost is the same account.
    let same = s
        .get_json(&format!("/api/v1/accounts/alice@{}", s.host))
        .await;
    assert_eq!(same["id"], account["id"]);

    let (status, body) = send(s.client.get(s.api("/accounts/nobody"))).await;
    assert_problem(status, &body, 404);
    let (status, body) = send(s.client.get(s.api("/accounts/alice@elsewhere.example"))).await;
    assert_problem(status, &body, 404);

    // peertube (the server), root and alice.
    let list = s.get_json("/api/v1/accounts?sort=createdAt").await;
    assert_eq!(list["total"], 3);
    assert_eq!(list["data"][0]["name"], "peertube");
    let list = s.get_json("/api/v1/accounts?sort=-createdAt&count=1").await;
    assert_eq!(list["total"], 3);
    assert_eq!(list["data"].as_array().map(Vec::len), Some(1));
    assert_eq!(list["data"][0]["name"], "alice");
    let (status, body) = send(s.client.get(s.api("/accounts?start=-1"))).await;
    assert_invalid_field(status, &body, "start");

    let channels = s.get_json("/api/v1/accounts/alice/video-channels").await;
    assert_eq!(channels["total"], 1);
    assert_eq!(channels["data"][0]["name"], "alice_channel");
    assert_eq!(channels["data"][0]["ownerAccount"]["name"], "alice");
    let (status, _) = send(s.client.get(s.api("/accounts/nobody/video-channels"))).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn unknown_api_routes_get_400() {
    let s = TestServer::start(BIN).await;
    let (status, body) = send(s.client.get(s.api("/no-such-thing"))).await;
    assert_problem(status, &body, 400);
}
