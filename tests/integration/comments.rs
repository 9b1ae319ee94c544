//! Comments, ratings and what our ActivityPub objects link to: threads and replies across two
//! real ferrotube servers, comment policies, Mastodon replies, ratings sent to a video's
//! origin, and every URL of every object we serve answering as PeerTube's do.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::BIN;
use ferrotube_test_support::media::{self, published_with_torrents, upload_ok, wait_for};
use ferrotube_test_support::{Options, TestServer, assert_problem, send};

fn quick() -> Options {
    Options::default()
        .env("FERROTUBE_JOBS__BACKOFF_BASE", "1 second")
        .env("FERROTUBE_TRANSCODING__ENABLED", "false")
}

async fn eventually<F, Fut>(secs: u64, what: &str, mut check: F) -> Value
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<Value>>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn follow_server(follower: &TestServer, target: &TestServer) {
    let token = follower.root_token().await;
    let (status, body) = send(
        follower
            .client
            .post(follower.api("/server/following"))
            .bearer_auth(&token)
            .json(&json!({ "hosts": [target.host] })),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    eventually(30, "the follow to be accepted", || async {
        let list = follower.get_json("/api/v1/server/following").await;
        (list["data"][0]["state"] == "accepted").then_some(list)
    })
    .await;
}

/// A published public video of root on `s`: its UUID.
async fn public_video(s: &TestServer, name: &str, extra: &[(&str, &str)]) -> String {
    let token = s.root_token().await;
    let mut fields = vec![("privacy", "1")];
    fields.extend_from_slice(extra);
    let uuid = upload_ok(s, &token, &media::tiny_video(), name, &fields).await;
    wait_for(s, &token, &uuid, published_with_torrents).await;
    uuid
}

async fn comment(s: &TestServer, token: &str, path: &str, text: &str) -> (u16, Value) {
    send(
        s.client
            .post(s.api(path))
            .bearer_auth(token)
            .json(&json!({ "text": text })),
    )
    .await
}

async fn threads(s: &TestServer, uuid: &str, token: Option<&str>) -> Value {
    let mut req = s
        .client
        .get(s.api(&format!("/videos/{uuid}/comment-threads")));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let (status, body) = send(req).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// The id on `s` of the video `uuid` (remote copies keep the UUID).
async fn remote_video(s: &TestServer, uuid: &str) -> Value {
    eventually(60, "the remote video", || async {
        let (status, v) = send(s.client.get(s.api(&format!("/videos/{uuid}")))).await;
        (status == 200).then_some(v)
    })
    .await
}

#[tokio::test]
async fn comments_and_replies_federate_between_servers_and_deletes_follow() {
    let a = TestServer::start_with(BIN, quick()).await;
    let b = TestServer::start_with(BIN, quick()).await;
    follow_server(&b, &a).await;
    follow_server(&a, &b).await;
    let uuid = public_video(&a, "Commented on A", &[]).await;
    remote_video(&b, &uuid).await;

    // A user of B starts a thread on A's video: stored on B, sent to A.
    let bob = b.create_user("bob", "bob-password-1").await;
    let (status, created) = comment(
        &b,
        &bob,
        &format!("/videos/{uuid}/comment-threads"),
        "Hello from **B**",
    )
    .await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["comment"]["text"], "Hello from **B**");
    assert_eq!(created["comment"]["account"]["name"], "bob");
    assert!(
        created["comment"]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with(&b.url))
    );
    let on_a = eventually(30, "B's comment on A", || async {
        let t = threads(&a, &uuid, None).await;
        (t["total"] == 1).then_some(t)
    })
    .await;
    let thread = &on_a["data"][0];
    assert_eq!(thread["text"], "Hello from **B**");
    assert_eq!(thread["account"]["host"], b.host);
    assert_eq!(on_a["totalNotDeletedComments"], 1);

    // A's root replies: B shows the reply in its thread, with the mention of bob.
    let root_a = a.root_token().await;
    let thread_id = thread["id"].as_i64().unwrap_or_default();
    let (status, reply) = comment(
        &a,
        &root_a,
        &format!("/videos/{uuid}/comments/{thread_id}"),
        "Welcome, bob",
    )
    .await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["comment"]["inReplyToCommentId"], thread_id);
    let b_thread_id = created["comment"]["id"].as_i64().unwrap_or_default();
    let tree = eventually(30, "A's reply on B", || async {
        let (status, tree) = send(
            b.client
                .get(b.api(&format!("/videos/{uuid}/comment-threads/{b_thread_id}"))),
        )
        .await;
        (status == 200 && tree["children"].as_array().is_some_and(|c| c.len() == 1)).then_some(tree)
    })
    .await;
    assert_eq!(tree["comment"]["totalReplies"], 1);
    assert_eq!(tree["comment"]["totalRepliesFromVideoAuthor"], 1);
    assert_eq!(tree["children"][0]["comment"]["text"], "Welcome, bob");
    assert_eq!(tree["children"][0]["children"], json!([]));

    // The comment as ActivityPub: a Note on B (its origin), with its mention-free audience.
    let note_url = created["comment"]["url"].as_str().unwrap_or_default();
    let path = note_url.trim_start_matches(&b.url);
    let note: Value = b.get_ap(path).await.json().await.unwrap_or(Value::Null);
    assert_eq!(note["type"], "Note");
    assert_eq!(note["inReplyTo"], format!("{}/videos/watch/{uuid}", a.url));
    assert_eq!(note["mediaType"], "text/markdown");
    // A's copy redirects to the origin.
    let res = a
        .client
        .get(format!(
            "{}/videos/watch/{uuid}/comments/{thread_id}",
            a.url
        ))
        .header("Accept", "application/activity+json")
        .send()
        .await;
    assert!(res.is_ok_and(|r| r.status().is_success() && r.url().as_str() == note_url));

    // bob deletes his comment: a Tombstone on B, deleted on A; the reply stays.
    let (status, body) = send(
        b.client
            .delete(b.api(&format!("/videos/{uuid}/comments/{b_thread_id}")))
            .bearer_auth(&bob),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    let tomb: Value = b.get_ap(path).await.json().await.unwrap_or(Value::Null);
    assert_eq!(tomb["type"], "Tombstone");
    assert_eq!(tomb["formerType"], "Note");
    let on_a = eventually(30, "the deletion on A", || async {
        let t = threads(&a, &uuid, None).await;
        (t["data"][0]["isDeleted"] == true).then_some(t)
    })
    .await;
    assert_eq!(on_a["data"][0]["text"], "");
    assert_eq!(on_a["data"][0]["account"], Value::Null);
    assert_eq!(on_a["totalNotDeletedComments"], 1);
    // A second delete is a conflict, as PeerTube answers.
    let (status, body) = send(
        b.client
            .delete(b.api(&format!("/videos/{uuid}/comments/{b_thread_id}")))
            .bearer_auth(&bob),
    )
    .await;
    assert_problem(status, &body, 409);
}

