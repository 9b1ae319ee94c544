//! What templates print about videos and actors, built from the model once per page.

use std::collections::HashMap;

use ferrotube_federation::models::account::AccountFull;
use ferrotube_federation::models::channel::ChannelFull;
use ferrotube_federation::models::server::Server;
use ferrotube_federation::models::video::Video;
use ferrotube_federation::video::{short_uuid, urls as vurls};

use crate::text;

/// `name` for local actors, `name@host` for remote ones (PeerTube's handle in client URLs).
pub fn handle(name: &str, server: Option<&Server>) -> String {
    match server {
        Some(s) => format!("{name}@{}", s.host),
        None => name.to_string(),
    }
}

/// `/c/{handle}`
pub fn channel_path(c: &ChannelFull) -> String {
    format!(
        "/c/{}",
        handle(&c.actor.preferred_username, c.server.as_ref())
    )
}

/// `/a/{handle}`
pub fn account_path(a: &AccountFull) -> String {
    format!(
        "/a/{}",
        handle(&a.actor.preferred_username, a.server.as_ref())
    )
}

/// `/w/{shortUUID}`: the watch page, as PeerTube links it.
pub fn watch_path(v: &Video) -> String {
    format!("/w/{}", short_uuid::encode(&v.uuid))
}

/// `/videos/embed/{uuid}`
pub fn embed_path(v: &Video) -> String {
    format!("/videos/embed/{}", v.uuid)
}

/// A video in a grid: thumbnail, duration, name, channel, views, date.
pub struct VideoCard<'a> {
    pub name: &'a str,
    pub watch_path: String,
    pub thumbnail: Option<String>,
    pub duration: String,
    pub channel_name: &'a str,
    pub channel_path: String,
    /// The origin's host, for remote videos.
    pub host: Option<&'a str>,
    pub views: i64,
    pub published: String,
    pub published_iso: String,
}

impl<'a> VideoCard<'a> {
    pub fn new(v: &'a Video, c: &'a ChannelFull) -> Self {
        Self {
            name: &v.name,
            watch_path: watch_path(v),
            thumbnail: vurls::thumbnail_path(v),
            duration: text::duration(v.duration),
            channel_name: &c.channel.display_name,
            channel_path: channel_path(c),
            host: c.server.as_ref().map(|s| s.host.as_str()),
            views: v.views,
            published: text::day(&v.published_at),
            published_iso: v.published_at.to_rfc3339(),
        }
    }

    /// The cards of a page of videos whose channels were loaded together.
    pub fn list(videos: &'a [Video], channels: &'a HashMap<i64, ChannelFull>) -> Vec<Self> {
        videos
            .iter()
            .filter_map(|v| Some(Self::new(v, channels.get(&v.channel_id)?)))
            .collect()
    }
}

/// Links to the previous and next pages of a list (`?page=N`, from 1).
pub struct Pager {
    pub previous: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// `base` is the page's path with its other query parameters, ending in `?` or `&`.
    pub fn new(base: &str, page: u32, has_more: bool) -> Self {
        Self {
            previous: (page > 1).then(|| format!("{base}page={}", page - 1)),
            next: has_more.then(|| format!("{base}page={}", page + 1)),
        }
    }
}
