//! An actor's outbox: Create(Video) for an account's own public videos, Announce(Video) for
//! what a channel, or the server actor, shares: as PeerTube lists them.

use diesel::result::Error::NotFound;
use diesel_async::AsyncPgConnection;
use serde::Serialize;

use crate::activities::announce::Announce;
use crate::activities::create::Create;
use crate::error::FederationError;
use crate::models::account::Account;
use crate::models::actor::{Actor, ActorType};
use crate::models::channel::VideoChannel;
use crate::models::video::{Video, VideoFilters, VideoFull, VideoScope, Viewer};
use crate::protocol::{public, url};
use crate::urls::InstanceUrls;

/// An outbox item: the account's own videos as Create, what others share as Announce.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum OutboxItem {
    Create(Box<Create>),
    Announce(Box<Announce>),
}

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
) -> Result<(i64, Vec<OutboxItem>), FederationError> {
    let scope = match actor.actor_type {
        ActorType::Group => {
            let id = VideoChannel::id_by_actor(conn, actor.id).await?;
            VideoScope::Channel(id.ok_or(NotFound)?)
        }
        ActorType::Application => VideoScope::All,
        _ => {
            let account = Account::find_by_actor(conn, actor.id).await?;
            VideoScope::Account(account.ok_or(NotFound)?.id)
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
        // Outbox items carry P (to Public, cc the account's followers) whatever the actor.
        let followers = full
            .channel
            .owner
            .actor
            .followers_url
            .as_deref()
            .map(url)
            .transpose()?;
        let (to, cc) = (vec![public()], followers.into_iter().collect());
        if matches!(scope, VideoScope::Account(_)) {
            let mut create = Create::video(urls, &full)?;
            create.to = to;
            create.cc = cc;
            items.push(OutboxItem::Create(Box::new(create)));
        } else {
            let mut announce = Announce::video(urls, &full, &actor.url, actor.id)?;
            announce.to = to;
            announce.cc = cc;
            items.push(OutboxItem::Announce(Box::new(announce)));
        }
    }
    Ok((total, items))
}
