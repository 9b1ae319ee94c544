//! Video quotas: total and daily bytes a user may store (-1: unlimited).

use chrono::{Duration, Utc};
use diesel_async::AsyncPgConnection;

use crate::error::FederationError;
use crate::models::user::User;
use crate::models::video_file::VideoFile;

/// Bytes stored by the user's videos.
pub async fn used_total(
    conn: &mut AsyncPgConnection,
    user_id: i64,
) -> Result<i64, FederationError> {
    Ok(VideoFile::bytes_of_user(conn, user_id, None).await?)
}

/// Bytes the user may still store, `None` when unlimited: an upload that streams past it is
/// stopped before it ends.
pub async fn room(
    conn: &mut AsyncPgConnection,
    user: &User,
) -> Result<Option<i64>, FederationError> {
    if user.video_quota < 0 {
        return Ok(None);
    }
    Ok(Some(user.video_quota - used_total(conn, user.id).await?))
}

/// `QuotaReached` when `incoming` more bytes would pass either quota.
pub async fn check(
    conn: &mut AsyncPgConnection,
    user: &User,
    incoming: i64,
) -> Result<(), FederationError> {
    let over = |quota: i64, used: i64| quota >= 0 && used + incoming > quota;
    if user.video_quota >= 0 && over(user.video_quota, used_total(conn, user.id).await?) {
        return Err(FederationError::QuotaReached);
    }
    let since = Utc::now() - Duration::hours(24);
    if user.video_quota_daily >= 0
        && over(
            user.video_quota_daily,
            VideoFile::bytes_of_user(conn, user.id, Some(since)).await?,
        )
    {
        return Err(FederationError::QuotaReached);
    }
    Ok(())
}
