//! Who gets a comment's Create or Delete, as PeerTube sends them: the authors of the comments it
//! answers, the commenter's followers, and the followers of everyone involved in the video when
//! the video is ours, or the video's origin when it is not.

use diesel_async::AsyncPgConnection;

use super::object::Thread;
use crate::activities::audience::involved_followers;
use crate::bootstrap::SERVER_ACTOR_NAME;
use crate::error::FederationError;
use crate::models::actor::Actor;
use crate::models::follow::ActorFollow;
use crate::models::video::VideoFull;
use crate::protocol::{Audience, public, url};
use crate::urls::InstanceUrls;

/// The audience and the inboxes of one comment activity.
pub struct Recipients {
    pub to: Audience,
    pub cc: Audience,
    pub inboxes: Vec<String>,
}

fn inbox_of(actor: &Actor) -> String {
    actor
        .shared_inbox_url
        .clone()
        .unwrap_or_else(|| actor.inbox_url.clone())
}

pub async fn recipients(
    conn: &mut AsyncPgConnection,
    urls: &InstanceUrls,
    thread: &Thread,
    by: &Actor,
) -> Result<Recipients, FederationError> {
    let full = VideoFull::load(conn, thread.video.clone())
        .await?
        .ok_or_else(|| FederationError::NotFound("the comment's video is gone".into()))?;
    let video_account = &full.channel.owner.actor;
    let mut cc: Vec<String> = Vec::new();
    let mut inboxes: Vec<String> = Vec::new();
    if !full.video.is_local {
        cc.push(video_account.url.clone());
        inboxes.push(inbox_of(video_account));
    }
    if let Some(f) = &by.followers_url {
        cc.push(f.clone());
    }
    inboxes.extend(ActorFollow::followers_shared_inboxes(conn, &[by.id]).await?);
    for parent in thread.parent_authors() {
        if parent.actor.id == by.id {
            continue;
        }
        cc.push(parent.actor.url.clone());
        if !parent.actor.is_local() {
            inboxes.push(inbox_of(&parent.actor));
        }
    }
    if full.video.is_local {
        cc.extend(involved_followers(urls, &full));
        let server = Actor::find_local_by_name(conn, SERVER_ACTOR_NAME)
            .await?
            .ok_or_else(|| FederationError::Internal("no server actor".into()))?;
        let involved = [server.id, full.channel.actor.id, video_account.id];
        inboxes.extend(ActorFollow::followers_shared_inboxes(conn, &involved).await?);
    }
    cc.sort();
    cc.dedup();
    let cc = cc.iter().map(|u| url(u)).collect::<Result<_, _>>()?;
    Ok(Recipients {
        to: vec![public()],
        cc,
        inboxes,
    })
}