#[tokio::test]
async fn comment_policies_and_rights_are_enforced() {
    let s = TestServer::start_with(BIN, quick()).await;
    let root = s.root_token().await;
    let alice = s.create_user("alice", "alice-password-1").await;
    let eve = s.create_user("eve", "eve-password-1").await;
    // Disabled: no thread can be started, and the list is empty.
    let closed = public_video(&s, "Closed", &[("commentsPolicy", "2")]).await;
    let (status, body) = comment(
        &s,
        &alice,
        &format!("/videos/{closed}/comment-threads"),
        "hi",
    )
    .await;
    assert_problem(status, &body, 409);
    assert_eq!(threads(&s, &closed, None).await["total"], 0);
    // Approval: held, seen only by its author and the video's owner until approved.
    let moderated = public_video(&s, "Moderated", &[("commentsPolicy", "3")]).await;
    let (status, held) = comment(
        &s,
        &alice,
        &format!("/videos/{moderated}/comment-threads"),
        "please approve",
    )
    .await;
    assert_eq!(status, 200, "{held}");
    assert_eq!(held["comment"]["heldForReview"], true);
    assert_eq!(threads(&s, &moderated, None).await["total"], 0);
    assert_eq!(threads(&s, &moderated, Some(&eve)).await["total"], 0);
    assert_eq!(threads(&s, &moderated, Some(&alice)).await["total"], 1);
    assert_eq!(threads(&s, &moderated, Some(&root)).await["total"], 1);
    let id = held["comment"]["id"].as_i64().unwrap_or_default();
    let approve = format!("/videos/{moderated}/comments/{id}/approve");
    let (status, body) = send(s.client.post(s.api(&approve)).bearer_auth(&eve)).await;
    assert_problem(status, &body, 403);
    let (status, body) = send(s.client.post(s.api(&approve)).bearer_auth(&root)).await;
    assert_eq!(status, 204, "{body}");
    assert_eq!(threads(&s, &moderated, None).await["total"], 1);
    // Text limits, unknown comments and other users' comments.
    let open = public_video(&s, "Open", &[]).await;
    let (status, body) = comment(&s, &alice, &format!("/videos/{open}/comment-threads"), "").await;
    assert_problem(status, &body, 400);
    let long = "x".repeat(10_001);
    let (status, body) = comment(
        &s,
        &alice,
        &format!("/videos/{open}/comment-threads"),
        &long,
    )
    .await;
    assert_problem(status, &body, 400);
    let (status, body) = comment(&s, &alice, &format!("/videos/{open}/comments/999999"), "x").await;
    assert_problem(status, &body, 404);
    let (status, body) = comment(&s, &alice, &format!("/videos/{open}/comments/abc"), "x").await;
    assert_problem(status, &body, 400);
    let (_, mine) = comment(
        &s,
        &alice,
        &format!("/videos/{open}/comment-threads"),
        "mine",
    )
    .await;
    let id = mine["comment"]["id"].as_i64().unwrap_or_default();
    let del = format!("/videos/{open}/comments/{id}");
    let (status, body) = send(s.client.delete(s.api(&del)).bearer_auth(&eve)).await;
    assert_problem(status, &body, 403);
    let (status, _) = send(
        s.client
            .post(s.api(&format!("/videos/{open}/comment-threads"))),
    )
    .await;
    assert_eq!(status, 401);
    // The video's owner may delete it.
    let (status, body) = send(s.client.delete(s.api(&del)).bearer_auth(&root)).await;
    assert_eq!(status, 204, "{body}");
}

