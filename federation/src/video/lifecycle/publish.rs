//! The end of processing: a video published (and federated), or marked failed with the reason.

use chrono::Utc;

use crate::error::FederationError;
use crate::models::enums::VideoState;
use crate::models::video::{Video, VideoChanges};
use crate::queue::BackgroundJob;
use crate::state::AppState;
use crate::video::jobs::federate::FederateVideo;

/// Publishes a processed video and queues its federation (Create and Announces).
pub async fn publish(state: &AppState, video_id: i64) -> Result<(), FederationError> {
    let mut conn = state.conn().await?;
    let now = Utc::now();
    Video::update(
        &mut conn,
        video_id,
        &VideoChanges {
            state: Some(VideoState::Published),
            state_error: Some(None),
            published_at: Some(now),
            updated_at: Some(now),
            ..VideoChanges::default()
        },
    )
    .await?;
    FederateVideo::create(video_id).enqueue(&mut conn).await?;
    Ok(())
}

/// Marks a video failed (`TranscodingFailed`) with why, for its owner to see.
pub async fn mark_failed(state: &AppState, video_id: i64, why: &str) {
    tracing::warn!(video_id, %why, "transcoding failed");
    if let Ok(mut conn) = state.conn().await {
        let _ = Video::update(
            &mut conn,
            video_id,
            &VideoChanges {
                state: Some(VideoState::TranscodingFailed),
                state_error: Some(Some(why.chars().take(1000).collect())),
                updated_at: Some(Utc::now()),
                ..VideoChanges::default()
            },
        )
        .await;
    }
}
