//! Video quotas: total and daily bytes a user may store (-1: unlimited).

use chrono::{Duration, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use ferrotube_federation::models::user::User;
use ferrotube_federation::schema::{accounts, video_channels, video_files, videos};

use crate::error::{ApiError, ApiResult};

async fn used(conn: &mut AsyncPgConnection, user_id: i64, daily: bool) -> ApiResult<i64> {
    let mut q = video_files::table
        .inner_join(videos::table.inner_join(video_channels::table.inner_join(accounts::table)))
        .filter(accounts::user_id.eq(user_id))
        .into_boxed();
    if daily {
        q = q.filter(video_files::created_at.gt(Utc::now() - Duration::hours(24)));
    }
    // sum(bigint) is numeric in PostgreSQL; bring it back to bigint there.
    Ok(
        q.select(sql::<BigInt>("COALESCE(SUM(video_files.size), 0)::bigint"))
            .first::<i64>(conn)
            .await?,
    )
}

pub async fn used_total(conn: &mut AsyncPgConnection, user_id: i64) -> ApiResult<i64> {
    used(conn, user_id, false).await
}

/// 413 `quota_reached` when `incoming` more bytes would pass either quota.
pub async fn check(conn: &mut AsyncPgConnection, user: &User, incoming: i64) -> ApiResult<()> {
    let over = |quota: i64, used: i64| quota >= 0 && used + incoming > quota;
    if user.video_quota >= 0 && over(user.video_quota, used(conn, user.id, false).await?) {
        return Err(quota_reached());
    }
    if user.video_quota_daily >= 0 && over(user.video_quota_daily, used(conn, user.id, true).await?)
    {
        return Err(quota_reached());
    }
    Ok(())
}

pub fn quota_reached() -> ApiError {
    ApiError::coded(
        axum::http::StatusCode::PAYLOAD_TOO_LARGE,
        "quota_reached",
        "The user video quota is exceeded with this video.",
    )
}
