//! An actor's outbox: Create(Video) for an account's own public videos, Announce(Video) for
//! what a channel, or the server actor, shares: as PeerTube lists them.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::{Value, json};

use crate::models::actor::Actor;
use crate::models::video::{Video, VideoFilters, VideoFull, VideoScope, Viewer};
use crate::protocol::context::PUBLIC;
use crate::protocol::video::video_object;
use crate::schema::{accounts, video_channels};
use crate::urls::InstanceUrls;

fn local_public() -> VideoFilters {
    VideoFilters {
        is_local: Some(true),
        ..VideoFilters::default()
    }
}

/// Total and one page of items (newest first).
pub async fn page(
    conn: &mut AsyncPgConnection,
    urls: &InstanceUrls,
    actor: &Actor,
    start: i64,
    count: i64,
) -> QueryResult<(i64, Vec<Value>)> {
    let scope = match actor.actor_type.as_str() {
        "Group" => {
            let id: i64 = video_channels::table
                .filter(video_channels::actor_id.eq(actor.id))
                .select(video_channels::id)
                .first(conn)
                .await?;
            VideoScope::Channel(id)
        }
        "Application" => VideoScope::All,
        _ => {
            let id: i64 = accounts::table
                .filter(accounts::actor_id.eq(actor.id))
                .select(accounts::id)
                .first(conn)
                .await?;
            VideoScope::Account(id)
        }
    };
    let filters = local_public();
    let (total, videos) = Video::list(
        conn,
        scope,
        Viewer::Anonymous,
        &filters,
        "-publishedAt",
        start,
        count,
    )
    .await?;
    let mut items = Vec::with_capacity(videos.len());
    for video in videos {
        let Some(full) = VideoFull::load(conn, video).await? else {
            continue;
        };
        let id = crate::video::urls::watch_url(urls, &full.video);
        let followers = full.channel.owner.actor.followers_url.clone();
        if matches!(scope, VideoScope::Account(_)) {
            let mut object = video_object(urls, &full);
            if let Some(map) = object.as_object_mut() {
                map.remove("@context");
            }
            items.push(json!({
                "to": [PUBLIC], "cc": [followers], "type": "Create",
                "id": format!("{id}/activity"), "actor": actor.url, "object": object,
            }));
        } else {
            items.push(json!({
                "to": [PUBLIC], "cc": [followers], "type": "Announce",
                "id": format!("{id}/announces/{}", actor.id), "actor": actor.url, "object": id,
            }));
        }
    }
    Ok((total, items))
}
