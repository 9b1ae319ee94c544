//! Tells every ferrotube process, through Redis pub/sub, that an infohash appeared or went,
//! so a private tracker knows new files at once without a query per announce.

use crate::state::AppState;

/// The pub/sub channel (under the instance's key prefix).
pub fn channel(state: &AppState) -> String {
    state.redis_key("tracker-infohashes")
}

async fn publish(state: &AppState, message: String) {
    let mut redis = state.redis.clone();
    let sent: Result<i64, _> = redis::cmd("PUBLISH")
        .arg(channel(state))
        .arg(&message)
        .query_async(&mut redis)
        .await;
    if let Err(e) = sent {
        // The periodic refresh from the database catches up.
        tracing::warn!(error = %e, "cannot publish an infohash change");
    }
}

pub async fn added(state: &AppState, info_hash_hex: &str) {
    publish(state, format!("+{info_hash_hex}")).await;
}

pub async fn removed(state: &AppState, info_hash_hex: &str) {
    publish(state, format!("-{info_hash_hex}")).await;
}

/// Reads a message: `(true, hash)` for an addition, `(false, hash)` for a removal.
pub fn parse(message: &str) -> Option<(bool, &str)> {
    let (sign, hash) = message.split_at_checked(1)?;
    let valid = hash.len() == 40 && hash.bytes().all(|b| b.is_ascii_hexdigit());
    match sign {
        "+" if valid => Some((true, hash)),
        "-" if valid => Some((false, hash)),
        _ => None,
    }
}
