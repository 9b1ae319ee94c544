//! Rendered pages kept for as long as what they show is unchanged: the home and watch pages
//! are read far more often than videos change. An entry is valid for one video generation (a
//! counter that a trigger bumps on every change to videos and tags, see the videos migration)
//! and at most [`TTL`], which bounds how long a renamed channel or account can show its old
//! name.

use std::time::Duration;

use bytes::Bytes;

const TTL: Duration = Duration::from_secs(30);
const MAX_PAGES: u64 = 10_000;

pub struct PageCache {
    pages: moka::sync::Cache<String, (i64, Bytes)>,
}

impl Default for PageCache {
    fn default() -> Self {
        Self {
            pages: moka::sync::Cache::builder()
                .max_capacity(MAX_PAGES)
                .time_to_live(TTL)
                .build(),
        }
    }
}

impl PageCache {
    /// The page rendered at `generation`, if it is still the current one.
    pub fn get(&self, key: &str, generation: i64) -> Option<Bytes> {
        self.pages
            .get(key)
            .filter(|(g, _)| *g == generation)
            .map(|(_, body)| body)
    }

    pub fn put(&self, key: String, generation: i64, body: Bytes) {
        self.pages.insert(key, (generation, body));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_lives_for_its_generation() {
        let cache = PageCache::default();
        cache.put("home|1".into(), 7, Bytes::from_static(b"<p>"));
        assert_eq!(cache.get("home|1", 7).as_deref(), Some(&b"<p>"[..]));
        assert!(cache.get("home|1", 8).is_none());
        assert!(cache.get("home|2", 7).is_none());
    }
}
