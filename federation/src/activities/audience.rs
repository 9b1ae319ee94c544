//! The audiences PeerTube gives what it sends (facts c, "Activities PT sends").

use crate::FederationError;
use crate::bootstrap::SERVER_ACTOR_NAME;
use crate::models::enums::VideoPrivacy;
use crate::models::video::VideoFull;
use crate::protocol::{Audience, public, url};
use crate::urls::InstanceUrls;

/// P: to Public, cc the sender's followers.
pub fn public_and_followers(followers: &str) -> Result<(Audience, Audience), FederationError> {
    Ok((vec![public()], vec![url(followers)?]))
}

/// The owning account's followers collection.
pub fn account_followers(full: &VideoFull) -> String {
    let account = &full.channel.owner.actor;
    account
        .followers_url
        .clone()
        .unwrap_or_else(|| format!("{}/followers", account.url))
}

/// P for a public video, U (empty) for an unlisted one.
pub fn of_video(full: &VideoFull) -> Result<(Audience, Audience), FederationError> {
    if full.video.privacy == VideoPrivacy::Public {
        public_and_followers(&account_followers(full))
    } else {
        Ok((Vec::new(), Vec::new()))
    }
}

/// Followers collections of the actors involved in a video: the sharers (server actor and
/// channel) and the owning account.
pub fn involved_followers(urls: &InstanceUrls, full: &VideoFull) -> Vec<String> {
    let mut out = vec![format!("{}/followers", urls.account(SERVER_ACTOR_NAME))];
    for actor in [&full.channel.actor, &full.channel.owner.actor] {
        if let Some(f) = &actor.followers_url {
            out.push(f.clone());
        }
    }
    out
}

/// F: to Public and the followers of every involved actor, cc nobody.
pub fn involved(urls: &InstanceUrls, full: &VideoFull) -> Result<Audience, FederationError> {
    let mut to = vec![public()];
    for f in involved_followers(urls, full) {
        to.push(url(&f)?);
    }
    Ok(to)
}
