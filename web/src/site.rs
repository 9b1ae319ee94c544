//! What every page shares, computed once at start from the configuration.

use ferrotube_federation::config::Config;
use ferrotube_federation::urls::InstanceUrls;

use crate::assets::PlayerAssets;
use crate::cache::PageCache;

pub struct Site {
    /// `instance.name`
    pub name: String,
    /// `instance.short_description`, the description of pages that have none of their own.
    pub description: String,
    /// `scheme://host[:port]`
    pub base: String,
    pub urls: InstanceUrls,
    /// What `wss://…/tracker/socket` trackers the player announces to (empty: no P2P).
    pub tracker_urls: Vec<String>,
    /// `webrtc.stun_servers`
    pub stun_servers: Vec<String>,
    /// `feeds.videos.count`
    pub feed_count: i64,
    /// The instance's NSFW policy hides NSFW videos from anonymous lists (`do_not_list`).
    pub hide_nsfw: bool,
    /// `None` when the bundle is missing: pages still play, with the browser's `<video>`.
    pub assets: Option<PlayerAssets>,
    /// Rendered home and watch pages.
    pub pages: PageCache,
}

impl Site {
    pub fn new(config: &Config, urls: &InstanceUrls, assets: Option<PlayerAssets>) -> Self {
        Self {
            name: config.instance.name.clone(),
            description: config.instance.short_description.clone(),
            base: urls.base.clone(),
            urls: urls.clone(),
            tracker_urls: if config.tracker.enabled {
                vec![urls.tracker_ws.clone()]
            } else {
                Vec::new()
            },
            stun_servers: config.webrtc.stun_servers.clone(),
            feed_count: config.feeds.videos.count,
            hide_nsfw: config.instance.default_nsfw_policy == "do_not_list",
            assets,
            pages: PageCache::default(),
        }
    }

    /// The NSFW filter of anonymous lists: `Some(false)` hides NSFW videos.
    pub fn nsfw_filter(&self) -> Option<bool> {
        self.hide_nsfw.then_some(false)
    }

    pub fn url(&self, path: &str) -> String {
        let mut s = String::with_capacity(self.base.len() + path.len());
        s.push_str(&self.base);
        s.push_str(path);
        s
    }
}
