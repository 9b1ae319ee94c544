//! ActivityPub and discovery documents as serde types, one file per object kind. The same types
//! are used to send and to receive: field names and shapes follow what PeerTube emits (see
//! `shared/reference/live-captures/`), PeerTube's extra fields are typed, and unknown fields are
//! ignored on input. Activities live in `crate::activities`, one folder each.
//!
//! From `activitypub_federation` we use the type markers (`kinds`), the public key shape and the
//! `deserialize_skip_error` helper. Its `deserialize_one_or_many` does not fit `to`/`cc`: it turns
//! `"as:Public"` into the Public URI, where PeerTube drops such an activity as invalid.

pub mod actor;
pub mod chapters;
pub mod collection;
pub mod context;
pub mod lenient;
pub mod link;
pub mod nodeinfo;
pub mod note;
pub mod tombstone;
pub mod video;
pub mod webfinger;

use std::fmt;
use std::ops::Deref;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use url::Url;

pub use context::{Context, PUBLIC, WithContext};

/// An http(s) URL with a host: what PeerTube requires of ids, actors and audiences. Anything else
/// (`as:Public`, `urn:…`, a bare name) makes the document invalid.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct HttpUrl(Url);

#[derive(Debug, thiserror::Error)]
#[error("not an http(s) URL: {0}")]
pub struct NotHttpUrl(pub String);

impl HttpUrl {
    pub fn parse(s: &str) -> Result<Self, NotHttpUrl> {
        match Url::parse(s) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(Self(u)),
            _ => Err(NotHttpUrl(s.to_string())),
        }
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// `hostname[:port]`, the port only when it is not the scheme's default: PeerTube's HOST.
    pub fn host_port(&self) -> String {
        crate::fetch::url_host(&self.0)
    }

    pub fn into_inner(self) -> Url {
        self.0
    }
}

impl<'de> Deserialize<'de> for HttpUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(D::Error::custom)
    }
}

impl Deref for HttpUrl {
    type Target = Url;
    fn deref(&self) -> &Url {
        &self.0
    }
}

impl fmt::Display for HttpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

impl PartialEq<str> for HttpUrl {
    fn eq(&self, other: &str) -> bool {
        self.0.as_str() == other
    }
}

impl PartialEq<String> for HttpUrl {
    fn eq(&self, other: &String) -> bool {
        self.0.as_str() == other
    }
}

/// A reference to another document: its URL, or the document embedded (only its `id` is kept,
/// as PeerTube re-fetches what it needs). Sent as the URL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ObjectRef(pub HttpUrl);

impl<'de> Deserialize<'de> for ObjectRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Shape {
            Url(String),
            Object { id: String },
        }
        let s = match Shape::deserialize(d)? {
            Shape::Url(s) | Shape::Object { id: s } => s,
        };
        HttpUrl::parse(&s).map(Self).map_err(D::Error::custom)
    }
}

impl Deref for ObjectRef {
    type Target = HttpUrl;
    fn deref(&self) -> &HttpUrl {
        &self.0
    }
}

impl From<HttpUrl> for ObjectRef {
    fn from(u: HttpUrl) -> Self {
        Self(u)
    }
}

/// `to` or `cc`: absent, or an array of http(s) URLs (PeerTube refuses a bare string).
pub type Audience = Vec<HttpUrl>;

/// The Public collection as an audience entry.
pub fn public() -> HttpUrl {
    match HttpUrl::parse(PUBLIC) {
        Ok(u) => u,
        Err(e) => unreachable!("{e}"),
    }
}

/// Our own URLs as typed ones. They are built from the configured base URL, so a failure is a
/// bug or a broken configuration, reported as an internal error.
pub fn url(s: &str) -> Result<HttpUrl, crate::FederationError> {
    HttpUrl::parse(s).map_err(|e| crate::FederationError::Internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Doc {
        #[serde(default)]
        to: Audience,
        object: ObjectRef,
    }

    #[test]
    fn audiences_and_references() {
        let ok: Result<Doc, _> = serde_json::from_str(
            r#"{"to":["https://www.w3.org/ns/activitystreams#Public"],"object":{"id":"http://a.example/v/1","type":"Video"}}"#,
        );
        assert!(
            ok.is_ok_and(|d| d.to == vec![public()] && d.object.as_str() == "http://a.example/v/1")
        );
        for bad in [
            r#"{"to":"https://www.w3.org/ns/activitystreams#Public","object":"http://a/b"}"#,
            r#"{"to":["as:Public"],"object":"http://a/b"}"#,
            r#"{"object":"urn:x:y"}"#,
        ] {
            assert!(serde_json::from_str::<Doc>(bad).is_err(), "{bad}");
        }
    }
}
