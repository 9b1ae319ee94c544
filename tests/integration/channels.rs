//! Video channels: create, list, get, update, delete; ownership and limits.

use serde_json::json;

use crate::BIN;
use ferrotube_test_support::reference;
use ferrotube_test_support::shape::assert_same_shape;
use ferrotube_test_support::{Options, TestServer, assert_invalid_field, assert_problem, send};

#[tokio::test]
async fn channel_lifecycle() {
    let s = TestServer::start(BIN).await;
    let alice = s.create_user("alice", "alice-password").await;
    let (status, created) = send(
        s.client
            .post(s.api("/video-channels"))
            .bearer_auth(&alice)
            .json(&json!({
                "name": "alice_videos", "displayName": "Alice Videos",
            })),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    assert!(created["videoChannel"]["id"].is_number());

    let channel = s.get_json("/api/v1/video-channels/alice_videos").await;
    assert_eq!(channel["displayName"], "Alice Videos");
    assert_eq!(channel["isLocal"], true);
    assert_eq!(channel["ownerAccount"]["name"], "alice");
    let theirs = reference::load("live-captures/api-v1-video-channels-alice_videos.json");
    assert_same_shape(&channel, &theirs, &[]);

    let (status, _) = send(
        s.client.put(s.api("/video-channels/alice_videos")).bearer_auth(&alice).json(&json!({
            "displayName": "Alice's best", "description": "Trains and boats", "support": "Tip jar",
        })),
    )
    .await;
    assert_eq!(status, 204);
    let channel = s.get_json("/api/v1/video-channels/alice_videos").await;
    assert_eq!(channel["displayName"], "Alice's best");
    assert_eq!(channel["description"], "Trains and boats");
    assert_eq!(channel["support"], "Tip jar");

    let list = s.get_json("/api/v1/video-channels?sort=name").await;
    assert_eq!(list["total"], 3);
    assert_eq!(list["data"][0]["name"], "alice_channel");

    let (status, _) = send(
        s.client
            .delete(s.api("/video-channels/alice_videos"))
            .bearer_auth(&alice),
    )
    .await;
    assert_eq!(status, 204);
    let (status, body) = send(s.client.get(s.api("/video-channels/alice_videos"))).await;
    assert_problem(status, &body, 404);
    // The last channel stays.
    let (status, body) = send(
        s.client
            .delete(s.api("/video-channels/alice_channel"))
            .bearer_auth(&alice),
    )
    .await;
    assert_problem(status, &body, 409);
}

#[tokio::test]
async fn channel_errors_and_rights() {
    let s = TestServer::start_with(
        BIN,
        Options::default().env("FERROTUBE_VIDEO_CHANNELS__MAX_PER_USER", "2"),
    )
    .await;
    let alice = s.create_user("alice", "alice-password").await;
    let bob = s.create_user("bob", "bob-password").await;
    let root = s.root_token().await;

    let (status, body) = send(
        s.client
            .post(s.api("/video-channels"))
            .json(&json!({"name": "x", "displayName": "X"})),
    )
    .await;
    assert_problem(status, &body, 401);
    let (status, body) = send(
        s.client
            .post(s.api("/video-channels"))
            .bearer_auth(&alice)
            .json(&json!({"name": "bad name!", "displayName": ""})),
    )
    .await;
    assert_invalid_field(status, &body, "name");
    assert_invalid_field(status, &body, "displayName");
    // One namespace for accounts and channels.
    let (status, body) = send(
        s.client
            .post(s.api("/video-channels"))
            .bearer_auth(&alice)
            .json(&json!({"name": "bob", "displayName": "Bob?"})),
    )
    .await;
    assert_problem(status, &body, 409);
    let (status, body) = send(
        s.client
            .post(s.api("/video-channels"))
            .bearer_auth(&alice)
            .json(&json!({"name": "BOB_channel", "displayName": "Bob?"})),
    )
    .await;
    assert_problem(status, &body, 409);

    let (status, _) = send(
        s.client
            .post(s.api("/video-channels"))
            .bearer_auth(&alice)
            .json(&json!({"name": "alice_two", "displayName": "Two"})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = send(
        s.client
            .post(s.api("/video-channels"))
            .bearer_auth(&alice)
            .json(&json!({"name": "alice_three", "displayName": "Three"})),
    )
    .await;
    assert_problem(status, &body, 400);

    // Bob cannot touch Alice's channels; an admin can.
    let (status, body) = send(
        s.client
            .put(s.api("/video-channels/alice_two"))
            .bearer_auth(&bob)
            .json(&json!({"displayName": "Mine"})),
    )
    .await;
    assert_problem(status, &body, 403);
    let (status, body) = send(
        s.client
            .delete(s.api("/video-channels/alice_two"))
            .bearer_auth(&bob),
    )
    .await;
    assert_problem(status, &body, 403);
    let (status, _) = send(
        s.client
            .put(s.api("/video-channels/alice_two"))
            .bearer_auth(&root)
            .json(&json!({"displayName": "Moderated"})),
    )
    .await;
    assert_eq!(status, 204);
    let (status, body) = send(
        s.client
            .put(s.api("/video-channels/nope"))
            .bearer_auth(&alice)
            .json(&json!({"displayName": "Mine"})),
    )
    .await;
    assert_problem(status, &body, 404);
    let (status, body) = send(
        s.client
            .put(s.api("/video-channels/alice_two"))
            .bearer_auth(&alice)
            .json(&json!({"displayName": 5})),
    )
    .await;
    assert_invalid_field(status, &body, "displayName");
    let (status, _) = send(
        s.client
            .delete(s.api("/video-channels/alice_two"))
            .bearer_auth(&root),
    )
    .await;
    assert_eq!(status, 204);
}
