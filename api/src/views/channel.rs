//! The `VideoChannel` object.

use ferrotube_federation::models::channel::ChannelFull;
use ferrotube_federation::time::iso;
use ferrotube_federation::urls::InstanceUrls;
use serde_json::{Value, json};

use super::account::{ActorImage, account_json, host};

/// Without `ownerAccount`, as listed inside a user.
pub fn channel_json_short(urls: &InstanceUrls, c: &ChannelFull) -> Value {
    json!({
        "url": c.actor.url,
        "name": c.actor.preferred_username,
        "host": host(urls, c.server.as_ref()),
        "avatars": ActorImage::list(&c.images.avatars),
        "id": c.channel.id,
        "hostRedundancyAllowed": c.server.as_ref().is_some_and(|s| s.redundancy_allowed),
        "followingCount": c.actor.following_count,
        "followersCount": c.actor.followers_count,
        "createdAt": iso(&c.channel.created_at),
        "banners": ActorImage::list(&c.images.banners),
        "displayName": c.channel.display_name,
        "description": c.channel.description,
        "support": c.channel.support,
        "isLocal": c.is_local(),
        "updatedAt": iso(&c.channel.updated_at),
    })
}

pub fn channel_json(urls: &InstanceUrls, c: &ChannelFull) -> Value {
    let mut v = channel_json_short(urls, c);
    if let Some(map) = v.as_object_mut() {
        map.insert("ownerAccount".into(), account_json(urls, &c.owner));
    }
    v
}
