//! RSS 2.0 with Media RSS (`media:`), as PeerTube's video feeds: one `enclosure` (the best
//! file) and a `media:group` of every file and torrent, the embed, the player, thumbnails.

use std::collections::BTreeMap;

use rss::extension::{Extension, ExtensionMap};
use rss::{Channel, Enclosure, Guid, Item};

use super::item::{Feed, FeedItem};
use crate::error::{WebError, WebResult};

const MEDIA: &str = "http://search.yahoo.com/mrss/";
const ATOM: &str = "http://www.w3.org/2005/Atom";
const DC: &str = "http://purl.org/dc/elements/1.1/";

fn element(name: &str, value: Option<String>, attrs: &[(&str, String)]) -> Extension {
    Extension {
        name: name.to_string(),
        value,
        attrs: attrs
            .iter()
            .map(|(k, v)| ((*k).to_string(), v.clone()))
            .collect(),
        children: BTreeMap::new(),
    }
}

fn with_children(mut e: Extension, children: Vec<Extension>) -> Extension {
    for child in children {
        let local = child
            .name
            .split_once(':')
            .map(|(_, l)| l.to_string())
            .unwrap_or_else(|| child.name.clone());
        e.children.entry(local).or_default().push(child);
    }
    e
}

/// Groups extensions by prefix and local name, as the rss crate keeps them.
fn map(elements: Vec<Extension>) -> ExtensionMap {
    let mut out = ExtensionMap::new();
    for e in elements {
        let (prefix, local) = match e.name.split_once(':') {
            Some((p, l)) => (p.to_string(), l.to_string()),
            None => (String::new(), e.name.clone()),
        };
        out.entry(prefix)
            .or_default()
            .entry(local)
            .or_default()
            .push(e);
    }
    out
}

fn item(i: &FeedItem) -> Item {
    let mut media = Vec::new();
    let mut group = Vec::new();
    for f in &i.files {
        if let Some(t) = &f.torrent_url {
            group.push(element(
                "media:peerLink",
                None,
                &[
                    ("type", "application/x-bittorrent".into()),
                    ("href", t.clone()),
                ],
            ));
        }
        let mut attrs = vec![
            ("url", f.url.clone()),
            ("type", f.mime_type.to_string()),
            ("fileSize", f.size.to_string()),
            ("medium", "video".to_string()),
            ("height", f.resolution.to_string()),
            ("duration", i.duration.to_string()),
        ];
        if f.fps > 0 {
            attrs.push(("framerate", f.fps.to_string()));
        }
        if let Some(lang) = &i.language {
            attrs.push(("lang", lang.clone()));
        }
        group.push(element("media:content", None, &attrs));
    }
    if !group.is_empty() {
        media.push(with_children(element("media:group", None, &[]), group));
    }
    media.push(element(
        "media:embed",
        None,
        &[
            ("url", i.embed_url.clone()),
            ("allowFullscreen", "true".into()),
        ],
    ));
    media.push(element("media:player", None, &[("url", i.link.clone())]));
    for (url, w, h) in &i.thumbnails {
        media.push(element(
            "media:thumbnail",
            None,
            &[
                ("url", url.clone()),
                ("width", w.to_string()),
                ("height", h.to_string()),
            ],
        ));
    }
    media.push(element(
        "media:title",
        Some(i.title.clone()),
        &[("type", "plain".into())],
    ));
    media.push(element(
        "media:description",
        Some(i.summary.clone()),
        &[("type", "plain".into())],
    ));
    media.push(element(
        "media:rating",
        Some(if i.nsfw { "adult" } else { "nonadult" }.into()),
        &[],
    ));
    if let Some(category) = i.category {
        media.push(element("media:category", Some(category.into()), &[]));
    }
    media.push(with_children(
        element("media:community", None, &[]),
        vec![element(
            "media:statistics",
            None,
            &[("views", i.views.to_string())],
        )],
    ));
    media.push(element("dc:creator", Some(i.author_name.clone()), &[]));

    Item {
        title: Some(i.title.clone()),
        link: Some(i.link.clone()),
        description: Some(i.summary.clone()),
        guid: Some(Guid {
            value: i.link.clone(),
            permalink: true,
        }),
        pub_date: Some(i.published.to_rfc2822()),
        content: (!i.content_html.is_empty()).then(|| i.content_html.clone()),
        enclosure: i.files.first().map(|f| Enclosure {
            url: f.url.clone(),
            length: f.size.to_string(),
            mime_type: f.mime_type.to_string(),
        }),
        categories: i
            .category
            .map(|c| rss::Category {
                name: c.to_string(),
                domain: None,
            })
            .into_iter()
            .collect(),
        extensions: map(media),
        ..Item::default()
    }
}

pub fn write(feed: &Feed) -> WebResult<Vec<u8>> {
    let mut namespaces = BTreeMap::new();
    namespaces.insert("media".to_string(), MEDIA.to_string());
    namespaces.insert("atom".to_string(), ATOM.to_string());
    namespaces.insert("dc".to_string(), DC.to_string());
    let channel = Channel {
        title: feed.title.clone(),
        link: feed.link.clone(),
        description: feed.description.clone(),
        generator: Some(feed.generator.clone()),
        docs: Some("https://validator.w3.org/feed/docs/rss2.html".into()),
        last_build_date: Some(feed.updated.to_rfc2822()),
        items: feed.items.iter().map(item).collect(),
        extensions: map(vec![element(
            "atom:link",
            None,
            &[
                ("href", feed.rss_url.clone()),
                ("rel", "self".into()),
                ("type", "application/rss+xml".into()),
            ],
        )]),
        namespaces,
        ..Channel::default()
    };
    channel
        .write_to(Vec::new())
        .map_err(|e| WebError::Render(e.to_string()))
}
