//! Videos: the vocabulary shared by the REST API and ActivityPub (PeerTube's enums and labels,
//! the short UUID form), a local video's life cycle (`lifecycle`) and its jobs (`jobs`).

pub mod access;
pub mod federate;
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

pub const PRIVACIES: &[(i16, &str)] = &[
    (1, "Public"),
    (2, "Unlisted"),
    (3, "Private"),
    (4, "Internal"),
    (5, "Password protected"),
];

pub const STATES: &[(i16, &str)] = &[
    (1, "Published"),
    (2, "To transcode"),
    (3, "To import"),
    (4, "Waiting for livestream"),
    (5, "Livestream ended"),
    (6, "To move to an external storage"),
    (7, "Transcoding failed"),
    (8, "External storage move failed"),
    (9, "To edit"),
    (10, "To move to file system"),
    (11, "File system move failed"),
];

pub const COMMENTS_POLICIES: &[(i16, &str)] =
    &[(1, "Enabled"), (2, "Disabled"), (3, "Requires approval")];
pub const COMMENTS_ENABLED: i16 = 1;
pub const COMMENTS_DISABLED: i16 = 2;
pub const COMMENTS_NEED_APPROVAL: i16 = 3;

pub mod privacy {
    pub const PUBLIC: i16 = 1;
    pub const UNLISTED: i16 = 2;
    pub const PRIVATE: i16 = 3;
    pub const INTERNAL: i16 = 4;
    pub const PASSWORD: i16 = 5;

    /// Public and unlisted files live in the public folder and carry a WebSeed; private,
    /// internal and password-protected ones do not (PeerTube's private directory).
    pub fn in_public_folder(privacy: i16) -> bool {
        privacy == PUBLIC || privacy == UNLISTED
    }
}

pub mod state {
    pub const PUBLISHED: i16 = 1;
    pub const TO_TRANSCODE: i16 = 2;
    pub const TRANSCODING_FAILED: i16 = 7;
}

fn label<K: PartialEq + Copy>(table: &[(K, &'static str)], key: K) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, l)| *l)
}

pub fn category_label(id: i32) -> Option<&'static str> {
    label(CATEGORIES, id)
}

pub fn licence_label(id: i32) -> Option<&'static str> {
    label(LICENCES, id)
}

pub fn privacy_label(id: i16) -> Option<&'static str> {
    label(PRIVACIES, id)
}

pub fn state_label(id: i16) -> Option<&'static str> {
    label(STATES, id)
}

pub fn comments_policy_label(id: i16) -> Option<&'static str> {
    label(COMMENTS_POLICIES, id)
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
