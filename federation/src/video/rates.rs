//! Likes and dislikes of our videos by remote actors: stored per actor (model
//! `video_rate`), counted on the video, and followed by an Update(Video) to followers, as
//! PeerTube does.

use diesel_async::AsyncConnection;

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
