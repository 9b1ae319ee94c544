//! Subscriptions and profiles between ferrotube and a real PeerTube, both ways: a user who
//! subscribes to a channel of the other server gets its new videos in
//! `/users/me/subscriptions/videos`; account renames and avatars reach the other side.

use ferrotube_test_support::media::{self, published_with_torrents, upload_ok, wait_for};
use ferrotube_test_support::peertube::PeerTube;
use ferrotube_test_support::{Instance, TestServer, send};
use serde_json::json;

use crate::BIN;
use crate::common::{PEERTUBE_CONFIG, eventually, ferrotube_options, get, report};

async fn subscribe(s: &Instance, token: &str, handle: &str) {
    let (status, body) = send(
        s.client
            .post(s.api("/users/me/subscriptions"))
            .bearer_auth(token)
            .json(&json!({ "uri": handle })),
    )
    .await;
    assert_eq!(status, 204, "{body}");
}

/// Whether `uuid` is among the subscription videos of `token`'s user on `s`.
async fn in_subscriptions(s: &Instance, token: &str, uuid: &str) -> bool {
    let (status, list) = send(
        s.client
            .get(s.api("/users/me/subscriptions/videos?count=50"))
            .bearer_auth(token),
    )
    .await;
    status == 200
        && list["data"]
            .as_array()
            .is_some_and(|d| d.iter().any(|v| v["uuid"] == uuid))
}

#[tokio::test]
async fn channel_subscriptions_bring_new_videos_both_ways() {
    // No server follows here: the subscriptions alone bring the videos.
    let (ft, pt) = tokio::join!(
        TestServer::start_with(BIN, ferrotube_options()),
        PeerTube::start(Some(PEERTUBE_CONFIG))
    );
    let ft_root = ft.root_token().await;
    let pt_root = pt.root_token().await;
    let pt_bob = pt.create_user("bob", "bob-password-1").await;
    let ft_carol = ft.create_user("carol", "carol-password-1").await;
    subscribe(&pt, &pt_bob, &format!("root_channel@{}", ft.host)).await;
    subscribe(&ft, &ft_carol, &format!("root_channel@{}", pt.host)).await;
    let (_, took) = eventually(60, "the subscriptions to be accepted", || async {
        let (_, a) = get(&ft, "/video-channels/root_channel").await;
        let (_, b) = get(&pt, "/video-channels/root_channel").await;
        (a["followersCount"].as_i64() >= Some(1) && b["followersCount"].as_i64() >= Some(1))
            .then_some(())
    })
    .await;
    report("subscriptions accepted, both ways", took);

    let ours = upload_ok(&ft, &ft_root, &media::tiny_video(), "For subscribers", &[]).await;
    wait_for(&ft, &ft_root, &ours, published_with_torrents).await;
    let (_, took) = eventually(
        60,
        "our video in bob's subscriptions on PeerTube",
        || async { in_subscriptions(&pt, &pt_bob, &ours).await.then_some(()) },
    )
    .await;
    report("subscription video, ferrotube → PeerTube", took);

    let theirs = upload_ok(&pt, &pt_root, &media::tiny_video(), "For carol", &[]).await;
    pt.wait_published(&pt_root, &theirs).await;
    let (_, took) = eventually(60, "PeerTube's video in carol's subscriptions", || async {
        in_subscriptions(&ft, &ft_carol, &theirs)
            .await
            .then_some(())
    })
    .await;
    report("subscription video, PeerTube → ferrotube", took);
}

async fn rename_me(s: &Instance, token: &str, name: &str) {
    let (status, body) = send(
        s.client
            .put(s.api("/users/me"))
            .bearer_auth(token)
            .json(&json!({ "displayName": name })),
    )
    .await;
    assert_eq!(status, 204, "{body}");
}

async fn pick_avatar(s: &Instance, token: &str) {
    let bytes = std::fs::read(media::tiny_image()).unwrap_or_default();
    let part = match reqwest::multipart::Part::bytes(bytes)
        .file_name("avatar.jpg")
        .mime_str("image/jpeg")
    {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    let form = reqwest::multipart::Form::new().part("avatarfile", part);
    let (status, body) = send(
        s.client
            .post(s.api("/users/me/avatar/pick"))
            .bearer_auth(token)
            .multipart(form),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

/// The account `name@host` as `s` shows it, once it is known there.
async fn account(s: &Instance, handle: &str) -> serde_json::Value {
    get(s, &format!("/accounts/{handle}")).await.1
}

#[tokio::test]
async fn account_renames_and_avatars_travel_both_ways() {
    let p = crate::common::Pair::start().await;
    let (ft, pt) = (&p.ft, &p.pt);
    let ft_root = ft.root_token().await;
    let pt_root = pt.root_token().await;
    // Each side learns of the other's root account through a video.
    let ours = upload_ok(ft, &ft_root, &media::tiny_video(), "Shows our root", &[]).await;
    wait_for(ft, &ft_root, &ours, published_with_torrents).await;
    let theirs = upload_ok(pt, &pt_root, &media::tiny_video(), "Shows their root", &[]).await;
    pt.wait_published(&pt_root, &theirs).await;
    crate::common::listed(pt, &ours, 60).await;
    crate::common::listed(ft, &theirs, 60).await;
    let ft_root_on_pt = format!("root@{}", ft.host);
    let pt_root_on_ft = format!("root@{}", pt.host);

    rename_me(ft, &ft_root, "Root of ferrotube").await;
    let (_, took) = eventually(60, "our rename on PeerTube", || async {
        (account(pt, &ft_root_on_pt).await["displayName"] == "Root of ferrotube").then_some(())
    })
    .await;
    report("account rename, ferrotube → PeerTube", took);
    rename_me(pt, &pt_root, "Root of PeerTube").await;
    let (_, took) = eventually(60, "PeerTube's rename on ferrotube", || async {
        (account(ft, &pt_root_on_ft).await["displayName"] == "Root of PeerTube").then_some(())
    })
    .await;
    report("account rename, PeerTube → ferrotube", took);

    pick_avatar(ft, &ft_root).await;
    let (avatars, took) = eventually(60, "our avatar on PeerTube", || async {
        let a = account(pt, &ft_root_on_pt).await;
        a["avatars"].as_array().filter(|v| !v.is_empty()).cloned()
    })
    .await;
    report("avatar, ferrotube → PeerTube", took);
    let path = avatars[0]["path"].as_str().unwrap_or_default().to_string();
    let res = pt.client.get(format!("{}{path}", pt.url)).send().await;
    assert!(
        res.is_ok_and(|r| r.status() == 200),
        "PeerTube serves our avatar at {path}"
    );

    pick_avatar(pt, &pt_root).await;
    let (avatars, took) = eventually(60, "PeerTube's avatar on ferrotube", || async {
        let a = account(ft, &pt_root_on_ft).await;
        a["avatars"].as_array().filter(|v| !v.is_empty()).cloned()
    })
    .await;
    report("avatar, PeerTube → ferrotube", took);
    let path = avatars[0]["path"].as_str().unwrap_or_default().to_string();
    let res = ft.client.get(format!("{}{path}", ft.url)).send().await;
    assert!(
        res.is_ok_and(|r| r.status() == 200),
        "we serve PeerTube's avatar at {path}"
    );
}