#[tokio::test]
async fn mastodon_replies_to_a_video_and_to_a_comment_become_comments() {
    let remote = crate::federation::mastodon().await;
    let s = TestServer::start_with(BIN, quick()).await;
    let uuid = public_video(&s, "Talked about", &[]).await;
    let video_url = format!("{}/videos/watch/{uuid}", s.url);
    let note = |n: u32, in_reply_to: &str| {
        let id = format!("{}/statuses/{n}", remote.url);
        json!({
            "@context": ["https://www.w3.org/ns/activitystreams"],
            "id": format!("{id}/activity"),
            "type": "Create",
            "actor": remote.url,
            "published": "2026-12-01T10:00:00Z",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "cc": [format!("{}/followers", remote.url)],
            "object": {
                "id": id,
                "type": "Note",
                "summary": null,
                "inReplyTo": in_reply_to,
                "published": "2026-12-01T10:00:00Z",
                "url": format!("{}/@alice/{n}", remote.url),
                "attributedTo": remote.url,
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "cc": [format!("{}/followers", remote.url)],
                "sensitive": false,
                "content": format!("<p>Reply number {n}</p>"),
                "contentMap": { "en": format!("<p>Reply number {n}</p>") },
                "attachment": [],
                "tag": [{ "type": "Mention", "href": format!("{}/accounts/root", s.url), "name": "@root" }],
            }
        })
    };
    let res = remote
        .post(&s, "/inbox", &note(1, &video_url), &remote.url, |_, _| {})
        .await;
    assert_eq!(res.status(), 204);
    let t = eventually(30, "the Mastodon reply", || async {
        let t = threads(&s, &uuid, None).await;
        (t["total"] == 1).then_some(t)
    })
    .await;
    assert_eq!(t["data"][0]["text"], "<p>Reply number 1</p>");
    assert_eq!(t["data"][0]["account"]["name"], "alice");
    let root_comment = t["data"][0]["id"].as_i64().unwrap_or_default();
    // A reply to our comment lands in its thread.
    let root = s.root_token().await;
    let (_, ours) = comment(
        &s,
        &root,
        &format!("/videos/{uuid}/comments/{root_comment}"),
        "Thanks!",
    )
    .await;
    let ours_url = ours["comment"]["url"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let res = remote
        .post(&s, "/inbox", &note(2, &ours_url), &remote.url, |_, _| {})
        .await;
    assert_eq!(res.status(), 204);
    eventually(30, "the second reply in the thread", || async {
        let (_, tree) = send(
            s.client
                .get(s.api(&format!("/videos/{uuid}/comment-threads/{root_comment}"))),
        )
        .await;
        (tree["children"][0]["children"][0]["comment"]["text"] == "<p>Reply number 2</p>")
            .then_some(tree)
    })
    .await;
    // Our answer went to alice, who was mentioned.
    eventually(30, "our reply at alice's inbox", || async {
        remote
            .received()
            .iter()
            .any(|(_, v)| v["type"] == "Create" && v["object"]["content"] == "Thanks!")
            .then_some(Value::Null)
    })
    .await;
    // A Delete of the first reply (as a Tombstone) removes it.
    let delete = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/statuses/1#delete", remote.url),
        "type": "Delete",
        "actor": remote.url,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": { "id": format!("{}/statuses/1", remote.url), "type": "Tombstone" },
    });
    let res = remote
        .post(&s, "/inbox", &delete, &remote.url, |_, _| {})
        .await;
    assert_eq!(res.status(), 204);
    eventually(30, "the deletion", || async {
        let t = threads(&s, &uuid, None).await;
        (t["data"][0]["isDeleted"] == true).then_some(t)
    })
    .await;
    // Someone else cannot delete alice's reply: only its author or the video's owner.
    let other = crate::federation::mastodon().await;
    let forged = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}#delete-2", other.url),
        "type": "Delete",
        "actor": other.url,
        "object": format!("{}/statuses/2", remote.url),
    });
    let res = other
        .post(&s, "/inbox", &forged, &other.url, |_, _| {})
        .await;
    assert_eq!(res.status(), 204);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (_, tree) = send(
        s.client
            .get(s.api(&format!("/videos/{uuid}/comment-threads/{root_comment}"))),
    )
    .await;
    assert_eq!(
        tree["children"][0]["children"][0]["comment"]["isDeleted"],
        false
    );
}

