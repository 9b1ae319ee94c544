//! Delete of our videos (audience F), and receiving Delete: of the signer itself (its account or
//! channel goes), of a comment (by its author or the video's owner), else of a remote video by
//! its owning account.

use super::Delete;
use crate::activities::audience;
use crate::activities::{InboxContext, ReceiveActivity, SendActivity};
use crate::error::FederationError;
use crate::models::video::VideoFull;
use crate::protocol::{HttpUrl, url};
use crate::remote::actor as remote_actor;
use crate::time::iso;
use crate::urls::InstanceUrls;
use crate::video::{ingest, urls as vurls};

impl Delete {
    /// Delete of our video, to F. A withdrawal (the video turned private) gets an id of its own,
    /// so that receivers that remember activity ids still process a later, final Delete.
    pub fn video(
        urls: &InstanceUrls,
        full: &VideoFull,
        withdrawal: bool,
    ) -> Result<Self, FederationError> {
        let id = vurls::watch_url(urls, &full.video);
        let activity_id = if withdrawal {
            format!("{id}/delete/{}", iso(&full.video.updated_at))
        } else {
            format!("{id}/delete")
        };
        Ok(Self {
            kind: Default::default(),
            id: url(&activity_id)?,
            actor: url(&full.channel.owner.actor.url)?.into(),
            object: url(&id)?.into(),
            to: audience::involved(urls, full)?,
            cc: Vec::new(),
        })
    }
}

impl SendActivity for Delete {}

impl ReceiveActivity for Delete {
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
        if self.object.0 == cx.signer.url {
            let mut conn = cx.state.conn().await?;
            let images = remote_actor::delete(&mut conn, cx.signer.id).await?;
            crate::profile::files::remove(&cx.state.config.storage, &images).await;
            tracing::info!(actor = %self.object.0, "remote actor deleted");
            return Ok(());
        }
        if crate::comments::remote::deleted(cx, self.object.as_str()).await? {
            return Ok(());
        }
        ingest::delete(&cx.state, &cx.signer, self.object.as_str()).await
    }
}
