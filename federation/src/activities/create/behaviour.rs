//! Create(Video) of our videos, and receiving Create: a Video is fetched again from its id (the
//! embedded copy is not trusted); a Note is a comment (`crate::comments`); other objects are
//! acknowledged.

use super::{Create, CreateObject};
use crate::activities::audience;
use crate::activities::{InboxContext, ReceiveActivity, SendActivity};
use crate::error::FederationError;
use crate::models::video::VideoFull;
use crate::protocol::video::VideoObject;
use crate::protocol::{Context, HttpUrl, url};
use crate::urls::InstanceUrls;
use crate::video::{ingest, urls as vurls};

impl Create {
    /// Create(Video) by the owning account, audience P (U when unlisted).
    pub fn video(urls: &InstanceUrls, full: &VideoFull) -> Result<Self, FederationError> {
        let id = vurls::watch_url(urls, &full.video);
        let (to, cc) = audience::of_video(full)?;
        Ok(Self {
            to,
            cc,
            kind: Default::default(),
            id: url(&format!("{id}/activity"))?,
            actor: url(&full.channel.owner.actor.url)?.into(),
            object: CreateObject::Video(Box::new(VideoObject::local(urls, full)?)),
        })
    }
}

impl SendActivity for Create {
    fn context(&self) -> Context {
        match self.object {
            CreateObject::Video(_) => Context::Video,
            CreateObject::Note(_) => Context::Note,
            CreateObject::Unknown(_) => Context::Base,
        }
    }
}

impl ReceiveActivity for Create {
    fn id(&self) -> &HttpUrl {
        &self.id
    }

    fn actor(&self) -> &HttpUrl {
        &self.actor
    }

    async fn verify(&self, _cx: &InboxContext) -> Result<(), FederationError> {
        Ok(())
    }

    async fn receive(self, cx: &InboxContext) -> Result<(), FederationError> {
        match self.object {
            CreateObject::Video(video) => ingest::fetch_and_store(&cx.state, video.id.as_str())
                .await
                .map(|_| ()),
            CreateObject::Note(note) => crate::comments::remote::created(cx, *note).await,
            CreateObject::Unknown(_) => {
                tracing::info!(id = %self.id, "Create acknowledged, not handled");
                Ok(())
            }
        }
    }
}
