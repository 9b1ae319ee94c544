//! Fixed-window rate limits counted in Redis, so that every ferrotube process shares them.

use std::net::IpAddr;

use ferrotube_federation::AppState;
use ferrotube_federation::config::RateLimit;

use crate::error::ApiError;

/// Counts one hit of `bucket` for `ip`; 429 once the window's maximum is passed.
pub async fn hit(
    state: &AppState,
    bucket: &str,
    ip: IpAddr,
    limit: RateLimit,
) -> Result<(), ApiError> {
    let window = limit.window.as_secs().max(1);
    let now = chrono::Utc::now().timestamp().max(0) as u64;
    let slot = now / window;
    let key = state.redis_key(&format!("rate-limit-{bucket}-{ip}-{slot}"));
    let mut redis = state.redis.clone();
    let (count,): (u64,) = redis::pipe()
        .atomic()
        .incr(&key, 1u64)
        .expire(&key, window as i64)
        .ignore()
        .query_async(&mut redis)
        .await
        .map_err(|e| ApiError::Federation(e.into()))?;
    if count > limit.max {
        return Err(ApiError::TooManyRequests);
    }
    Ok(())
}
