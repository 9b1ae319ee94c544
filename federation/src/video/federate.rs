//! The activities a local video sends, as PeerTube sends them: Create by the owning account,
//! Announce by the server actor and by the channel, Update, and Delete (facts c, "Activities PT
//! sends"), with their audiences.

use serde_json::{Value, json};

use crate::models::video::VideoFull;
use crate::protocol::context::{self, PUBLIC};
use crate::protocol::video::video_object;
use crate::time::iso;
use crate::urls::InstanceUrls;
use crate::video::{privacy, urls as vurls};

/// Followers collections of the actors involved in a video: the sharers (server actor and
/// channel) and the owning account.
pub fn involved_followers(urls: &InstanceUrls, full: &VideoFull) -> Vec<String> {
    let mut out = vec![format!(
        "{}/followers",
        urls.account(crate::bootstrap::SERVER_ACTOR_NAME)
    )];
    for actor in [&full.channel.actor, &full.channel.owner.actor] {
        if let Some(f) = &actor.followers_url {
            out.push(f.clone());
        }
    }
    out
}

fn account_followers(full: &VideoFull) -> String {
    let account = &full.channel.owner.actor;
    account
        .followers_url
        .clone()
        .unwrap_or_else(|| format!("{}/followers", account.url))
}

/// P for public videos, U (empty) for unlisted ones.
fn audience(full: &VideoFull) -> (Value, Value) {
    if full.video.privacy == privacy::PUBLIC {
        (json!([PUBLIC]), json!([account_followers(full)]))
    } else {
        (json!([]), json!([]))
    }
}

fn embedded(urls: &InstanceUrls, full: &VideoFull) -> Value {
    let mut object = video_object(urls, full);
    if let Some(map) = object.as_object_mut() {
        map.remove("@context");
    }
    object
}

pub fn create(urls: &InstanceUrls, full: &VideoFull) -> Value {
    let id = vurls::watch_url(urls, &full.video);
    let (to, cc) = audience(full);
    json!({
        "@context": context::video(),
        "to": to, "cc": cc, "type": "Create",
        "id": format!("{id}/activity"),
        "actor": full.channel.owner.actor.url,
        "object": embedded(urls, full),
    })
}

/// An Announce of the video by `announcer` (the server actor or the channel), to F.
pub fn announce(
    urls: &InstanceUrls,
    full: &VideoFull,
    announcer_url: &str,
    announcer_id: i64,
) -> Value {
    let id = vurls::watch_url(urls, &full.video);
    let mut to = vec![PUBLIC.to_string()];
    to.extend(involved_followers(urls, full));
    json!({
        "@context": context::base(),
        "type": "Announce",
        "id": format!("{id}/announces/{announcer_id}"),
        "actor": announcer_url,
        "object": id,
        "to": to,
        "cc": [],
    })
}

pub fn update(urls: &InstanceUrls, full: &VideoFull) -> Value {
    let id = vurls::watch_url(urls, &full.video);
    let (to, cc) = audience(full);
    json!({
        "@context": context::video(),
        "to": to, "cc": cc, "type": "Update",
        "id": format!("{id}/updates/{}", iso(&full.video.updated_at)),
        "actor": full.channel.owner.actor.url,
        "object": embedded(urls, full),
    })
}

/// Delete of a video, to F. A withdrawal (the video turned private) gets an id of its own,
/// so that receivers that remember activity ids still process a later, final Delete.
pub fn delete(urls: &InstanceUrls, full: &VideoFull, withdrawal: bool) -> Value {
    let id = vurls::watch_url(urls, &full.video);
    let activity_id = if withdrawal {
        format!("{id}/delete/{}", iso(&full.video.updated_at))
    } else {
        format!("{id}/delete")
    };
    let mut to = vec![PUBLIC.to_string()];
    to.extend(involved_followers(urls, full));
    json!({
        "@context": context::base(),
        "type": "Delete",
        "id": activity_id,
        "actor": full.channel.owner.actor.url,
        "object": id,
        "to": to,
        "cc": [],
    })
}

/// Whether other instances may know the video: public (or unlisted) and published.
pub fn is_federable(full: &VideoFull) -> bool {
    let v = &full.video;
    privacy::in_public_folder(v.privacy) && v.state == crate::video::state::PUBLISHED && v.is_local
}

/// Queues the Delete of a federated video to every involved follower, inside the caller's
/// transaction (the video row may be gone right after).
pub async fn send_delete(
    conn: &mut diesel_async::AsyncPgConnection,
    urls: &InstanceUrls,
    full: &VideoFull,
    withdrawal: bool,
) -> Result<(), crate::FederationError> {
    let server =
        crate::models::actor::Actor::find_local_by_name(conn, crate::bootstrap::SERVER_ACTOR_NAME)
            .await?
            .ok_or_else(|| crate::FederationError::Internal("no server actor".into()))?;
    let account = &full.channel.owner.actor;
    let inboxes = crate::outbox::followers_shared_inboxes(
        conn,
        &[server.id, full.channel.actor.id, account.id],
    )
    .await?;
    crate::outbox::deliver(conn, &delete(urls, full, withdrawal), account.id, inboxes).await
}
