//! The web: server-rendered pages (home, watch, embed, account, channel, search) with their
//! link-preview tags, content negotiation with ActivityPub on shared URLs, oEmbed (JSON and
//! XML), the RSS, Atom and JSON feeds parsed by real parsers, the player's assets, and the same
//! pages driven in headless Chromium (`player/test/pages.mjs`).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;
use serde_json::Value;

use ferrotube_test_support::media::{self, published_with_torrents, upload_ok, wait_for};
use ferrotube_test_support::{Options, TestServer, send};

use crate::BIN;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn player_dist() -> PathBuf {
    repo().join("player").join("dist")
}

fn options() -> Options {
    Options::default().env(
        "FERROTUBE_CLIENT__PLAYER_DIST",
        &player_dist().to_string_lossy(),
    )
}

async fn get(s: &TestServer, path: &str, accept: &str) -> (u16, String, String) {
    let res = match s
        .client
        .get(format!("{}{path}", s.url))
        .header("Accept", accept)
        .send()
        .await
    {
        Ok(r) => r,
        Err(e) => panic!("GET {path}: {e}"),
    };
    let status = res.status().as_u16();
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, content_type, res.text().await.unwrap_or_default())
}

async fn html(s: &TestServer, path: &str) -> (u16, String) {
    let (status, content_type, body) = get(s, path, "text/html,*/*;q=0.8").await;
    assert!(
        content_type.starts_with("text/html"),
        "{path}: {content_type}"
    );
    (status, body)
}

/// `<meta property|name="{key}" content="…">`, its content HTML-unescaped.
fn meta(page: &str, key: &str) -> Option<String> {
    for attr in ["property", "name"] {
        let needle = format!("<meta {attr}=\"{key}\" content=\"");
        if let Some(start) = page.find(&needle) {
            let rest = &page[start + needle.len()..];
            return rest.find('"').map(|end| unescape(&rest[..end]));
        }
    }
    None
}

/// `<link rel="alternate" type="{media_type}" href="…">`
fn alternate(page: &str, media_type: &str) -> Option<String> {
    let needle = format!("<link rel=\"alternate\" type=\"{media_type}\" href=\"");
    let start = page.find(&needle)?;
    let rest = &page[start + needle.len()..];
    rest.find('"').map(|end| unescape(&rest[..end]))
}

fn unescape(s: &str) -> String {
    s.replace("&#38;", "&")
        .replace("&amp;", "&")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
}

/// The player configuration the page renders (the fields the server decides).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlayerConfig {
    video: PlayerVideo,
    hls: Option<Hls>,
    web_video_files: Vec<PlayerFile>,
    p2p: P2p,
    views: Option<Views>,
    start_time: u32,
    autoplay: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Hls {
    playlist_url: String,
    segments_sha256_url: Option<String>,
    files: Vec<PlayerFile>,
}

