//! A feed, whatever its format: the channel's metadata and one item per video, built once from
//! the model and then written as RSS, Atom or JSON Feed.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use ferrotube_federation::models::channel::ChannelFull;
use ferrotube_federation::models::video::Video;
use ferrotube_federation::models::video_file::VideoFile;
use ferrotube_federation::video::{self, urls as vurls};

use super::query::Source;
use crate::site::Site;
use crate::text;
use crate::view;

/// Miniature size (the media crate makes 280x157 thumbnails and 850x480 previews).
const THUMBNAIL_SIZE: (u32, u32) = (280, 157);
const PREVIEW_SIZE: (u32, u32) = (850, 480);

pub struct Feed {
    pub title: String,
    pub description: String,
    /// The page the feed is about.
    pub link: String,
    /// This feed in each format, with the request's query.
    pub rss_url: String,
    pub atom_url: String,
    pub json_url: String,
    pub generator: String,
    pub updated: DateTime<Utc>,
    pub items: Vec<FeedItem>,
}

pub struct FeedItem {
    pub title: String,
    /// The watch page, also the item's id.
    pub link: String,
    /// Plain text, on one line.
    pub summary: String,
    /// The description as HTML.
    pub content_html: String,
    pub published: DateTime<Utc>,
    pub author_name: String,
    pub author_link: String,
    pub category: Option<&'static str>,
    pub nsfw: bool,
    pub language: Option<String>,
    pub duration: i32,
    pub views: i64,
    pub embed_url: String,
    /// (url, width, height): the preview, then the miniature.
    pub thumbnails: Vec<(String, u32, u32)>,
    pub files: Vec<FeedFile>,
}

pub struct FeedFile {
    pub url: String,
    pub torrent_url: Option<String>,
    pub mime_type: &'static str,
    pub size: i64,
    pub resolution: i32,
    pub fps: i32,
}

/// The description as safe HTML: escaped, paragraphs and line breaks kept.
fn description_html(text: Option<&str>) -> String {
    let Some(text) = text else {
        return String::new();
    };
    let mut out = String::with_capacity(text.len() + 16);
    for (i, paragraph) in text.split("\n\n").enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("<p>");
        for (j, line) in paragraph.lines().enumerate() {
            if j > 0 {
                out.push_str("<br>");
            }
            for c in line.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '"' => out.push_str("&quot;"),
                    c => out.push(c),
                }
            }
        }
        out.push_str("</p>");
    }
    out
}

fn mime_type(f: &VideoFile) -> &'static str {
    match (f.extension.trim_start_matches('.'), f.resolution) {
        ("webm", _) => "video/webm",
        ("ogv", _) => "video/ogg",
        ("mp3", _) => "audio/mpeg",
        ("m4a", _) | ("mp4", 0) => "audio/mp4",
        _ => "video/mp4",
    }
}

impl FeedItem {
    fn new(site: &Site, v: &Video, c: &ChannelFull, files: &[&VideoFile]) -> Self {
        let mut thumbnails = Vec::new();
        if let Some(p) = vurls::preview_path(v) {
            thumbnails.push((site.url(&p), PREVIEW_SIZE.0, PREVIEW_SIZE.1));
        }
        if let Some(p) = vurls::thumbnail_path(v) {
            thumbnails.push((site.url(&p), THUMBNAIL_SIZE.0, THUMBNAIL_SIZE.1));
        }
        Self {
            title: v.name.clone(),
            link: site.url(&view::watch_path(v)),
            summary: text::one_line(v.description.as_deref(), 250),
            content_html: description_html(v.description.as_deref()),
            published: v.published_at,
            author_name: c.channel.display_name.clone(),
            author_link: site.url(&view::channel_path(c)),
            category: v.category.and_then(video::category_label),
            nsfw: v.nsfw,
            language: v.language.clone(),
            duration: v.duration,
            views: v.views,
            embed_url: site.url(&view::embed_path(v)),
            thumbnails,
            files: files
                .iter()
                .filter_map(|f| {
                    Some(FeedFile {
                        url: vurls::file_url(&site.urls, v, f)?,
                        torrent_url: vurls::torrent_url(&site.urls, f),
                        mime_type: mime_type(f),
                        size: f.size,
                        resolution: f.resolution,
                        fps: f.fps,
                    })
                })
                .collect(),
        }
    }
}

impl Feed {
    pub fn new(
        site: &Site,
        source: &Source,
        raw_query: Option<&str>,
        videos: &[Video],
        channels: &HashMap<i64, ChannelFull>,
        files: &[VideoFile],
    ) -> Self {
        let (title, description, link) = match source {
            Source::Instance => (
                site.name.clone(),
                site.description.clone(),
                site.base.clone(),
            ),
            Source::Account(a) => (
                a.account.display_name.clone(),
                a.account.description.clone().unwrap_or_default(),
                site.url(&view::account_path(a)),
            ),
            Source::Channel(c) => (
                c.channel.display_name.clone(),
                c.channel.description.clone().unwrap_or_default(),
                site.url(&view::channel_path(c)),
            ),
        };
        let query = match raw_query {
            Some(q) if !q.is_empty() => format!("?{q}"),
            _ => String::new(),
        };
        let mut by_video: HashMap<i64, Vec<&VideoFile>> = HashMap::new();
        for f in files {
            if let Some(id) = f.video_id {
                by_video.entry(id).or_default().push(f);
            }
        }
        let items: Vec<FeedItem> = videos
            .iter()
            .filter_map(|v| {
                let c = channels.get(&v.channel_id)?;
                let files = by_video.get(&v.id).map(Vec::as_slice).unwrap_or(&[]);
                Some(FeedItem::new(site, v, c, files))
            })
            .collect();
        Self {
            title,
            description: text::one_line(Some(&description), usize::MAX),
            link,
            rss_url: site.url(&format!("/feeds/videos.xml{query}")),
            atom_url: site.url(&format!("/feeds/videos.atom{query}")),
            json_url: site.url(&format!("/feeds/videos.json{query}")),
            generator: format!("ferrotube - {}", site.base),
            updated: items
                .iter()
                .map(|i| i.published)
                .max()
                .unwrap_or_else(Utc::now),
            items,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_become_safe_html() {
        assert_eq!(
            description_html(Some("a <b>\nc\n\nd & e")),
            "<p>a &lt;b&gt;<br>c</p>\n<p>d &amp; e</p>"
        );
        assert_eq!(description_html(None), "");
    }
}
