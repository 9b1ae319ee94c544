//! OrderedCollection and its pages, paged with `?page=N` (and `&size=M`) as PeerTube does.

use serde::Serialize;
use serde_json::Value;

/// Items per page when the client does not say; PeerTube's `COLLECTION_ITEMS_PER_PAGE`.
pub const DEFAULT_PAGE_SIZE: i64 = 10;
pub const MAX_PAGE_SIZE: i64 = 50;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderedCollection {
    #[serde(rename = "@context")]
    pub context: Value,
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub total_items: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderedCollectionPage<T: Serialize> {
    #[serde(rename = "@context")]
    pub context: Value,
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    pub part_of: String,
    pub ordered_items: Vec<T>,
    pub total_items: i64,
}

impl OrderedCollection {
    pub fn new(id: String, total_items: i64) -> Self {
        Self {
            context: super::context::base(),
            first: (total_items > 0).then(|| format!("{id}?page=1")),
            id,
            kind: "OrderedCollection",
            total_items,
        }
    }
}

impl<T: Serialize> OrderedCollectionPage<T> {
    pub fn new(base: String, page: i64, size: i64, total_items: i64, items: Vec<T>) -> Self {
        Self {
            context: super::context::base(),
            id: format!("{base}?page={page}"),
            kind: "OrderedCollectionPage",
            prev: (page > 1).then(|| format!("{base}?page={}", page - 1)),
            next: (total_items > page * size).then(|| format!("{base}?page={}", page + 1)),
            part_of: base,
            ordered_items: items,
            total_items,
        }
    }
}
