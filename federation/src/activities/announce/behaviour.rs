//! Announces of our videos by the server actor and the channel (audience F), and receiving
//! Announces: from an Application or a Group only, the video is fetched when unknown and the
//! share is stored (the video's `shares` collection).

use super::Announce;
use crate::activities::audience;
use crate::activities::{InboxContext, ReceiveActivity, SendActivity};
use crate::error::FederationError;
use crate::models::actor::ActorType;
use crate::models::video::VideoFull;
use crate::models::video_share::VideoShare;
use crate::protocol::{HttpUrl, url};
use crate::urls::InstanceUrls;
use crate::video::{ingest, urls as vurls};

impl Announce {
    /// An Announce of our video by `announcer` (the server actor or the channel), to F.
    pub fn video(
        urls: &InstanceUrls,
        full: &VideoFull,
        announcer_url: &str,
        announcer_id: i64,
    ) -> Result<Self, FederationError> {
        let id = vurls::watch_url(urls, &full.video);
        Ok(Self {
            kind: Default::default(),
            id: url(&format!("{id}/announces/{announcer_id}"))?,
            actor: url(announcer_url)?.into(),
            object: url(&id)?.into(),
            to: audience::involved(urls, full)?,
            cc: Vec::new(),
        })
    }
}

impl SendActivity for Announce {}

impl ReceiveActivity for Announce {
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
        if !matches!(
            cx.signer.actor_type,
            ActorType::Application | ActorType::Group
        ) {
            tracing::info!(actor = %cx.signer.url, "Announce from a non-Application/Group dropped");
            return Ok(());
        }
        let video = ingest::get_or_fetch(&cx.state, self.object.as_str()).await?;
        let mut conn = cx.state.conn().await?;
        VideoShare::record(&mut conn, self.id.as_str(), cx.signer.id, video.id).await?;
        Ok(())
    }
}
