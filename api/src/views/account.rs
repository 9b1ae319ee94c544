//! The `Account` object and its short form.

use chrono::{DateTime, Utc};
use ferrotube_federation::models::account::AccountFull;
use ferrotube_federation::models::actor_image;
use ferrotube_federation::urls::InstanceUrls;
use serde::Serialize;
use serde_json::Value;

pub fn host(
    urls: &InstanceUrls,
    server: Option<&ferrotube_federation::models::server::Server>,
) -> String {
    server.map_or_else(|| urls.host.clone(), |s| s.host.clone())
}

/// An avatar or banner as PeerTube lists them: one entry per size, the path on our server
/// (remote images too, which we serve lazily).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActorImage {
    /// Null for a remote image whose document gave no width (Mastodon's).
    pub width: Option<i32>,
    pub path: String,
    #[serde(serialize_with = "ferrotube_federation::time::serialize")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "ferrotube_federation::time::serialize")]
    pub updated_at: DateTime<Utc>,
}

impl ActorImage {
    pub fn new(image: &actor_image::ActorImage) -> Self {
        Self {
            width: image.width,
            path: image.static_path(),
            created_at: image.created_at,
            updated_at: image.updated_at,
        }
    }

    pub fn list(images: &[actor_image::ActorImage]) -> Vec<Self> {
        images.iter().map(Self::new).collect()
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    pub url: String,
    pub name: String,
    pub host: String,
    pub avatars: Vec<ActorImage>,
    pub id: i64,
    pub host_redundancy_allowed: bool,
    pub following_count: i32,
    pub followers_count: i32,
    #[serde(serialize_with = "ferrotube_federation::time::serialize")]
    pub created_at: DateTime<Utc>,
    pub display_name: String,
    pub description: Option<String>,
    #[serde(serialize_with = "ferrotube_federation::time::serialize")]
    pub updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<i64>,
}

impl AccountView {
    pub fn new(urls: &InstanceUrls, a: &AccountFull) -> Self {
        Self {
            url: a.actor.url.clone(),
            name: a.actor.preferred_username.clone(),
            host: host(urls, a.server.as_ref()),
            avatars: ActorImage::list(&a.images.avatars),
            id: a.account.id,
            host_redundancy_allowed: a.server.as_ref().is_some_and(|s| s.redundancy_allowed),
            following_count: a.actor.following_count,
            followers_count: a.actor.followers_count,
            created_at: a.account.created_at,
            display_name: a.account.display_name.clone(),
            description: a.account.description.clone(),
            updated_at: a.account.updated_at,
            user_id: a.account.user_id,
        }
    }
}

/// The short form used inside videos and channels' summaries.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountSummary {
    pub id: i64,
    pub name: String,
    pub display_name: String,
    pub url: String,
    pub host: String,
    pub avatars: Vec<ActorImage>,
}

impl AccountSummary {
    pub fn new(urls: &InstanceUrls, a: &AccountFull) -> Self {
        Self {
            id: a.account.id,
            name: a.actor.preferred_username.clone(),
            display_name: a.account.display_name.clone(),
            url: a.actor.url.clone(),
            host: host(urls, a.server.as_ref()),
            avatars: ActorImage::list(&a.images.avatars),
        }
    }
}

/// The account as a JSON value, for the views still built as maps.
pub fn account_json(urls: &InstanceUrls, a: &AccountFull) -> Value {
    serde_json::to_value(AccountView::new(urls, a)).unwrap_or(Value::Null)
}

pub fn account_summary(urls: &InstanceUrls, a: &AccountFull) -> Value {
    serde_json::to_value(AccountSummary::new(urls, a)).unwrap_or(Value::Null)
}
