//! View counting: deduplicated per viewer and hour in Redis, buffered there, and flushed to
//! PostgreSQL by a periodic task (every process may count; one flush adds them up).

use crate::error::FederationError;
use crate::models::video::Video;
use crate::state::AppState;

/// A view counts once the viewer has watched 10 s, or the whole of a shorter video.
pub async fn record(
    state: &AppState,
    video_id: i64,
    duration: i32,
    viewer: &str,
    current_time: i64,
) -> Result<(), FederationError> {
    if current_time < i64::from(duration.clamp(0, 10)) {
        return Ok(());
    }
    let mut redis = state.redis.clone();
    let seen_key = state.redis_key(&format!("video-view-{video_id}-{viewer}"));
    let first: Option<String> = redis::cmd("SET")
        .arg(&seen_key)
        .arg(1)
        .arg("NX")
        .arg("EX")
        .arg(3600)
        .query_async(&mut redis)
        .await?;
    if first.is_some() {
        let _: i64 = redis::cmd("HINCRBY")
            .arg(state.redis_key("video-views-buffer"))
            .arg(video_id)
            .arg(1)
            .query_async(&mut redis)
            .await?;
    }
    Ok(())
}

/// Moves buffered views into the videos table; returns how many were added.
pub async fn flush(state: &AppState) -> Result<i64, FederationError> {
    let mut redis = state.redis.clone();
    let key = state.redis_key("video-views-buffer");
    let taking = state.redis_key("video-views-buffer-flushing");
    // RENAME makes the taken batch private to this flush; new views start a fresh buffer.
    let renamed: Result<String, _> = redis::cmd("RENAME")
        .arg(&key)
        .arg(&taking)
        .query_async(&mut redis)
        .await;
    if renamed.is_err() {
        return Ok(0);
    }
    let entries: Vec<(i64, i64)> = redis::cmd("HGETALL")
        .arg(&taking)
        .query_async(&mut redis)
        .await?;
    let mut conn = state.conn().await?;
    let mut total = 0;
    for (video_id, n) in entries {
        Video::add_views(&mut conn, video_id, n).await?;
        total += n;
    }
    let _: i64 = redis::cmd("DEL")
        .arg(&taking)
        .query_async(&mut redis)
        .await?;
    Ok(total)
}
