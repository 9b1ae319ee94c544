//! Videos between ferrotube and a real PeerTube, both ways: published videos are listed with
//! playable files, renames and deletions follow.

use ferrotube_test_support::media::{self, published_with_torrents, upload_ok, wait_for};
use ferrotube_test_support::{Instance, send};
use serde_json::json;

use crate::common::{Pair, eventually, get, listed, report};

async fn rename(server: &Instance, token: &str, uuid: &str, name: &str) {
    let (status, body) = send(
        server
            .client
            .put(server.api(&format!("/videos/{uuid}")))
            .bearer_auth(token)
            .json(&json!({ "name": name })),
    )
    .await;
    assert_eq!(status, 204, "{body}");
}

async fn delete(server: &Instance, token: &str, uuid: &str) {
    let (status, body) = send(
        server
            .client
            .delete(server.api(&format!("/videos/{uuid}")))
            .bearer_auth(token),
    )
    .await;
    assert_eq!(status, 204, "{body}");
}

/// The first playable file URL of a video's details answers 200 with the bytes.
async fn playable(server: &Instance, uuid: &str) {
    let (status, v) = get(server, &format!("/videos/{uuid}")).await;
    assert_eq!(status, 200, "{v}");
    let url = v["files"][0]["fileUrl"]
        .as_str()
        .or_else(|| v["streamingPlaylists"][0]["files"][0]["fileUrl"].as_str())
        .unwrap_or_default()
        .to_string();
    assert!(url.starts_with("http"), "no file in {v}");
    let res = server
        .client
        .get(&url)
        .header("Range", "bytes=0-1023")
        .send()
        .await;
    let res = match res {
        Ok(r) => r,
        Err(e) => panic!("GET {url}: {e}"),
    };
    assert!(res.status().is_success(), "GET {url}: {}", res.status());
}

#[tokio::test]
async fn videos_travel_both_ways_with_renames_and_deletes() {
    let p = Pair::start().await;
    let (ft, pt) = (&p.ft, &p.pt);
    let ft_root = ft.root_token().await;
    let pt_root = pt.root_token().await;

    // ferrotube → PeerTube: listed, playable from ferrotube, renamed, deleted.
    let ours = upload_ok(ft, &ft_root, &media::tiny_video(), "Made on ferrotube", &[]).await;
    wait_for(ft, &ft_root, &ours, published_with_torrents).await;
    let (_, took) = listed(pt, &ours, 60).await;
    report("video listed, ferrotube → PeerTube", took);
    playable(pt, &ours).await;
    let (status, details) = get(pt, &format!("/videos/{ours}")).await;
    assert_eq!(status, 200);
    assert_eq!(details["account"]["host"], ft.host);
    assert!(details["thumbnailPath"].is_string(), "{details}");
    rename(ft, &ft_root, &ours, "Renamed on ferrotube").await;
    let (_, took) = eventually(60, "the rename on PeerTube", || async {
        let (_, v) = get(pt, &format!("/videos/{ours}")).await;
        (v["name"] == "Renamed on ferrotube").then_some(())
    })
    .await;
    report("rename, ferrotube → PeerTube", took);

    // PeerTube → ferrotube: listed with its files, renamed, deleted.
    let theirs = upload_ok(pt, &pt_root, &media::tiny_video(), "Made on PeerTube", &[]).await;
    pt.wait_published(&pt_root, &theirs).await;
    let (_, took) = listed(ft, &theirs, 60).await;
    report("video listed, PeerTube → ferrotube", took);
    playable(ft, &theirs).await;
    rename(pt, &pt_root, &theirs, "Renamed on PeerTube").await;
    let (_, took) = eventually(60, "the rename on ferrotube", || async {
        let (_, v) = get(ft, &format!("/videos/{theirs}")).await;
        (v["name"] == "Renamed on PeerTube").then_some(())
    })
    .await;
    report("rename, PeerTube → ferrotube", took);

    delete(pt, &pt_root, &theirs).await;
    let (_, took) = eventually(60, "the deletion on ferrotube", || async {
        let (status, _) = get(ft, &format!("/videos/{theirs}")).await;
        (status == 404).then_some(())
    })
    .await;
    report("delete, PeerTube → ferrotube", took);
    delete(ft, &ft_root, &ours).await;
    let (_, took) = eventually(60, "the deletion on PeerTube", || async {
        let (status, _) = get(pt, &format!("/videos/{ours}")).await;
        (status == 404).then_some(())
    })
    .await;
    report("delete, ferrotube → PeerTube", took);
    assert!(
        !pt.log_text().contains("Cannot fetch remote video"),
        "PeerTube refused a ferrotube video:\n{}",
        pt.log_tail(60)
    );
}
