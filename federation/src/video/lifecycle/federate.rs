//! What PeerTube sends when a local video becomes federable (Create by the account to its
//! followers, then Announces by the server actor and by the channel to every involved follower)
//! or changes (Update), through the durable delivery jobs. Our Announces are recorded as the
//! video's shares. The activities are built in `crate::activities`.

use crate::activities::announce::Announce;
use crate::activities::create::Create;
use crate::activities::update::Update;
use crate::bootstrap::SERVER_ACTOR_NAME;
use crate::models::actor::Actor;
use crate::models::follow::ActorFollow;
use crate::models::video::{Video, VideoFull};
use crate::models::video_share::VideoShare;
use crate::outbox::deliver;
use crate::queue::JobError;
use crate::state::AppState;
use crate::video::federate;

/// Queues the deliveries for `video_id`: Create and Announces when `is_new`, else an Update.
/// Nothing is sent for a video gone, not federable, or still without its images.
pub async fn run(state: &AppState, video_id: i64, is_new: bool) -> Result<(), JobError> {
    let mut conn = state.conn().await?;
    let Some(video) = Video::find(&mut conn, video_id).await? else {
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
        ActorFollow::followers_shared_inboxes(&mut conn, &[server.id, channel.id, account.id])
            .await?;
    let urls = &state.urls;
    if is_new {
        let account_followers =
            ActorFollow::followers_shared_inboxes(&mut conn, &[account.id]).await?;
        deliver(
            &mut conn,
            &Create::video(urls, &full)?,
            account.id,
            account_followers,
        )
        .await?;
        for announcer in [&server, &channel] {
            let activity = Announce::video(urls, &full, &announcer.url, announcer.id)?;
            VideoShare::record(&mut conn, activity.id.as_str(), announcer.id, video_id).await?;
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
}
