//! Update(Video) of our videos, Update(Person|Group) of our profiles, and receiving Update: an actor may only update itself; a video
//! is taken from the embedded object (an unknown one is fetched).

use chrono::{DateTime, Utc};

use super::{Update, UpdateObject};
use crate::activities::audience;
use crate::activities::{InboxContext, ReceiveActivity, SendActivity};
use crate::error::FederationError;
use crate::models::video::VideoFull;
use crate::protocol::actor::ActorObject;
use crate::protocol::video::VideoObject;
use crate::protocol::{Context, HttpUrl, url};
use crate::remote::actor as remote_actor;
use crate::time::iso;
use crate::urls::InstanceUrls;
use crate::video::{ingest, urls as vurls};

impl Update {
    /// Update(Video) by the owning account, audience P (U when unlisted).
    pub fn video(urls: &InstanceUrls, full: &VideoFull) -> Result<Self, FederationError> {
        let id = vurls::watch_url(urls, &full.video);
        let (to, cc) = audience::of_video(full)?;
        Ok(Self {
            to,
            cc,
            kind: Default::default(),
            id: url(&format!("{id}/updates/{}", iso(&full.video.updated_at)))?,
            actor: url(&full.channel.owner.actor.url)?.into(),
            object: UpdateObject::Video(Box::new(VideoObject::local(urls, full)?)),
        })
    }
}

impl Update {
    /// Update(Person|Group) of one of our actors, id `{actor}/updates/{updatedAt}`, audience P
    /// (to Public, cc its followers), as PeerTube's `sendUpdateActor` builds it.
    pub fn actor(object: ActorObject, updated_at: &DateTime<Utc>) -> Result<Self, FederationError> {
        let actor = object.id.clone();
        let followers = object
            .followers
            .as_ref()
            .map_or_else(|| format!("{actor}/followers"), ToString::to_string);
        let (to, cc) = audience::public_and_followers(&followers)?;
        Ok(Self {
            to,
            cc,
            kind: Default::default(),
            id: url(&format!("{actor}/updates/{}", iso(updated_at)))?,
            actor: actor.into(),
            object: UpdateObject::Actor(Box::new(object)),
        })
    }
}

impl SendActivity for Update {
    fn context(&self) -> Context {
        match self.object {
            UpdateObject::Video(_) => Context::Video,
            UpdateObject::Actor(_) => Context::Actor,
            UpdateObject::Note(_) => Context::Note,
            UpdateObject::Unknown(_) => Context::Base,
        }
    }
}

impl ReceiveActivity for Update {
    fn id(&self) -> &HttpUrl {
        &self.id
    }

    fn actor(&self) -> &HttpUrl {
        &self.actor
    }

    async fn verify(&self, cx: &InboxContext) -> Result<(), FederationError> {
        match &self.object {
            UpdateObject::Actor(actor) if actor.id != cx.signer.url => Err(
                FederationError::BadRequest("an actor can only update itself".into()),
            ),
            _ => Ok(()),
        }
    }

    async fn receive(self, cx: &InboxContext) -> Result<(), FederationError> {
        match self.object {
            UpdateObject::Actor(actor) => {
                let host = url(&cx.signer.url)?.host_port();
                let remote = remote_actor::RemoteActor::from_object(*actor, &host)?;
                remote_actor::store(&cx.state, &remote).await?;
                tracing::info!(actor = %cx.signer.url, "actor updated");
                Ok(())
            }
            UpdateObject::Video(video) => ingest::update(&cx.state, &cx.signer, *video).await,
            UpdateObject::Note(note) => crate::comments::remote::updated(cx, *note).await,
            UpdateObject::Unknown(_) => {
                tracing::info!(id = %self.id, "Update acknowledged, not handled");
                Ok(())
            }
        }
    }
}