#[tokio::test]
async fn ratings_are_counted_and_sent_to_the_origin() {
    let a = TestServer::start_with(BIN, quick()).await;
    let b = TestServer::start_with(BIN, quick()).await;
    follow_server(&b, &a).await;
    let uuid = public_video(&a, "Rated", &[]).await;
    remote_video(&b, &uuid).await;
    let carol = b.create_user("carol", "carol-password-1").await;
    let rate = |rating: &'static str| {
        let b = &b;
        let carol = carol.clone();
        let uuid = uuid.clone();
        async move {
            send(
                b.client
                    .put(b.api(&format!("/videos/{uuid}/rate")))
                    .bearer_auth(&carol)
                    .json(&json!({ "rating": rating })),
            )
            .await
        }
    };
    let likes_on_a = || async {
        let v = a.get_json(&format!("/api/v1/videos/{uuid}")).await;
        (
            v["likes"].as_i64().unwrap_or(-1),
            v["dislikes"].as_i64().unwrap_or(-1),
        )
    };
    assert_eq!(rate("like").await.0, 204);
    let mine = b
        .client
        .get(b.api(&format!("/users/me/videos/{uuid}/rating")))
        .bearer_auth(&carol)
        .send()
        .await;
    let mine: Value = match mine {
        Ok(r) => r.json().await.unwrap_or(Value::Null),
        Err(e) => panic!("{e}"),
    };
    assert_eq!(mine["rating"], "like");
    eventually(30, "the like on A", || async {
        (likes_on_a().await == (1, 0)).then_some(Value::Null)
    })
    .await;
    // The Like stays fetchable at its id on B.
    let video_id_on_b = remote_video(&b, &uuid).await["id"]
        .as_i64()
        .unwrap_or_default();
    let like = b
        .get_ap(&format!("/accounts/carol/likes/{video_id_on_b}"))
        .await;
    assert_eq!(like.status(), 200);
    let like: Value = like.json().await.unwrap_or(Value::Null);
    assert_eq!(like["type"], "Like");
    assert_eq!(like["object"], format!("{}/videos/watch/{uuid}", a.url));
    // A dislike replaces it (Undo, then Dislike), and none removes it.
    assert_eq!(rate("dislike").await.0, 204);
    eventually(30, "the dislike on A", || async {
        (likes_on_a().await == (0, 1)).then_some(Value::Null)
    })
    .await;
    assert_eq!(rate("none").await.0, 204);
    eventually(30, "no rating on A", || async {
        (likes_on_a().await == (0, 0)).then_some(Value::Null)
    })
    .await;
    // A like again (the same id as the first) is counted again.
    assert_eq!(rate("like").await.0, 204);
    eventually(30, "the second like on A", || async {
        (likes_on_a().await == (1, 0)).then_some(Value::Null)
    })
    .await;
    let (status, body) = rate("love").await;
    assert_problem(status, &body, 400);
    // The video's likes collection on A lists the rate.
    let likes: Value = a
        .get_ap(&format!("/videos/watch/{uuid}/likes"))
        .await
        .json()
        .await
        .unwrap_or(Value::Null);
    assert_eq!(likes["type"], "OrderedCollection");
    assert_eq!(likes["totalItems"], 1);
}

