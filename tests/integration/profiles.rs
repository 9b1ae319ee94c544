//! Profiles both ways: avatars and banners uploaded, listed, served and removed as PeerTube
//! does; `Update(Person|Group)` sent to followers after each profile change; a remote actor's
//! `icon` applied and its avatar served lazily through our `/lazy-static`.

use std::time::{Duration, Instant};

use ferrotube_test_support::media::{tiny_image, tiny_video, upload_ok};
use ferrotube_test_support::{Options, TestServer, assert_invalid_field, assert_problem, send};
use serde_json::{Value, json};

use crate::BIN;
use crate::federation::mastodon;

async fn wait_for<T, F, Fut>(secs: u64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        if Instant::now() > deadline {
            panic!("timed out waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn image_bytes() -> Vec<u8> {
    let path = tiny_image();
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A multipart body with one file part named `field` (no part type: judged by its name).
fn form(field: &str, file_name: &str, bytes: Vec<u8>) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new().part(
        field.to_string(),
        reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()),
    )
}

async fn post_image(
    s: &TestServer,
    token: &str,
    path: &str,
    form: reqwest::multipart::Form,
) -> (u16, Value) {
    send(
        s.client
            .post(s.api(path))
            .bearer_auth(token)
            .multipart(form),
    )
    .await
}

fn widths(list: &Value) -> Vec<i64> {
    list.as_array()
        .map(|a| a.iter().filter_map(|i| i["width"].as_i64()).collect())
        .unwrap_or_default()
}

async fn get(s: &TestServer, path: &str) -> reqwest::Response {
    match s.client.get(format!("{}{path}", s.url)).send().await {
        Ok(r) => r,
        Err(e) => panic!("GET {path}: {e}"),
    }
}

/// Every entry's file is served with its type; the paths come back.
async fn assert_served(s: &TestServer, list: &Value, folder: &str, mime: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for image in list.as_array().cloned().unwrap_or_default() {
        let path = image["path"].as_str().unwrap_or_default().to_string();
        assert!(
            path.starts_with(&format!("/lazy-static/{folder}/")),
            "{image}"
        );
        assert!(image["createdAt"].is_string() && image["updatedAt"].is_string());
        let res = get(s, &path).await;
        assert_eq!(res.status(), 200, "{path}");
        let ct = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        assert_eq!(ct, mime, "{path}");
        paths.push(path);
    }
    paths
}

async fn listed_now(s: &TestServer, path: &str) -> Value {
    s.get_json(path).await["avatars"].clone()
}

#[tokio::test]
async fn avatars_and_banners_are_uploaded_served_and_removed() {
    let s = TestServer::start(BIN).await;
    let alice = s.create_user("alice", "alice-password").await;
    let bob = s.create_user("bob", "bob-password").await;

    // Refusals, with PeerTube's status codes and bodies.
    let (status, body) = send(
        s.client
            .post(s.api("/users/me/avatar/pick"))
            .multipart(form("avatarfile", "a.jpg", image_bytes())),
    )
    .await;
    assert_problem(status, &body, 401);
    for (what, form) in [
        ("no file", form("other", "a.jpg", image_bytes())),
        (
            "a text file",
            form("avatarfile", "a.txt", b"hello".to_vec()),
        ),
        (
            "more than 4 MB",
            form("avatarfile", "big.png", vec![0u8; 4 * 1024 * 1024 + 1]),
        ),
        (
            "not an image",
            form("avatarfile", "fake.png", b"not a png".to_vec()),
        ),
    ] {
        let (status, body) = post_image(&s, &alice, "/users/me/avatar/pick", form).await;
        assert_invalid_field(status, &body, "avatarfile");
        assert_eq!(
            body["instance"], "/api/v1/users/me/avatar/pick",
            "{what}: {body}"
        );
    }

    // The avatar in PeerTube's four sizes, everywhere the account shows.
    let (status, body) = post_image(
        &s,
        &alice,
        "/users/me/avatar/pick",
        form("avatarfile", "me.jpg", image_bytes()),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(widths(&body["avatars"]), [1500, 600, 120, 48]);
    let first = assert_served(&s, &body["avatars"], "avatars", "image/jpeg").await;
    // Elsewhere PeerTube lists them smallest first.
    let mut listed = body["avatars"].as_array().cloned().unwrap_or_default();
    listed.reverse();
    let listed = Value::Array(listed);
    let account = s.get_json("/api/v1/accounts/alice").await;
    assert_eq!(account["avatars"], listed);
    let (_, me) = send(s.client.get(s.api("/users/me")).bearer_auth(&alice)).await;
    assert_eq!(me["account"]["avatars"], listed);
    let actor: Value = s
        .get_ap("/accounts/alice")
        .await
        .json()
        .await
        .unwrap_or(Value::Null);
    let icons = actor["icon"].as_array().cloned().unwrap_or_default();
    assert_eq!(icons.len(), 4, "{actor}");
    for (icon, (image, side)) in icons.iter().zip(
        listed
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .zip([48, 120, 600, 1500]),
    ) {
        assert_eq!(icon["type"], "Image");
        assert_eq!(icon["mediaType"], "image/jpeg");
        assert_eq!(icon["width"], side);
        assert_eq!(icon["height"], side);
        assert_eq!(
            icon["url"],
            format!("{}{}", s.url, image["path"].as_str().unwrap_or_default())
        );
    }
    assert!(actor.get("image").is_none(), "{actor}");

    // A new avatar replaces the old one, whose files are gone.
    let (status, body) = post_image(
        &s,
        &alice,
        "/users/me/avatar/pick",
        form("avatarfile", "me.jpg", image_bytes()),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_served(&s, &body["avatars"], "avatars", "image/jpeg").await;
    for path in &first {
        assert_eq!(get(&s, path).await.status(), 404, "{path}");
    }

    // A channel's banner (two sizes) and avatar, by its owner only.
    let (status, body) = post_image(
        &s,
        &bob,
        "/video-channels/alice_channel/banner/pick",
        form("bannerfile", "b.jpg", image_bytes()),
    )
    .await;
    assert_problem(status, &body, 403);
    let (status, body) = post_image(
        &s,
        &alice,
        "/video-channels/alice_channel/banner/pick",
        form("avatarfile", "b.jpg", image_bytes()),
    )
    .await;
    assert_invalid_field(status, &body, "bannerfile");
    let (status, banners) = post_image(
        &s,
        &alice,
        "/video-channels/alice_channel/banner/pick",
        form("bannerfile", "b.jpg", image_bytes()),
    )
    .await;
    assert_eq!(status, 200, "{banners}");
    assert_eq!(widths(&banners["banners"]), [1920, 600]);
    let banner_paths = assert_served(&s, &banners["banners"], "banners", "image/jpeg").await;
    // An avatar's file is not served as a banner, nor the other way round.
    let swapped = banner_paths[0].replace("/banners/", "/avatars/");
    assert_eq!(get(&s, &swapped).await.status(), 404);
    let (status, avatars) = post_image(
        &s,
        &alice,
        "/video-channels/alice_channel/avatar/pick",
        form("avatarfile", "c.jpg", image_bytes()),
    )
    .await;
    assert_eq!(status, 200, "{avatars}");
    assert_eq!(widths(&avatars["avatars"]), [1500, 600, 120, 48]);
    let channel = s.get_json("/api/v1/video-channels/alice_channel").await;
    assert_eq!(widths(&channel["banners"]), [600, 1920]);
    assert_eq!(widths(&channel["avatars"]), [48, 120, 600, 1500]);
    let group: Value = s
        .get_ap("/video-channels/alice_channel")
        .await
        .json()
        .await
        .unwrap_or(Value::Null);
    let image = group["image"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        image
            .iter()
            .map(|i| (i["width"].as_i64(), i["height"].as_i64()))
            .collect::<Vec<_>>(),
        [(Some(600), Some(100)), (Some(1920), Some(317))]
    );
    assert_eq!(group["icon"].as_array().map(Vec::len), Some(4));

    // Video summaries carry the account's and the channel's avatars.
    let uuid = upload_ok(&s, &alice, &tiny_video(), "with avatars", &[]).await;
    let (status, video) = send(
        s.client
            .get(s.api(&format!("/videos/{uuid}")))
            .bearer_auth(&alice),
    )
    .await;
    assert_eq!(status, 200, "{video}");
    assert_eq!(
        video["account"]["avatars"],
        listed_now(&s, "/api/v1/accounts/alice").await
    );
    assert_eq!(
        video["channel"]["avatars"],
        listed_now(&s, "/api/v1/video-channels/alice_channel").await
    );
    assert_eq!(widths(&video["channel"]["avatars"]), [48, 120, 600, 1500]);

    // Removing them.
    let (status, body) = send(
        s.client
            .delete(s.api("/users/me/avatar"))
            .bearer_auth(&alice),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body, json!({ "avatars": [] }));
    assert_eq!(
        s.get_json("/api/v1/accounts/alice").await["avatars"],
        json!([])
    );
    let actor: Value = s
        .get_ap("/accounts/alice")
        .await
        .json()
        .await
        .unwrap_or(Value::Null);
    assert!(actor.get("icon").is_none(), "{actor}");
    let (status, body) = send(
        s.client
            .delete(s.api("/video-channels/alice_channel/banner"))
            .bearer_auth(&bob),
    )
    .await;
    assert_problem(status, &body, 403);
    let res = s
        .client
        .delete(s.api("/video-channels/alice_channel/banner"))
        .bearer_auth(&alice)
        .send()
        .await;
    assert_eq!(res.map(|r| r.status().as_u16()).ok(), Some(204));
    for path in &banner_paths {
        assert_eq!(get(&s, path).await.status(), 404, "{path}");
    }
    let channel = s.get_json("/api/v1/video-channels/alice_channel").await;
    assert_eq!(channel["banners"], json!([]));
    assert_eq!(widths(&channel["avatars"]), [48, 120, 600, 1500]);
}

#[tokio::test]
async fn followers_get_an_update_after_each_profile_change() {
    let m = mastodon().await;
    let s = TestServer::start(BIN).await;
    let carol = s.create_user("carol", "carol-password").await;
    let account = format!("{}/accounts/carol", s.url);
    let channel = format!("{}/video-channels/carol_channel", s.url);
    for (n, target) in [&account, &channel].into_iter().enumerate() {
        let res = m
            .post(&s, "/inbox", &m.follow(target, n as u32), &m.url, |_, _| {})
            .await;
        assert_eq!(res.status(), reqwest::StatusCode::NO_CONTENT);
        wait_for(20, "the Accept", || async {
            m.received()
                .into_iter()
                .find(|(_, v)| v["type"] == "Accept" && v["actor"] == target.as_str())
        })
        .await;
    }
    let updates = |kind: &'static str| {
        m.received()
            .into_iter()
            .map(|(_, v)| v)
            .filter(move |v| v["type"] == "Update" && v["object"]["type"] == kind)
            .collect::<Vec<_>>()
    };

    let res = s
        .client
        .put(s.api("/users/me"))
        .bearer_auth(&carol)
        .json(&json!({ "displayName": "Carol Renamed", "description": "new bio" }))
        .send()
        .await;
    assert_eq!(res.map(|r| r.status().as_u16()).ok(), Some(204));
    let update = wait_for(20, "Update(Person) after the rename", || async {
        updates("Person")
            .into_iter()
            .find(|v| v["object"]["name"] == "Carol Renamed")
    })
    .await;
    assert_eq!(update["actor"], account.as_str());
    assert_eq!(update["object"]["id"], account.as_str());
    assert_eq!(update["object"]["summary"], "new bio");
    assert_eq!(
        update["to"],
        json!(["https://www.w3.org/ns/activitystreams#Public"])
    );
    assert_eq!(update["cc"], json!([format!("{account}/followers")]));
    assert!(
        update["id"]
            .as_str()
            .is_some_and(|i| i.starts_with(&format!("{account}/updates/"))),
        "{update}"
    );
    assert_eq!(update["signature"]["type"], "RsaSignature2017");

    let res = s
        .client
        .put(s.api("/video-channels/carol_channel"))
        .bearer_auth(&carol)
        .json(&json!({ "displayName": "Carol's films", "support": "tip jar" }))
        .send()
        .await;
    assert_eq!(res.map(|r| r.status().as_u16()).ok(), Some(204));
    let update = wait_for(20, "Update(Group) after the rename", || async {
        updates("Group")
            .into_iter()
            .find(|v| v["object"]["name"] == "Carol's films")
    })
    .await;
    assert_eq!(update["object"]["support"], "tip jar");
    assert_eq!(update["cc"], json!([format!("{channel}/followers")]));

    let (status, body) = post_image(
        &s,
        &carol,
        "/users/me/avatar/pick",
        form("avatarfile", "me.jpg", image_bytes()),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let update = wait_for(20, "Update(Person) with the avatar", || async {
        updates("Person")
            .into_iter()
            .find(|v| v["object"]["icon"].as_array().is_some_and(|a| a.len() == 4))
    })
    .await;
    assert_eq!(update["object"]["icon"][0]["width"], 48);

    let (status, body) = post_image(
        &s,
        &carol,
        "/video-channels/carol_channel/banner/pick",
        form("bannerfile", "b.jpg", image_bytes()),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    wait_for(20, "Update(Group) with the banner", || async {
        updates("Group").into_iter().find(|v| {
            v["object"]["image"]
                .as_array()
                .is_some_and(|a| a.len() == 2)
        })
    })
    .await;

    let res = s
        .client
        .delete(s.api("/users/me/avatar"))
        .bearer_auth(&carol)
        .send()
        .await;
    assert_eq!(res.map(|r| r.status().as_u16()).ok(), Some(200));
    wait_for(20, "Update(Person) without an avatar", || async {
        let all = updates("Person");
        (all.len() >= 3
            && all
                .last()
                .is_some_and(|v| v["object"].get("icon").is_none()))
        .then_some(())
    })
    .await;
    // Each Update has an id of its own.
    let mut ids: Vec<String> = updates("Person")
        .into_iter()
        .chain(updates("Group"))
        .filter_map(|v| v["id"].as_str().map(str::to_string))
        .collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n);
}

#[tokio::test]
async fn a_remote_avatar_is_applied_and_served_lazily() {
    let m = mastodon().await;
    let s = TestServer::start(BIN).await;
    let target = format!("{}/accounts/root", s.url);
    let res = m
        .post(&s, "/inbox", &m.follow(&target, 1), &m.url, |_, _| {})
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::NO_CONTENT);
    let host = m
        .url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap_or("")
        .to_string();
    let account_path = format!("/api/v1/accounts/alice@{host}");
    wait_for(20, "the remote account", || async {
        let r = s
            .client
            .get(format!("{}{account_path}", s.url))
            .send()
            .await
            .ok()?;
        r.status().is_success().then_some(())
    })
    .await;

    let bytes = image_bytes();
    let icon_url = m.serve_file("/media/alice-120.jpg", "image/jpeg", bytes.clone());
    let person = |name: &str, icon: Value| {
        json!({
            "id": m.url, "type": "Person", "preferredUsername": "alice", "name": name,
            "inbox": format!("{}/inbox", m.url), "url": m.url,
            "endpoints": { "sharedInbox": m.url.replace("/users/alice", "/inbox") },
            "publicKey": { "id": format!("{}#main-key", m.url), "owner": m.url, "publicKeyPem": m.public_pem() },
            "icon": icon,
        })
    };
    let update = |n: u32, icon: Value| {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{}#updates/{n}", m.url), "type": "Update", "actor": m.url,
            "object": person(&format!("Alice {n}"), icon), "to": ["https://www.w3.org/ns/activitystreams#Public"],
        })
    };
    // PeerTube's shape (a list of sized images).
    let icon = json!([{ "type": "Image", "mediaType": "image/jpeg", "width": 120, "height": 120, "url": icon_url }]);
    let res = m
        .post(&s, "/inbox", &update(1, icon.clone()), &m.url, |_, _| {})
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::NO_CONTENT);
    let avatars = wait_for(20, "the remote avatar", || async {
        let v = s.get_json(&account_path).await;
        (widths(&v["avatars"]) == [120]).then(|| v["avatars"].clone())
    })
    .await;
    let path = avatars[0]["path"].as_str().unwrap_or_default().to_string();
    assert!(
        path.starts_with("/lazy-static/avatars/") && path.ends_with(".jpg"),
        "{path}"
    );
    let res = get(&s, &path).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("image/jpeg")
    );
    assert_eq!(
        res.bytes().await.map(|b| b.to_vec()).ok(),
        Some(bytes.clone())
    );

    // The same icon again keeps its file; Mastodon's single image without a size replaces it.
    let res = m
        .post(&s, "/inbox", &update(2, icon), &m.url, |_, _| {})
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::NO_CONTENT);
    let again = wait_for(20, "the second Update", || async {
        let v = s.get_json(&account_path).await;
        (v["displayName"] == "Alice 2").then_some(v)
    })
    .await;
    assert_eq!(again["avatars"][0]["path"], path.as_str());
    assert_eq!(get(&s, &path).await.status(), 200);
    let other = m.serve_file("/media/alice.png", "image/png", bytes);
    let single = json!({ "type": "Image", "mediaType": "image/png", "url": other });
    let res = m
        .post(&s, "/inbox", &update(3, single), &m.url, |_, _| {})
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::NO_CONTENT);
    let avatars = wait_for(20, "the Mastodon-style avatar", || async {
        let v = s.get_json(&account_path).await;
        let p = v["avatars"][0]["path"].as_str()?.to_string();
        (p.ends_with(".png") && v["avatars"][0]["width"].is_null()).then(|| v["avatars"].clone())
    })
    .await;
    assert_eq!(avatars.as_array().map(Vec::len), Some(1));
    assert_eq!(get(&s, &path).await.status(), 404);
    let png = avatars[0]["path"].as_str().unwrap_or_default().to_string();
    let res = get(&s, &png).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("image/png")
    );
}

