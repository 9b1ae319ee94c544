//! The `Account` object.

use ferrotube_federation::models::account::AccountFull;
use ferrotube_federation::time::iso;
use ferrotube_federation::urls::InstanceUrls;
use serde_json::{Value, json};

pub fn host(
    urls: &InstanceUrls,
    server: Option<&ferrotube_federation::models::server::Server>,
) -> String {
    server.map_or_else(|| urls.host.clone(), |s| s.host.clone())
}

pub fn account_json(urls: &InstanceUrls, a: &AccountFull) -> Value {
    let mut v = json!({
        "url": a.actor.url,
        "name": a.actor.preferred_username,
        "host": host(urls, a.server.as_ref()),
        "avatars": [],
        "id": a.account.id,
        "hostRedundancyAllowed": a.server.as_ref().is_some_and(|s| s.redundancy_allowed),
        "followingCount": a.actor.following_count,
        "followersCount": a.actor.followers_count,
        "createdAt": iso(&a.account.created_at),
        "displayName": a.account.display_name,
        "description": a.account.description,
        "updatedAt": iso(&a.account.updated_at),
    });
    if let (Some(user_id), Some(map)) = (a.account.user_id, v.as_object_mut()) {
        map.insert("userId".into(), json!(user_id));
    }
    v
}

/// The short form used inside videos and channels' summaries.
pub fn account_summary(urls: &InstanceUrls, a: &AccountFull) -> Value {
    json!({
        "id": a.account.id,
        "name": a.actor.preferred_username,
        "displayName": a.account.display_name,
        "url": a.actor.url,
        "host": host(urls, a.server.as_ref()),
        "avatars": [],
    })
}
