//! JSON Feed 1 (<https://jsonfeed.org/version/1>), as PeerTube's `videos.json`: files and
//! torrents as attachments.

use serde::Serialize;

use super::item::{Feed, FeedItem};
use crate::error::{WebError, WebResult};

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: &'a str,
    description: &'a str,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    summary: &'a str,
    content_html: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    date_published: String,
    date_modified: String,
    author: Author<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
    attachments: Vec<Attachment<'a>>,
}

#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct Attachment<'a> {
    url: &'a str,
    mime_type: &'a str,
    title: &'a str,
    size_in_bytes: i64,
}

fn item(i: &FeedItem) -> JsonItem<'_> {
    let mut attachments = Vec::with_capacity(i.files.len() * 2);
    for f in &i.files {
        attachments.push(Attachment {
            url: &f.url,
            mime_type: f.mime_type,
            title: &i.title,
            size_in_bytes: f.size,
        });
        if let Some(t) = &f.torrent_url {
            attachments.push(Attachment {
                url: t,
                mime_type: "application/x-bittorrent",
                title: &i.title,
                size_in_bytes: f.size,
            });
        }
    }
    let published = i.published.to_rfc3339();
    JsonItem {
        id: &i.link,
        url: &i.link,
        title: &i.title,
        summary: &i.summary,
        content_html: &i.content_html,
        image: i.thumbnails.first().map(|(u, _, _)| u.as_str()),
        date_modified: published.clone(),
        date_published: published,
        author: Author {
            name: &i.author_name,
            url: &i.author_link,
        },
        tags: i.category.into_iter().collect(),
        attachments,
    }
}

pub fn write(feed: &Feed) -> WebResult<Vec<u8>> {
    let json = JsonFeed {
        version: "https://jsonfeed.org/version/1",
        title: &feed.title,
        home_page_url: &feed.link,
        feed_url: &feed.json_url,
        description: &feed.description,
        items: feed.items.iter().map(item).collect(),
    };
    serde_json::to_vec(&json).map_err(|e| WebError::Render(e.to_string()))
}