#[derive(Debug, Deserialize)]
struct PlayerVideo {
    uuid: String,
    duration: i32,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlayerFile {
    resolution: i32,
    file_url: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct P2p {
    enabled: bool,
    tracker_urls: Vec<String>,
    stun_servers: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Views {
    url: String,
}

fn player_config(page: &str) -> PlayerConfig {
    let open = "<script type=\"application/json\" id=\"ferrotube-player-config\">";
    let start = page.find(open).map(|i| i + open.len());
    let json = start
        .and_then(|s| page[s..].find("</script>").map(|e| &page[s..s + e]))
        .unwrap_or_default();
    match serde_json::from_str(json) {
        Ok(c) => c,
        Err(e) => panic!("player config {json:?}: {e}"),
    }
}

#[derive(Debug, Deserialize)]
struct OEmbed {
    #[serde(rename = "type")]
    kind: String,
    version: String,
    html: String,
    width: u32,
    height: u32,
    title: String,
    author_name: String,
    author_url: String,
    provider_url: String,
    thumbnail_url: Option<String>,
    thumbnail_width: Option<u32>,
}

#[derive(Debug, Deserialize)]
struct JsonFeed {
    version: String,
    title: String,
    feed_url: String,
    items: Vec<JsonFeedItem>,
}

#[derive(Debug, Deserialize)]
struct JsonFeedItem {
    id: String,
    url: String,
    title: String,
    content_html: String,
    attachments: Vec<JsonFeedAttachment>,
}

#[derive(Debug, Deserialize)]
struct JsonFeedAttachment {
    url: String,
    mime_type: String,
    size_in_bytes: i64,
}

struct Uploaded {
    uuid: String,
    short: String,
    id: i64,
    /// The owner's REST view once published.
    rest: Value,
}

async fn upload(s: &TestServer, token: &str, name: &str, privacy: &str) -> Uploaded {
    let uuid = upload_ok(
        s,
        token,
        media::video().await,
        name,
        &[
            ("privacy", privacy),
            ("description", "A test card.\n\nSecond <paragraph> & more."),
            ("category", "15"),
            ("tags[]", "webtest"),
            ("downloadEnabled", "true"),
        ],
    )
    .await;
    let v = wait_for(s, token, &uuid, published_with_torrents).await;
    Uploaded {
        uuid,
        short: v["shortUUID"].as_str().unwrap_or_default().to_string(),
        id: v["id"].as_i64().unwrap_or_default(),
        rest: v,
    }
}

#[tokio::test]
async fn pages_negotiation_oembed_and_feeds() {
    let s = TestServer::start_with(BIN, options()).await;
    let token = s.root_token().await;
    let public = upload(&s, &token, "Web public <card>", "1").await;
    let unlisted = upload(&s, &token, "Web unlisted card", "2").await;
    let private = upload(&s, &token, "Web private card", "3").await;

    // Home: the public video only, with its thumbnail, duration and channel
    let (status, home) = html(&s, "/").await;
    assert_eq!(status, 200);
    assert!(home.contains("Web public &#60;card&#62;"), "{home}");
    assert!(home.contains(&format!("href=\"/w/{}\"", public.short)));
    assert!(home.contains("/lazy-static/thumbnails/"));
    assert!(home.contains("class=\"duration\">0:05<"));
    assert!(home.contains("href=\"/c/root_channel\""));
    assert!(!home.contains("Web unlisted card") && !home.contains("Web private card"));

    // Watch page: player config, plain <video>, link-preview tags
    for path in [
        format!("/w/{}", public.short),
        format!("/videos/watch/{}", public.uuid),
    ] {
        let (status, page) = html(&s, &path).await;
        assert_eq!(status, 200, "{path}");
        let embed = format!("{}/videos/embed/{}", s.url, public.uuid);
        let watch = format!("{}/w/{}", s.url, public.short);
        assert_eq!(meta(&page, "og:type").as_deref(), Some("video"));
        assert_eq!(
            meta(&page, "og:title").as_deref(),
            Some("Web public <card>")
        );
        assert_eq!(meta(&page, "og:url").as_deref(), Some(watch.as_str()));
        assert_eq!(meta(&page, "og:video:url").as_deref(), Some(embed.as_str()));
        assert_eq!(meta(&page, "og:video:type").as_deref(), Some("text/html"));
        assert!(meta(&page, "og:image").is_some_and(|i| i.contains("/lazy-static/previews/")));
        assert_eq!(meta(&page, "twitter:card").as_deref(), Some("player"));
        assert_eq!(
            meta(&page, "twitter:player").as_deref(),
            Some(embed.as_str())
        );
        assert_eq!(meta(&page, "twitter:player:width").as_deref(), Some("560"));
        let oembed = alternate(&page, "application/json+oembed").unwrap_or_default();
        assert!(oembed.starts_with(&format!("{}/services/oembed?url=", s.url)));
        assert!(alternate(&page, "text/xml+oembed").is_some_and(|u| u.ends_with("format=xml")));
        assert_eq!(
            alternate(&page, "application/activity+json").as_deref(),
            Some(format!("{}/videos/watch/{}", s.url, public.uuid).as_str())
        );
        let config = player_config(&page);
        assert_eq!(config.video.uuid, public.uuid);
        assert_eq!(config.video.duration, 5);
        // HLS (made by default) with the REST API's URLs: the master playlist's names the swarm.
        let playlist = &public.rest["streamingPlaylists"][0];
        let hls = config
            .hls
            .as_ref()
            .unwrap_or_else(|| panic!("no hls: {page}"));
        assert_eq!(
            Some(hls.playlist_url.as_str()),
            playlist["playlistUrl"].as_str()
        );
        assert_eq!(
            hls.segments_sha256_url.as_deref(),
            playlist["segmentsSha256Url"].as_str()
        );
        assert_eq!(
            hls.files
                .iter()
                .map(|f| f.file_url.as_str())
                .collect::<Vec<_>>(),
            playlist["files"]
                .as_array()
                .map(|f| f
                    .iter()
                    .filter_map(|f| f["fileUrl"].as_str())
                    .collect::<Vec<_>>())
                .unwrap_or_default()
        );
        assert!(!config.web_video_files.is_empty());
        assert!(config.web_video_files[0].resolution > 0);
        assert_eq!(
            config.p2p.tracker_urls,
            vec![format!("ws://{}/tracker/socket", s.host)]
        );
        assert!(config.p2p.stun_servers.is_empty(), "STUN is off by default");
        assert!(config.p2p.enabled, "P2P with HLS and its segment hashes");
        assert!(config.views.is_some_and(|v| v.url.ends_with("/views")));
        // the same file plays without JavaScript
        let src = format!("src=\"{}\"", config.web_video_files[0].file_url);
        assert!(page.contains(&src), "{page}");
    }

    // ?start= reaches the player and the oEmbed link
    let (_, page) = html(&s, &format!("/w/{}?start=1m2s", public.short)).await;
    assert_eq!(player_config(&page).start_time, 62);
    assert!(
        alternate(&page, "application/json+oembed").is_some_and(|u| u.contains("start%3D1m2s"))
    );

    // Content negotiation: ActivityPub clients still get the objects on the same URLs
    let (status, content_type, body) = get(
        &s,
        &format!("/w/{}", public.short),
        "application/activity+json",
    )
    .await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("application/activity+json"));
    let object: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    assert_eq!(object["type"], "Video");
    for (path, kind) in [
        ("/accounts/root", "Person"),
        ("/a/root", "Person"),
        ("/video-channels/root_channel", "Group"),
        ("/c/root_channel", "Group"),
    ] {
        let (status, _, body) = get(&s, path, "application/activity+json").await;
        assert_eq!(status, 200, "{path}");
        let actor: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        assert_eq!(actor["type"], kind, "{path}");
        let (status, page) = html(&s, path).await;
        assert_eq!(status, 200, "{path}");
        assert!(page.contains("Web public &#60;card&#62;"), "{path}");
        assert!(
            alternate(&page, "application/activity+json").is_some(),
            "{path}"
        );
        assert!(alternate(&page, "application/rss+xml").is_some(), "{path}");
    }
    let (status, page) = html(&s, "/a/root").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("href=\"/c/root_channel\""),
        "the account lists its channel"
    );
    assert_eq!(html(&s, "/a/nobody").await.0, 404);
    assert_eq!(html(&s, "/c/nobody").await.0, 404);
    // other URLs fall through to the API and static files as before
    let (status, _, _) = get(&s, "/api/v1/config", "text/html").await;
    assert_eq!(status, 200);

    // Privacy as in the API: unlisted through its link, private never for anonymous viewers
    let (status, page) = html(&s, &format!("/w/{}", unlisted.short)).await;
    assert_eq!(status, 200);
    assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert_eq!(html(&s, &format!("/w/{}", unlisted.id)).await.0, 404);
    assert_eq!(html(&s, &format!("/w/{}", private.short)).await.0, 401);
    assert_eq!(
        html(&s, &format!("/videos/embed/{}", private.uuid)).await.0,
        401
    );
    assert_eq!(html(&s, "/w/nonexistent").await.0, 404);

    // Search
    let (status, page) = html(&s, "/search?search=public").await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("href=\"/w/{}\"", public.short)));
    let (_, page) = html(&s, "/search?search=zzzznothing").await;
    assert!(page.contains("No videos yet."));

    // Embed
    let (status, page) = html(&s, &format!("/videos/embed/{}?autoplay=1", public.short)).await;
    assert_eq!(status, 200);
    let config = player_config(&page);
    assert!(config.autoplay);
    assert!(page.contains("<video controls preload=\"metadata\""));

    // oEmbed, JSON and XML, parsed
    let watch = format!("{}/w/{}?start=3&notforwarded=1", s.url, public.short);
    let q = |extra: &str| {
        format!(
            "{}/services/oembed?url={}{extra}",
            s.url,
            url_encode(&watch)
        )
    };
    let res = s.client.get(q("")).send().await;
    let body = match res {
        Ok(r) => {
            assert_eq!(r.status(), 200);
            r.text().await.unwrap_or_default()
        }
        Err(e) => panic!("oembed: {e}"),
    };
    let json: OEmbed = match serde_json::from_str(&body) {
        Ok(o) => o,
        Err(e) => panic!("oEmbed JSON {body}: {e}"),
    };
    let embed_src = format!("src=\"{}/videos/embed/{}?start=3\"", s.url, public.uuid);
    assert_eq!(
        (json.kind.as_str(), json.version.as_str()),
        ("video", "1.0")
    );
    assert!(
        json.html.starts_with("<iframe ") && json.html.contains(&embed_src),
        "{}",
        json.html
    );
    assert!(
        json.html.contains("title=\"Web public &lt;card&gt;\""),
        "{}",
        json.html
    );
    assert_eq!((json.width, json.height), (560, 315));
    assert_eq!(json.title, "Web public <card>");
    assert_eq!(json.author_name, "Main root channel");
    assert_eq!(
        json.author_url,
        format!("{}/video-channels/root_channel", s.url)
    );
    assert_eq!(json.provider_url, s.url);
    assert!(
        json.thumbnail_url
            .is_some_and(|t| t.contains("/lazy-static/previews/"))
    );
    assert_eq!(json.thumbnail_width, Some(850));
    let res = s.client.get(q("&format=xml&maxwidth=400")).send().await;
    let (content_type, body) = match res {
        Ok(r) => {
            assert_eq!(r.status(), 200);
            let ct = r
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            (ct, r.text().await.unwrap_or_default())
        }
        Err(e) => panic!("oembed xml: {e}"),
    };
    assert!(content_type.starts_with("text/xml"), "{content_type}");
    assert!(body.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\""));
    let xml: OEmbed = match quick_xml::de::from_str(&body) {
        Ok(o) => o,
        Err(e) => panic!("oEmbed XML {body}: {e}"),
    };
    assert_eq!(xml.title, json.title);
    assert!(xml.html.contains(&embed_src));
    assert_eq!(xml.width, 400);
    assert!(
        xml.thumbnail_url.is_none(),
        "a 400 px box is smaller than the preview"
    );
    // refusals
    for (url, expected) in [
        (format!("{}/w/{}", s.url, private.short), 403),
        (format!("{}/w/{}", s.url, unlisted.id), 403),
        (format!("{}/w/{}", s.url, unlisted.uuid), 200),
        (format!("{}/w/{}", s.url, "a".repeat(22)), 404),
        ("http://elsewhere.example/w/abc".to_string(), 400),
        ("not a url".to_string(), 400),
    ] {
        let (status, body) = send(s.client.get(format!(
            "{}/services/oembed?url={}",
            s.url,
            url_encode(&url)
        )))
        .await;
        assert_eq!(status, expected, "{url}: {body}");
        if expected != 200 {
            assert_eq!(body["status"], expected, "{body}");
        }
    }

    // Feeds: RSS 2.0 with Media RSS, Atom, JSON Feed, each through a real parser
    let feed = |path: &'static str| {
        let s = &s;
        async move {
            let res = match s.client.get(format!("{}{path}", s.url)).send().await {
                Ok(r) => r,
                Err(e) => panic!("GET {path}: {e}"),
            };
            assert_eq!(res.status(), 200, "{path}");
            let ct = res
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            (
                ct,
                res.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
            )
        }
    };
    let watch = format!("{}/w/{}", s.url, public.short);
    let (ct, bytes) = feed("/feeds/videos.xml").await;
    assert_eq!(ct, "application/rss+xml");
    let channel = match rss::Channel::read_from(&bytes[..]) {
        Ok(c) => c,
        Err(e) => panic!("RSS: {e}\n{}", String::from_utf8_lossy(&bytes)),
    };
    assert_eq!(channel.title, "ferrotube");
    assert_eq!(channel.items.len(), 1, "only the public video");
    let item = &channel.items[0];
    assert_eq!(item.title.as_deref(), Some("Web public <card>"));
    assert_eq!(item.link.as_deref(), Some(watch.as_str()));
    assert!(
        item.content
            .as_deref()
            .is_some_and(|c| c.contains("&lt;paragraph&gt;"))
    );
    let enclosure = item.enclosure.as_ref();
    assert!(
        enclosure
            .is_some_and(|e| e.mime_type == "video/mp4" && e.url.contains("/static/web-videos/"))
    );
    let media = item.extensions.get("media");
    let group = media.and_then(|m| m.get("group")).and_then(|g| g.first());
    let contents = group.and_then(|g| g.children.get("content"));
    assert!(contents.is_some_and(|c| !c.is_empty() && c[0].attrs.contains_key("fileSize")));
    assert!(
        group
            .and_then(|g| g.children.get("peerLink"))
            .is_some_and(|p| !p.is_empty())
    );
    assert!(
        media
            .and_then(|m| m.get("thumbnail"))
            .is_some_and(|t| t.len() == 2)
    );
    assert!(media.and_then(|m| m.get("embed")).is_some());

    let (ct, bytes) = feed("/feeds/videos.atom").await;
    assert_eq!(ct, "application/atom+xml");
    let atom = match atom_syndication::Feed::read_from(&bytes[..]) {
        Ok(f) => f,
        Err(e) => panic!("Atom: {e}\n{}", String::from_utf8_lossy(&bytes)),
    };
    assert_eq!(atom.entries.len(), 1);
    let entry = &atom.entries[0];
    assert_eq!(entry.id, watch);
    assert_eq!(entry.title.value, "Web public <card>");
    assert!(
        entry
            .links
            .iter()
            .any(|l| l.rel == "enclosure" && l.mime_type.as_deref() == Some("video/mp4"))
    );
    assert!(
        entry
            .links
            .iter()
            .any(|l| l.rel == "alternate" && l.href == watch)
    );
    let (ct, bytes) = feed("/feeds/videos.xml?format=atom").await;
    assert_eq!(ct, "application/atom+xml");
    assert!(atom_syndication::Feed::read_from(&bytes[..]).is_ok());

    let (ct, bytes) = feed("/feeds/videos.json").await;
    assert_eq!(ct, "application/json");
    let json: JsonFeed = match serde_json::from_slice(&bytes) {
        Ok(f) => f,
        Err(e) => panic!("JSON Feed: {e}\n{}", String::from_utf8_lossy(&bytes)),
    };
    assert_eq!(json.version, "https://jsonfeed.org/version/1");
    assert_eq!(json.title, "ferrotube");
    assert_eq!(json.feed_url, format!("{}/feeds/videos.json", s.url));
    assert_eq!(json.items.len(), 1);
    assert_eq!(
        (json.items[0].id.as_str(), json.items[0].url.as_str()),
        (watch.as_str(), watch.as_str())
    );
    assert_eq!(json.items[0].title, "Web public <card>");
    assert!(
        json.items[0]
            .content_html
            .starts_with("<p>A test card.</p>")
    );
    assert!(
        json.items[0]
            .attachments
            .iter()
            .any(|a| a.mime_type == "video/mp4"
                && a.size_in_bytes > 0
                && a.url.contains("/static/web-videos/"))
    );
    assert!(
        json.items[0]
            .attachments
            .iter()
            .any(|a| a.mime_type == "application/x-bittorrent")
    );

    // PeerTube's parameters: account and channel by name or id, sort, isLocal, nsfw
    let account_id = s.get_json("/api/v1/accounts/root").await["id"].clone();
    let channel_id = s.get_json("/api/v1/video-channels/root_channel").await["id"].clone();
    for path in [
        "/feeds/videos.xml?accountName=root".to_string(),
        "/feeds/videos.xml?videoChannelName=root_channel".to_string(),
        format!("/feeds/videos.xml?accountId={account_id}"),
        format!("/feeds/videos.rss?videoChannelId={channel_id}"),
        "/feeds/videos.xml?sort=-views&nsfw=both&isLocal=true".to_string(),
    ] {
        let (_, _, body) = get(&s, &path, "*/*").await;
        let bytes = body.into_bytes();
        let channel = rss::Channel::read_from(&bytes[..]);
        assert!(channel.is_ok_and(|c| c.items.len() == 1), "{path}");
    }
    let (_, bytes) = feed("/feeds/videos.json?isLocal=false").await;
    let remote_only: Result<JsonFeed, _> = serde_json::from_slice(&bytes);
    assert!(remote_only.is_ok_and(|f| f.items.is_empty()));
    let (_, bytes) = feed("/feeds/videos.atom?videoChannelName=root_channel").await;
    assert!(
        atom_syndication::Feed::read_from(&bytes[..])
            .is_ok_and(|f| f.title.value == "Main root channel")
    );
    for (path, expected) in [
        ("/feeds/videos.xml?videoChannelName=nobody", 404),
        ("/feeds/videos.xml?accountId=999", 404),
        ("/feeds/videos.xml?sort=bogus", 400),
        ("/feeds/videos.xml?isLocal=perhaps", 400),
        ("/feeds/videos.html", 404),
    ] {
        let (status, body) = send(s.client.get(format!("{}{path}", s.url))).await;
        assert_eq!(status, expected, "{path}: {body}");
    }
    let (status, _, _) = get(&s, "/feeds/videos.json", "text/html").await;
    assert_eq!(status, 406);

    // The player's assets: immutable, from the manifest (scripts/test builds the bundle).
    let manifest = player_dist().join("manifest.json");
    assert!(
        manifest.is_file(),
        "player/dist is not built (scripts/build-player)"
    );
    {
        let (_, page) = html(&s, &format!("/w/{}", public.short)).await;
        let start = page.find("<script defer src=\"").map(|i| i + 19);
        let src = start
            .and_then(|i| page[i..].find('"').map(|e| page[i..i + e].to_string()))
            .unwrap_or_default();
        assert!(
            src.starts_with("/client/player/player-") && src.ends_with(".js"),
            "{src}"
        );
        let res = s.client.get(format!("{}{src}", s.url)).send().await;
        match res {
            Ok(r) => {
                assert_eq!(r.status(), 200);
                assert_eq!(
                    r.headers()
                        .get("cache-control")
                        .and_then(|v| v.to_str().ok()),
                    Some("public, max-age=31536000, immutable")
                );
            }
            Err(e) => panic!("{src}: {e}"),
        }
        let (status, _, _) = get(&s, "/client/player/nothing.js", "*/*").await;
        assert_eq!(status, 404);
    }
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn player_follows_the_configuration_and_works_without_a_bundle() {
    let s = TestServer::start_with(
        BIN,
        Options::default()
            .env(
                "FERROTUBE_WEBRTC__STUN_SERVERS",
                "[\"stun:stun.example.org:3478\"]",
            )
            .env("FERROTUBE_TRACKER__ENABLED", "false")
            .env("FERROTUBE_TRANSCODING__ENABLED", "false")
            .env("FERROTUBE_CLIENT__PLAYER_DIST", "/nonexistent/player/dist"),
    )
    .await;
    assert!(
        s.log_text().contains("no player bundle"),
        "a missing bundle is logged"
    );
    let token = s.root_token().await;
    let uuid = upload_ok(&s, &token, media::video().await, "Config card", &[]).await;
    wait_for(&s, &token, &uuid, published_with_torrents).await;
    let (status, page) = html(&s, &format!("/videos/embed/{uuid}")).await;
    assert_eq!(status, 200);
    let config = player_config(&page);
    assert_eq!(config.p2p.stun_servers, vec!["stun:stun.example.org:3478"]);
    assert!(config.p2p.tracker_urls.is_empty());
    assert!(!page.contains("/client/player/"), "no bundle, no script");
    assert!(page.contains("<video controls"));
}