/// PeerTube's audience for an actor's Update includes the followers of the actors that shared
/// its videos: here the server actor, which announces every published video.
#[tokio::test]
async fn followers_of_a_sharer_get_the_update_too() {
    let m = mastodon().await;
    // Published without transcoding, so the Announce comes at once.
    let s = TestServer::start_with(
        BIN,
        Options::default().env("FERROTUBE_TRANSCODING__ENABLED", "false"),
    )
    .await;
    let erin = s.create_user("erin", "erin-password").await;
    let server_actor = format!("{}/accounts/peertube", s.url);
    let res = m
        .post(&s, "/inbox", &m.follow(&server_actor, 1), &m.url, |_, _| {})
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::NO_CONTENT);
    wait_for(20, "the Accept", || async {
        m.received()
            .into_iter()
            .find(|(_, v)| v["type"] == "Accept" && v["actor"] == server_actor.as_str())
    })
    .await;
    let uuid = upload_ok(&s, &erin, &tiny_video(), "shared", &[]).await;
    wait_for(120, "the server actor's Announce", || async {
        m.received().into_iter().find(|(_, v)| {
            v["type"] == "Announce"
                && v["actor"] == server_actor.as_str()
                && v["object"].as_str().is_some_and(|o| o.ends_with(&uuid))
        })
    })
    .await;
    let res = s
        .client
        .put(s.api("/users/me"))
        .bearer_auth(&erin)
        .json(&json!({ "displayName": "Erin Renamed" }))
        .send()
        .await;
    assert_eq!(res.map(|r| r.status().as_u16()).ok(), Some(204));
    let update = wait_for(20, "Update(Person) through the sharer", || async {
        m.received().into_iter().map(|(_, v)| v).find(|v| {
            v["type"] == "Update"
                && v["object"]["type"] == "Person"
                && v["object"]["name"] == "Erin Renamed"
        })
    })
    .await;
    assert_eq!(update["actor"], format!("{}/accounts/erin", s.url));
}
