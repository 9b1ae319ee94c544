//! Links, images and the small typed values PeerTube puts inside objects.

use activitypub_federation::kinds::kind;
use activitypub_federation::kinds::link::LinkType;
use activitypub_federation::kinds::object::ImageType;
use serde::{Deserialize, Serialize};

use super::lenient::{opt_integer, vec_skip_invalid};

kind!(InfohashType, Infohash);
kind!(PropertyValueType, PropertyValue);
kind!(HashtagType, Hashtag);

/// A `Link` of a Video's `url` list: the watch page, a file, its metadata, torrent and magnet,
/// the HLS playlist (with its `tag` entries) or a tracker.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Link {
    #[serde(rename = "type")]
    pub kind: LinkType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "vec_skip_invalid"
    )]
    pub rel: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// Not always http(s): magnets and WebSocket trackers are links too.
    pub href: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_integer"
    )]
    pub height: Option<i32>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_integer"
    )]
    pub width: Option<i32>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_integer"
    )]
    pub size: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_integer"
    )]
    pub fps: Option<i32>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "vec_skip_invalid"
    )]
    pub attachment: Vec<PropertyValue>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "vec_skip_invalid"
    )]
    pub tag: Vec<LinkTag>,
}

impl Link {
    pub fn new(media_type: impl Into<String>, href: impl Into<String>) -> Self {
        Self {
            media_type: Some(media_type.into()),
            href: href.into(),
            ..Self::default()
        }
    }

    pub fn has_rel(&self, rel: &str) -> bool {
        self.rel.iter().any(|r| r == rel)
    }

    /// The values of the `PropertyValue` attachments named `name`.
    pub fn attachment_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> {
        self.attachment
            .iter()
            .filter(move |p| p.name == name)
            .map(|p| p.value.as_str())
    }
}

/// An entry of the HLS link's `tag` list: a P2P swarm id, or a link (segments hashes, files).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LinkTag {
    Infohash(Infohash),
    Link(Link),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Infohash {
    #[serde(rename = "type")]
    pub kind: InfohashType,
    pub name: String,
}

impl Infohash {
    pub fn new(hex: &str) -> Self {
        Self {
            kind: InfohashType::Infohash,
            name: hex.into(),
        }
    }
}

/// `{type: "PropertyValue", name, value}`, e.g. `ffprobe_codec_type: video`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PropertyValue {
    #[serde(rename = "type")]
    pub kind: PropertyValueType,
    pub name: String,
    pub value: String,
}

impl PropertyValue {
    pub fn new(name: &str, value: &str) -> Self {
        Self {
            kind: PropertyValueType::PropertyValue,
            name: name.into(),
            value: value.into(),
        }
    }
}

/// An image: video miniature and preview, actor avatar and banner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    #[serde(rename = "type")]
    pub kind: ImageType,
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_integer"
    )]
    pub width: Option<i32>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_integer"
    )]
    pub height: Option<i32>,
}

impl Image {
    pub fn jpeg(url: String, width: i32, height: i32) -> Self {
        Self {
            kind: ImageType::Image,
            url,
            media_type: Some("image/jpeg".into()),
            width: Some(width),
            height: Some(height),
        }
    }
}

/// `{type: "Hashtag", name}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hashtag {
    #[serde(rename = "type")]
    pub kind: HashtagType,
    pub name: String,
}

impl Hashtag {
    pub fn new(name: &str) -> Self {
        Self {
            kind: HashtagType::Hashtag,
            name: name.into(),
        }
    }
}