fn tool(name: &str) -> bool {
    Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Headless Chromium on the real pages: home lists the upload, the watch page and the embed
/// play, the preview tags are in the DOM, the page works without JavaScript. Screenshots go to
/// `target/browser-test-output/`.
#[tokio::test]
async fn pages_in_a_real_browser() {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let playwright = repo().join("player/node_modules/playwright-core");
    let missing: Vec<&str> = [
        (!tool("node")).then_some("node"),
        (!Path::new(&chromium).is_file()).then_some("chromium"),
        (!playwright.is_dir()).then_some("player/node_modules (scripts/build-player)"),
        (!player_dist().join("manifest.json").is_file())
            .then_some("player/dist (scripts/build-player)"),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert!(
        missing.is_empty(),
        "the browser test needs {missing:?} (scripts/test installs them)"
    );
    let s = TestServer::start_with(BIN, options()).await;
    let token = s.root_token().await;
    let title = "Browser card & <friends>";
    let video = upload(&s, &token, title, "1").await;
    let out = repo().join("target/browser-test-output");
    let output = tokio::process::Command::new("node")
        .arg(repo().join("player/test/pages.mjs"))
        .args(["--base", &s.url])
        .args(["--watch", &format!("/w/{}", video.short)])
        .args(["--embed", &format!("/videos/embed/{}", video.uuid)])
        .args(["--title", title])
        .arg("--out")
        .arg(&out)
        .env("CHROMIUM", &chromium)
        .kill_on_drop(true)
        .output();
    let output = match tokio::time::timeout(std::time::Duration::from_secs(180), output).await {
        Ok(Ok(o)) => o,
        Ok(Err(e)) => panic!("node: {e}"),
        Err(_) => panic!("the browser test took more than 3 minutes"),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "browser test failed:\n{stdout}\n{stderr}\nserver log:\n{}",
        s.log_text()
    );
    let results: Value = stdout
        .lines()
        .last()
        .and_then(|l| serde_json::from_str(l).ok())
        .unwrap_or(Value::Null);
    assert_eq!(results["ok"], true, "{stdout}");
    assert!(results["watch"]["to"].as_f64() > results["watch"]["from"].as_f64());
    for shot in ["home.png", "watch.png", "embed.png"] {
        assert!(out.join(shot).is_file(), "{shot} missing");
    }
}
