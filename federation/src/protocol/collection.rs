//! OrderedCollection and its pages, paged with `?page=N` (and `&size=M`) as PeerTube does. Served
//! with the base context; received pages (outbox crawls) keep their items typed by the caller.

use activitypub_federation::kinds::collection::{OrderedCollectionPageType, OrderedCollectionType};
use activitypub_federation::protocol::helpers::deserialize_skip_error;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::lenient::opt_integer;

/// Items per page when the client does not say; PeerTube's `COLLECTION_ITEMS_PER_PAGE`.
pub const DEFAULT_PAGE_SIZE: i64 = 10;
pub const MAX_PAGE_SIZE: i64 = 50;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderedCollection {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: OrderedCollectionType,
    #[serde(default, deserialize_with = "opt_integer")]
    pub total_items: Option<i64>,
    /// The first page's URL (absent when the collection is empty).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub first: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderedCollectionPage<T> {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: OrderedCollectionPageType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[serde(default)]
    pub part_of: Option<String>,
    #[serde(default = "Vec::new")]
    pub ordered_items: Vec<T>,
    #[serde(default, deserialize_with = "opt_integer")]
    pub total_items: Option<i64>,
}

impl OrderedCollection {
    pub fn new(id: String, total_items: i64) -> Self {
        Self {
            first: (total_items > 0).then(|| format!("{id}?page=1")),
            id,
            kind: OrderedCollectionType::OrderedCollection,
            total_items: Some(total_items),
        }
    }
}

impl<T> OrderedCollectionPage<T> {
    pub fn new(base: String, page: i64, size: i64, total_items: i64, items: Vec<T>) -> Self {
        Self {
            id: format!("{base}?page={page}"),
            kind: OrderedCollectionPageType::OrderedCollectionPage,
            prev: (page > 1).then(|| format!("{base}?page={}", page - 1)),
            next: (total_items > page * size).then(|| format!("{base}?page={}", page + 1)),
            part_of: Some(base),
            ordered_items: items,
            total_items: Some(total_items),
        }
    }
}

/// A collection or one of its pages as a crawl reads it (PeerTube's, Mastodon's): `first` and
/// `next` are a page's URL or the page itself; invalid items are dropped, as PeerTube drops them.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "T: DeserializeOwned"))]
pub struct CrawledPage<T> {
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub first: Option<PageRef<T>>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub next: Option<PageRef<T>>,
    #[serde(default, deserialize_with = "super::lenient::vec_skip_invalid")]
    pub ordered_items: Vec<T>,
    /// A plain Collection's items.
    #[serde(default, deserialize_with = "super::lenient::vec_skip_invalid")]
    pub items: Vec<T>,
}

/// Where the next page is: its URL, or the page inline.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged, bound(deserialize = "T: DeserializeOwned"))]
pub enum PageRef<T> {
    Url(super::HttpUrl),
    Page(Box<CrawledPage<T>>),
}
