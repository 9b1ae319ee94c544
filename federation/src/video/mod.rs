//! Videos: the vocabulary shared by the REST API and ActivityPub (PeerTube's categories,
//! licences and languages with their labels, the short UUID form; privacy, state and comments
//! policy are `models::enums`), a local video's life cycle (`lifecycle`) and its jobs (`jobs`).

pub mod access;
pub mod federate;
pub mod file_tokens;
pub mod infohashes;
pub mod ingest;
pub mod jobs;
pub mod languages;
pub mod lazy;
pub mod lifecycle;
pub mod magnet;
pub mod meta;
pub mod rates;
pub mod remote;
pub mod remote_playlist;
pub mod remote_rates;
pub mod short_uuid;
pub mod storage;
pub mod urls;
pub mod views;

pub const CATEGORIES: &[(i32, &str)] = &[
    (1, "Music"),
    (2, "Films"),
    (3, "Vehicles"),
    (4, "Art"),
    (5, "Sports"),
    (6, "Travels"),
    (7, "Gaming"),
    (8, "People"),
    (9, "Comedy"),
    (10, "Entertainment"),
    (11, "News & Politics"),
    (12, "How To"),
    (13, "Education"),
    (14, "Activism"),
    (15, "Science & Technology"),
    (16, "Animals"),
    (17, "Kids"),
    (18, "Food"),
];

pub const LICENCES: &[(i32, &str)] = &[
    (1, "Attribution"),
    (2, "Attribution - Share Alike"),
    (3, "Attribution - No Derivatives"),
    (4, "Attribution - Non Commercial"),
    (5, "Attribution - Non Commercial - Share Alike"),
    (6, "Attribution - Non Commercial - No Derivatives"),
    (7, "Public Domain Dedication"),
];

fn label<K: PartialEq + Copy>(table: &[(K, &'static str)], key: K) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, l)| *l)
}

pub fn category_label(id: i32) -> Option<&'static str> {
    label(CATEGORIES, id)
}

pub fn licence_label(id: i32) -> Option<&'static str> {
    label(LICENCES, id)
}

pub fn language_label(code: &str) -> Option<&'static str> {
    languages::LANGUAGES
        .binary_search_by(|(k, _)| k.cmp(&code))
        .ok()
        .map(|i| languages::LANGUAGES[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(category_label(15), Some("Science & Technology"));
        assert_eq!(licence_label(1), Some("Attribution"));
        assert_eq!(language_label("en"), Some("English"));
        assert_eq!(language_label("zh-Hant"), Some("Traditional Chinese"));
        assert_eq!(language_label("xx"), None);
        assert!(languages::LANGUAGES.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
