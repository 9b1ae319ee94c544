//! Likes and dislikes of our videos by remote actors: stored per actor (model
//! `video_rate`), counted on the video, and followed by an Update(Video) to followers, as
//! PeerTube does.

use diesel_async::AsyncConnection;

use crate::activities::dislike::Dislike;
use crate::activities::like::Like;
use crate::error::FederationError;
use crate::models::actor::Actor;
use crate::models::video::Video;
use crate::models::video_rate::{Rating, VideoRate};
use crate::protocol::{HttpUrl, ObjectRef};
use crate::queue::BackgroundJob;
use crate::state::AppState;
use crate::video::jobs::federate::FederateVideo;

/// The local video an activity's object names, if any.
async fn local_video(
    state: &AppState,
    object: &ObjectRef,
) -> Result<Option<Video>, FederationError> {
    let mut conn = state.conn().await?;
    Ok(Video::find_by_url(&mut conn, object.as_str())
        .await?
        .filter(|v| v.is_local))
}

/// A Like or Dislike (`activity_id`) of the local video `object` by `signer`.
pub async fn rate(
    state: &AppState,
    signer: &Actor,
    object: &ObjectRef,
    activity_id: &HttpUrl,
    rating: Rating,
) -> Result<(), FederationError> {
    let Some(video) = local_video(state, object).await? else {
        return Err(FederationError::NotFound(
            "rating of an unknown or remote video".into(),
        ));
    };
    let (actor_id, video_id, url) = (signer.id, video.id, activity_id.to_string());
    let mut conn = state.conn().await?;
    conn.transaction::<_, FederationError, _>(async move |conn| {
        VideoRate::set(conn, actor_id, video_id, rating, Some(&url)).await?;
        FederateVideo::update(video_id).enqueue(conn).await?;
        Ok(())
    })
    .await
}

/// Undo of a Like or Dislike: the signer's rating of the video goes.
pub async fn unrate(
    state: &AppState,
    signer: &Actor,
    object: &ObjectRef,
) -> Result<(), FederationError> {
    let Some(video) = local_video(state, object).await? else {
        return Ok(());
    };
    let (actor_id, video_id) = (signer.id, video.id);
    let mut conn = state.conn().await?;
    conn.transaction::<_, FederationError, _>(async move |conn| {
        VideoRate::remove(conn, actor_id, video_id).await?;
        FederateVideo::update(video_id).enqueue(conn).await?;
        Ok(())
    })
    .await
}

/// Our user's rating of a video (`None` removes it). A local video's followers get an Update;
/// a remote video's origin gets the Undo of the old rating, then the new Like or Dislike, as
/// PeerTube sends them (ids `{account}/likes|dislikes/{videoId}`, kept fetchable).
pub async fn set_by_local(
    state: &AppState,
    account: &crate::models::account::AccountFull,
    video: &crate::models::video::VideoFull,
    rating: Option<Rating>,
) -> Result<(), FederationError> {
    let actor = account.actor.clone();
    let full = video.clone();
    let mut conn = state.conn().await?;
    conn.transaction::<_, FederationError, _>(async move |conn| {
        let old = VideoRate::find(conn, actor.id, full.video.id)
            .await?
            .map(|r| r.kind);
        if old == rating {
            return Ok(());
        }
        let url = rating.map(|r| local_rate_url(&actor, full.video.id, r));
        match rating {
            Some(r) => VideoRate::set(conn, actor.id, full.video.id, r, url.as_deref()).await?,
            None => {
                VideoRate::remove(conn, actor.id, full.video.id).await?;
            }
        }
        if full.video.is_local {
            FederateVideo::update(full.video.id).enqueue(conn).await?;
            return Ok(());
        }
        let origin = &full.channel.owner.actor;
        let inbox = vec![
            origin
                .shared_inbox_url
                .clone()
                .unwrap_or_else(|| origin.inbox_url.clone()),
        ];
        if let Some(old) = old {
            let undo = crate::activities::undo::Undo::of_rate(
                &local_rate_url(&actor, full.video.id, old),
                old,
                &actor,
                &full.video.url,
                &origin.url,
            )?;
            crate::outbox::deliver(conn, &undo, actor.id, inbox.clone()).await?;
        }
        match (rating, url) {
            (Some(Rating::Like), Some(url)) => {
                let like = Like::of_video(&url, &actor.url, &full.video.url, &origin.url)?;
                crate::outbox::deliver(conn, &like, actor.id, inbox).await?;
            }
            (Some(Rating::Dislike), Some(url)) => {
                let dislike = Dislike::of_video(&url, &actor.url, &full.video.url, &origin.url)?;
                crate::outbox::deliver(conn, &dislike, actor.id, inbox).await?;
            }
            _ => {}
        }
        Ok(())
    })
    .await
}

/// `{actor}/likes/{videoId}` or `{actor}/dislikes/{videoId}`, PeerTube's rate ids.
pub fn local_rate_url(actor: &Actor, video_id: i64, rating: Rating) -> String {
    match rating {
        Rating::Like => format!("{}/likes/{video_id}", actor.url),
        Rating::Dislike => format!("{}/dislikes/{video_id}", actor.url),
    }
}
