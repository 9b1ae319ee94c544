//! Video file tokens (`POST /api/v1/videos/{id}/token`): short-lived secrets a player puts in
//! `?videoFileToken=` to fetch a non-public video's files where it cannot send a bearer
//! token (a `<video>` element, an HLS player's segment requests). Kept in Redis, so every
//! process of the instance honours them; PeerTube keeps them 8 hours.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::FederationError;
use crate::state::AppState;

const TTL_SECS: u64 = 8 * 3600;

/// A token and when it stops working.
#[derive(Debug, Clone)]
pub struct FileToken {
    pub token: String,
    pub expires: DateTime<Utc>,
}

fn key(state: &AppState, token: &str) -> String {
    state.redis_key(&format!("video-file-token-{token}"))
}

/// A new token for the files of the video `video_uuid`.
pub async fn create(state: &AppState, video_uuid: &Uuid) -> Result<FileToken, FederationError> {
    let token = Uuid::new_v4().to_string();
    let mut redis = state.redis.clone();
    let () = redis::cmd("SET")
        .arg(key(state, &token))
        .arg(video_uuid.to_string())
        .arg("EX")
        .arg(TTL_SECS)
        .query_async(&mut redis)
        .await?;
    let ttl = chrono::Duration::seconds(i64::try_from(TTL_SECS).unwrap_or(i64::MAX));
    Ok(FileToken {
        token,
        expires: Utc::now() + ttl,
    })
}

/// Whether `token` opens the files of `video_uuid` (a Redis failure opens nothing).
pub async fn allows(state: &AppState, token: &str, video_uuid: &Uuid) -> bool {
    if Uuid::parse_str(token).is_err() {
        return false;
    }
    let mut redis = state.redis.clone();
    let found: Result<Option<String>, _> = redis::cmd("GET")
        .arg(key(state, token))
        .query_async(&mut redis)
        .await;
    match found {
        Ok(v) => v.as_deref() == Some(video_uuid.to_string().as_str()),
        Err(e) => {
            tracing::warn!(error = %e, "cannot check a video file token");
            false
        }
    }
}
