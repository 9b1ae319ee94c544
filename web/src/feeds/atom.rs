//! Atom 1.0: one entry per video, its files as `enclosure` links and its thumbnails in Media
//! RSS, as PeerTube's feed library writes them.

use std::collections::BTreeMap;

use atom_syndication::extension::{Extension, ExtensionMap};
use atom_syndication::{
    Content, Entry, Feed as AtomFeed, FixedDateTime, Generator, Link, Person, Text,
};
use chrono::{DateTime, Utc};

use super::item::{Feed, FeedItem};
use crate::error::{WebError, WebResult};

fn date(d: &DateTime<Utc>) -> FixedDateTime {
    d.fixed_offset()
}

fn link(rel: &str, href: &str, mime_type: Option<&str>, length: Option<i64>) -> Link {
    Link {
        href: href.to_string(),
        rel: rel.to_string(),
        mime_type: mime_type.map(str::to_string),
        length: length.map(|l| l.to_string()),
        ..Link::default()
    }
}

fn thumbnails(i: &FeedItem) -> ExtensionMap {
    let list: Vec<Extension> = i
        .thumbnails
        .iter()
        .map(|(url, w, h)| Extension {
            name: "media:thumbnail".into(),
            value: None,
            attrs: BTreeMap::from([
                ("url".to_string(), url.clone()),
                ("width".to_string(), w.to_string()),
                ("height".to_string(), h.to_string()),
            ]),
            children: BTreeMap::new(),
        })
        .collect();
    let mut map = ExtensionMap::new();
    if !list.is_empty() {
        map.insert(
            "media".into(),
            BTreeMap::from([("thumbnail".to_string(), list)]),
        );
    }
    map
}

fn entry(i: &FeedItem) -> Entry {
    let mut links = vec![link("alternate", &i.link, Some("text/html"), None)];
    links.extend(
        i.files
            .iter()
            .map(|f| link("enclosure", &f.url, Some(f.mime_type), Some(f.size))),
    );
    Entry {
        title: Text::plain(i.title.clone()),
        id: i.link.clone(),
        updated: date(&i.published),
        published: Some(date(&i.published)),
        authors: vec![Person {
            name: i.author_name.clone(),
            uri: Some(i.author_link.clone()),
            ..Person::default()
        }],
        links,
        summary: (!i.summary.is_empty()).then(|| Text::plain(i.summary.clone())),
        content: (!i.content_html.is_empty()).then(|| Content {
            value: Some(i.content_html.clone()),
            content_type: Some("html".into()),
            ..Content::default()
        }),
        extensions: thumbnails(i),
        ..Entry::default()
    }
}

pub fn write(feed: &Feed) -> WebResult<Vec<u8>> {
    let atom = AtomFeed {
        title: Text::plain(feed.title.clone()),
        id: feed.link.clone(),
        updated: date(&feed.updated),
        subtitle: (!feed.description.is_empty()).then(|| Text::plain(feed.description.clone())),
        generator: Some(Generator {
            value: feed.generator.clone(),
            ..Generator::default()
        }),
        links: vec![
            link("alternate", &feed.link, Some("text/html"), None),
            link("self", &feed.atom_url, Some("application/atom+xml"), None),
        ],
        entries: feed.items.iter().map(entry).collect(),
        namespaces: BTreeMap::from([(
            "media".to_string(),
            "http://search.yahoo.com/mrss/".to_string(),
        )]),
        ..AtomFeed::default()
    };
    atom.write_to(Vec::new())
        .map_err(|e| WebError::Render(e.to_string()))
}