/// URLs in a document: every string value that is one of `base`'s URLs.
fn links(v: &Value, base: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::String(s) if s.starts_with(base) => {
            out.insert(s.clone());
        }
        Value::Array(items) => items.iter().for_each(|i| links(i, base, out)),
        Value::Object(map) => map
            .iter()
            .filter(|(k, _)| k.as_str() != "@context")
            .for_each(|(_, i)| links(i, base, out)),
        _ => {}
    }
}

#[tokio::test]
async fn every_url_of_every_object_we_serve_answers() {
    let s = TestServer::start_with(BIN, quick()).await;
    let root = s.root_token().await;
    let uuid = public_video(&s, "Linked everywhere", &[]).await;
    let (_, c) = comment(
        &s,
        &root,
        &format!("/videos/{uuid}/comment-threads"),
        "first",
    )
    .await;
    let id = c["comment"]["id"].as_i64().unwrap_or_default();
    comment(
        &s,
        &root,
        &format!("/videos/{uuid}/comments/{id}"),
        "second",
    )
    .await;
    let (status, _) = send(
        s.client
            .put(s.api(&format!("/videos/{uuid}/rate")))
            .bearer_auth(&root)
            .json(&json!({ "rating": "like" })),
    )
    .await;
    assert_eq!(status, 204);
    // Federation sends the Announces, which become the video's shares.
    eventually(30, "the video's shares", || async {
        let v: Value = s
            .get_ap(&format!("/videos/watch/{uuid}/announces"))
            .await
            .json()
            .await
            .ok()?;
        (v["totalItems"] == 2).then_some(v)
    })
    .await;
    let mut todo: Vec<String> = [
        "/accounts/peertube",
        "/accounts/root",
        "/video-channels/root_channel",
    ]
    .iter()
    .map(|p| format!("{}{p}", s.url))
    .collect();
    todo.push(format!("{}/videos/watch/{uuid}", s.url));
    let mut seen = BTreeSet::new();
    let mut documents = 0;
    while let Some(url) = todo.pop() {
        if !seen.insert(url.clone()) {
            continue;
        }
        let path = url.trim_start_matches(&s.url).to_string();
        // Files and REST links are checked by their own tests; ActivityPub ones here.
        let ap = !(path.starts_with("/static/")
            || path.starts_with("/lazy-static/")
            || path.starts_with("/api/")
            || path.starts_with("/tracker/")
            || path.starts_with("/download/")
            || path.contains("/inbox"));
        if !ap {
            continue;
        }
        let res = s.get_ap(&path).await;
        assert_eq!(res.status(), 200, "GET {url}");
        let ct = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        assert_eq!(ct, "application/activity+json; charset=utf-8", "{url}");
        let doc: Value = res.json().await.unwrap_or(Value::Null);
        documents += 1;
        let mut found = BTreeSet::new();
        links(&doc, &s.url, &mut found);
        todo.extend(found.into_iter().filter(|u| !seen.contains(u)));
    }
    for must in [
        "/likes",
        "/dislikes",
        "/announces",
        "/comments",
        "/chapters",
        "/activity",
        "/outbox",
        "/followers",
    ] {
        assert!(
            seen.iter()
                .any(|u| u.ends_with(must) || u.contains(&format!("{must}?"))),
            "no {must} URL was linked: {seen:?}"
        );
    }
    assert!(
        documents >= 20,
        "only {documents} documents walked: {seen:?}"
    );
}

