//! Comments, replies, ratings and views between ferrotube and a real PeerTube, both ways.

use ferrotube_test_support::media::{self, published_with_torrents, upload_ok, wait_for};
use ferrotube_test_support::{Instance, send};
use serde_json::{Value, json};

use crate::common::{Pair, eventually, get, listed, report};

async fn comment(server: &Instance, token: &str, path: &str, text: &str) -> Value {
    let (status, body) = send(
        server
            .client
            .post(server.api(path))
            .bearer_auth(token)
            .json(&json!({ "text": text })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["comment"].clone()
}

/// Every comment text of a video on `server`, threads and their replies.
async fn texts(server: &Instance, uuid: &str) -> Vec<String> {
    let (_, threads) = get(server, &format!("/videos/{uuid}/comment-threads?count=100")).await;
    let mut out = Vec::new();
    for t in threads["data"].as_array().into_iter().flatten() {
        let id = t["id"].as_i64().unwrap_or_default();
        let (_, tree) = get(server, &format!("/videos/{uuid}/comment-threads/{id}")).await;
        fn walk(node: &Value, out: &mut Vec<String>) {
            if let Some(t) = node["comment"]["text"].as_str() {
                out.push(t.to_string());
            }
            for c in node["children"].as_array().into_iter().flatten() {
                walk(c, out);
            }
        }
        walk(&tree, &mut out);
    }
    out
}

async fn has_comment(server: &Instance, uuid: &str, text: &str, secs: u64, what: &str) {
    let (_, took) = eventually(secs, what, || async {
        texts(server, uuid)
            .await
            .iter()
            .any(|t| t.contains(text))
            .then_some(())
    })
    .await;
    report(what, took);
}

/// The first thread on `server` whose text contains `text`: its id.
async fn thread_id(server: &Instance, uuid: &str, text: &str) -> i64 {
    let (_, threads) = get(server, &format!("/videos/{uuid}/comment-threads?count=100")).await;
    threads["data"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["text"].as_str().is_some_and(|s| s.contains(text)))
        .and_then(|t| t["id"].as_i64())
        .unwrap_or_else(|| panic!("no thread {text:?} in {threads}"))
}

#[tokio::test]
async fn comments_and_replies_travel_both_ways() {
    let p = Pair::start().await;
    let (ft, pt) = (&p.ft, &p.pt);
    let ft_root = ft.root_token().await;
    let pt_root = pt.root_token().await;
    let ours = upload_ok(ft, &ft_root, &media::tiny_video(), "Discussed on both", &[]).await;
    wait_for(ft, &ft_root, &ours, published_with_torrents).await;
    listed(pt, &ours, 60).await;

    // A PeerTube user comments on our video; our owner replies; PeerTube shows the reply.
    let pt_bob = pt.create_user("bob", "bob-password-1").await;
    comment(
        pt,
        &pt_bob,
        &format!("/videos/{ours}/comment-threads"),
        "From bob on PeerTube",
    )
    .await;
    has_comment(
        ft,
        &ours,
        "From bob on PeerTube",
        60,
        "comment, PeerTube → ferrotube",
    )
    .await;
    let on_ft = thread_id(ft, &ours, "From bob on PeerTube").await;
    comment(
        ft,
        &ft_root,
        &format!("/videos/{ours}/comments/{on_ft}"),
        "Reply from ferrotube",
    )
    .await;
    has_comment(
        pt,
        &ours,
        "Reply from ferrotube",
        60,
        "reply, ferrotube → PeerTube",
    )
    .await;

    // Our user comments on a PeerTube video; its owner replies; we show the reply.
    let theirs = upload_ok(pt, &pt_root, &media::tiny_video(), "PeerTube's own", &[]).await;
    pt.wait_published(&pt_root, &theirs).await;
    listed(ft, &theirs, 60).await;
    let ft_carol = ft.create_user("carol", "carol-password-1").await;
    comment(
        ft,
        &ft_carol,
        &format!("/videos/{theirs}/comment-threads"),
        "From carol on ferrotube",
    )
    .await;
    has_comment(
        pt,
        &theirs,
        "From carol on ferrotube",
        60,
        "comment, ferrotube → PeerTube",
    )
    .await;
    let on_pt = thread_id(pt, &theirs, "From carol on ferrotube").await;
    comment(
        pt,
        &pt_root,
        &format!("/videos/{theirs}/comments/{on_pt}"),
        "Reply from PeerTube",
    )
    .await;
    has_comment(
        ft,
        &theirs,
        "Reply from PeerTube",
        60,
        "reply, PeerTube → ferrotube",
    )
    .await;

    // Deleting on PeerTube deletes here.
    let (status, body) = send(
        pt.client
            .delete(pt.api(&format!("/videos/{theirs}/comments/{on_pt}")))
            .bearer_auth(&pt_root),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    let (_, took) = eventually(60, "the comment deletion on ferrotube", || async {
        let (_, threads) = get(ft, &format!("/videos/{theirs}/comment-threads")).await;
        threads["data"]
            .as_array()?
            .iter()
            .any(|t| t["isDeleted"] == true)
            .then_some(())
    })
    .await;
    report("comment delete, PeerTube → ferrotube", took);
}

#[tokio::test]
async fn ratings_and_views_travel_both_ways() {
    let p = Pair::start().await;
    let (ft, pt) = (&p.ft, &p.pt);
    let ft_root = ft.root_token().await;
    let pt_root = pt.root_token().await;
    let ours = upload_ok(ft, &ft_root, &media::tiny_video(), "Liked on PeerTube", &[]).await;
    wait_for(ft, &ft_root, &ours, published_with_torrents).await;
    let theirs = upload_ok(
        pt,
        &pt_root,
        &media::tiny_video(),
        "Liked on ferrotube",
        &[],
    )
    .await;
    pt.wait_published(&pt_root, &theirs).await;
    listed(pt, &ours, 60).await;
    listed(ft, &theirs, 60).await;
    let rate = |server: &Instance, token: String, uuid: String, rating: &'static str| {
        let req = server
            .client
            .put(server.api(&format!("/videos/{uuid}/rate")))
            .bearer_auth(token)
            .json(&json!({ "rating": rating }));
        async move {
            let (status, body) = send(req).await;
            assert_eq!(status, 204, "{body}");
        }
    };
    let likes = |server: &Instance, uuid: &str| {
        let req = server.client.get(server.api(&format!("/videos/{uuid}")));
        async move {
            let (_, v) = send(req).await;
            (
                v["likes"].as_i64().unwrap_or(-1),
                v["dislikes"].as_i64().unwrap_or(-1),
            )
        }
    };
    // A PeerTube user likes our video: counted here.
    let pt_bob = pt.create_user("bob", "bob-password-1").await;
    rate(pt, pt_bob.clone(), ours.clone(), "like").await;
    let (_, took) = eventually(60, "PeerTube's like on ferrotube", || async {
        (likes(ft, &ours).await == (1, 0)).then_some(())
    })
    .await;
    report("like, PeerTube → ferrotube", took);
    rate(pt, pt_bob.clone(), ours.clone(), "none").await;
    eventually(60, "PeerTube's like undone on ferrotube", || async {
        (likes(ft, &ours).await == (0, 0)).then_some(())
    })
    .await;
    // PeerTube reuses the Like's id when bob likes again: it counts again.
    rate(pt, pt_bob.clone(), ours.clone(), "like").await;
    eventually(60, "PeerTube's second like on ferrotube", || async {
        (likes(ft, &ours).await == (1, 0)).then_some(())
    })
    .await;
    // Our user likes, then dislikes, the PeerTube video: its origin counts them.
    let carol = ft.create_user("carol", "carol-password-1").await;
    rate(ft, carol.clone(), theirs.clone(), "like").await;
    let (_, took) = eventually(60, "our like on PeerTube", || async {
        (likes(pt, &theirs).await == (1, 0)).then_some(())
    })
    .await;
    report("like, ferrotube → PeerTube", took);
    rate(ft, carol.clone(), theirs.clone(), "dislike").await;
    eventually(60, "our dislike on PeerTube", || async {
        (likes(pt, &theirs).await == (0, 1)).then_some(())
    })
    .await;

    // Views: a viewer here of the PeerTube video is counted at its origin.
    let watch = |server: &Instance, uuid: &str, session: &str, time: i64| {
        let req = server
            .client
            .post(server.api(&format!("/videos/{uuid}/views")))
            .json(&json!({ "currentTime": time, "sessionId": session }));
        async move {
            let (status, body) = send(req).await;
            assert_eq!(status, 204, "{body}");
        }
    };
    watch(ft, &theirs, "viewer-one", 0).await;
    let (_, took) = eventually(60, "our viewer on PeerTube", || async {
        let (_, v) = get(pt, &format!("/videos/{theirs}")).await;
        (v["viewers"].as_i64().unwrap_or(0) >= 1).then_some(())
    })
    .await;
    report("viewer, ferrotube → PeerTube", took);
    watch(ft, &theirs, "viewer-one", 2).await;
    let (_, took) = eventually(60, "our view counted on PeerTube", || async {
        let (_, v) = get(pt, &format!("/videos/{theirs}")).await;
        (v["views"].as_i64().unwrap_or(0) >= 1).then_some(())
    })
    .await;
    report("view, ferrotube → PeerTube", took);
    // And a PeerTube viewer of our video counts here.
    watch(pt, &ours, "viewer-two", 0).await;
    let (_, took) = eventually(60, "PeerTube's viewer on ferrotube", || async {
        let (_, v) = get(ft, &format!("/videos/{ours}")).await;
        (v["viewers"].as_i64().unwrap_or(0) >= 1).then_some(())
    })
    .await;
    report("viewer, PeerTube → ferrotube", took);
    watch(pt, &ours, "viewer-two", 2).await;
    let (_, took) = eventually(60, "PeerTube's view counted on ferrotube", || async {
        let (_, v) = get(ft, &format!("/videos/{ours}")).await;
        (v["views"].as_i64().unwrap_or(0) >= 1).then_some(())
    })
    .await;
    report("view, PeerTube → ferrotube", took);
}
