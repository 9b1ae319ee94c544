//! The `<head>` of a page: title, description and what link previews read (OpenGraph, the
//! Twitter card, oEmbed and ActivityPub alternates, canonical URL, robots).

/// Width and height of the embed that previews and oEmbed advertise (PeerTube's 560x315).
pub const EMBED_SIZE: (u32, u32) = (560, 315);

pub struct Head {
    /// `<title>`: "{page} - {instance}", or the instance name alone.
    pub title: String,
    pub description: String,
    pub canonical: Option<String>,
    /// Remote and unlisted content is not for search engines.
    pub noindex: bool,
    /// `<meta property=… content=…>` (OpenGraph), in order.
    pub properties: Vec<(&'static str, String)>,
    /// `<meta name=… content=…>` (Twitter card), in order.
    pub names: Vec<(&'static str, String)>,
    pub alternates: Vec<Alternate>,
}

/// `<link rel="alternate" type=… href=… title=…>`
pub struct Alternate {
    pub media_type: &'static str,
    pub href: String,
    pub title: String,
}

impl Head {
    pub fn new(instance: &str, page_title: Option<&str>, description: &str) -> Self {
        Self {
            title: match page_title {
                Some(t) => format!("{t} - {instance}"),
                None => instance.to_string(),
            },
            description: description.to_string(),
            canonical: None,
            noindex: false,
            properties: Vec::new(),
            names: Vec::new(),
            alternates: Vec::new(),
        }
    }

    pub fn alternate(&mut self, media_type: &'static str, href: String, title: &str) {
        self.alternates.push(Alternate {
            media_type,
            href,
            title: title.to_string(),
        });
    }
}