#[tokio::test]
async fn third_party_comments_are_forwarded_with_their_signature() {
    let a = TestServer::start_with(BIN, quick()).await;
    let b = TestServer::start_with(BIN, quick()).await;
    let c = TestServer::start_with(BIN, quick()).await;
    // B and C follow A; B and C do not know each other.
    follow_server(&b, &a).await;
    follow_server(&c, &a).await;
    let uuid = public_video(&a, "Forwarded", &[]).await;
    remote_video(&b, &uuid).await;
    remote_video(&c, &uuid).await;
    let dave = b.create_user("dave", "dave-password-1").await;
    comment(
        &b,
        &dave,
        &format!("/videos/{uuid}/comment-threads"),
        "Heard by C through A",
    )
    .await;
    // A forwards dave's Create, which C accepts only for its linked-data signature by dave.
    let on_c = eventually(60, "the forwarded comment on C", || async {
        let t = threads(&c, &uuid, None).await;
        (t["total"] == 1).then_some(t)
    })
    .await;
    assert_eq!(on_c["data"][0]["text"], "Heard by C through A");
    assert_eq!(on_c["data"][0]["account"]["host"], b.host);
}

#[tokio::test]
async fn announces_are_stored_as_shares_and_undone() {
    let s = TestServer::start_with(BIN, quick()).await;
    let uuid = public_video(&s, "Shared around", &[]).await;
    let video_url = format!("{}/videos/watch/{uuid}", s.url);
    let shares = || async {
        let v: Value = s
            .get_ap(&format!("/videos/watch/{uuid}/announces"))
            .await
            .json()
            .await
            .unwrap_or(Value::Null);
        v["totalItems"].as_i64().unwrap_or(-1)
    };
    // Our own Announces (server actor and channel) are the first two shares.
    eventually(30, "our two shares", || async {
        (shares().await == 2).then_some(Value::Null)
    })
    .await;
    let app = crate::federation::remote_actor("relay", "Application").await;
    let announce = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/announces/1", app.url),
        "type": "Announce",
        "actor": app.url,
        "object": video_url,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    });
    let res = app.post(&s, "/inbox", &announce, &app.url, |_, _| {}).await;
    assert_eq!(res.status(), 204);
    eventually(30, "the remote share", || async {
        (shares().await == 3).then_some(Value::Null)
    })
    .await;
    let page: Value = s
        .get_ap(&format!("/videos/watch/{uuid}/announces?page=1"))
        .await
        .json()
        .await
        .unwrap_or(Value::Null);
    assert!(
        page["orderedItems"]
            .as_array()
            .is_some_and(|i| i.iter().any(|u| *u == announce["id"])),
        "{page}"
    );
    let undo = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/announces/1/undo", app.url),
        "type": "Undo",
        "actor": app.url,
        "object": announce,
    });
    let res = app.post(&s, "/inbox", &undo, &app.url, |_, _| {}).await;
    assert_eq!(res.status(), 204);
    eventually(30, "the share undone", || async {
        (shares().await == 2).then_some(Value::Null)
    })
    .await;
}
