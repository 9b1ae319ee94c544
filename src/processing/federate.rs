//! `federate-video`: what PeerTube sends when a local video becomes federable (Create by the
//! account to its followers, then Announces by the server actor and by the channel to every
//! involved follower) or changes (Update), through the durable delivery jobs.

use ferrotube_federation::activities::announce::Announce;
use ferrotube_federation::activities::create::Create;
use ferrotube_federation::activities::update::Update;
use ferrotube_federation::bootstrap::SERVER_ACTOR_NAME;
use ferrotube_federation::jobs::{BoxFuture, JobContext, JobError, JobHandler};
use ferrotube_federation::models::actor::Actor;
use ferrotube_federation::models::video::{Video, VideoFull};
use ferrotube_federation::models::video_share::VideoShare;
use ferrotube_federation::outbox::{deliver, followers_shared_inboxes};
use ferrotube_federation::video::federate;
use ferrotube_federation::video::jobs::FederatePayload;
use serde_json::Value;

pub struct Federate;

impl JobHandler for Federate {
    fn run(&self, ctx: JobContext, payload: Value) -> BoxFuture<Result<(), JobError>> {
        Box::pin(async move {
            let p: FederatePayload = super::payload(payload)?;
            let state = &ctx.state;
            let mut conn = state.conn().await?;
            let Some(video) = Video::find(&mut conn, p.video_id).await? else {
                return Ok(());
            };
            let Some(full) = VideoFull::load(&mut conn, video).await? else {
                return Ok(());
            };
            // Without its images a Video is refused by PeerTube; the thumbnails job federates
            // the video when it has made them.
            if !federate::is_federable(&full) || full.video.thumbnail_filename.is_none() {
                return Ok(());
            }
            let server = Actor::find_local_by_name(&mut conn, SERVER_ACTOR_NAME)
                .await?
                .ok_or_else(|| JobError::permanent("no server actor"))?;
            let account = full.channel.owner.actor.clone();
            let channel = full.channel.actor.clone();
            let involved =
                followers_shared_inboxes(&mut conn, &[server.id, channel.id, account.id]).await?;
            let urls = &state.urls;
            if p.is_new {
                let account_followers = followers_shared_inboxes(&mut conn, &[account.id]).await?;
                deliver(
                    &mut conn,
                    &Create::video(urls, &full)?,
                    account.id,
                    account_followers,
                )
                .await?;
                for announcer in [&server, &channel] {
                    let activity = Announce::video(urls, &full, &announcer.url, announcer.id)?;
                    VideoShare::record(&mut conn, activity.id.as_str(), announcer.id, p.video_id)
                        .await?;
                    deliver(&mut conn, &activity, announcer.id, involved.clone()).await?;
                }
            } else {
                deliver(
                    &mut conn,
                    &Update::video(urls, &full)?,
                    account.id,
                    involved,
                )
                .await?;
            }
            Ok(())
        })
    }
}
