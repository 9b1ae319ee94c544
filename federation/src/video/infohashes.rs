//! Tells every ferrotube process, through Redis pub/sub, that an infohash appeared or went,
//! so a private tracker knows new files at once without a query per announce. Infohashes are
//! torrents' and HLS swarm ids ([`hls_swarm_ids`]).

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

/// The swarm ids PeerTube's player joins for the renditions of the master playlist at
/// `master_url` (p2p-media-loader v2): one per rendition, in playlist order.
pub fn hls_swarm_ids(master_url: &str, renditions: usize) -> Vec<String> {
    (0..renditions)
        .map(|i| ferrotube_tracker::hls_swarm_id(master_url, i).to_hex())
        .collect()
}

/// Announces the ids in `added` that are not in `removed`, and withdraws the converse.
pub async fn changed(state: &AppState, removed: &[String], added: &[String]) {
    for h in removed.iter().filter(|h| !added.contains(h)) {
        self::removed(state, h).await;
    }
    for h in added.iter().filter(|h| !removed.contains(h)) {
        self::added(state, h).await;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swarm_ids_are_peertubes() {
        // PeerTube's capture: its master playlist and the Infohash tag of its Video object.
        let master = "http://127.0.0.1:9001/static/streaming-playlists/hls/\
                      50f6644f-a8b7-4eca-a667-f417450bb3e3/adc59958-6396-4bff-aa53-acac7b911a75-master.m3u8";
        assert_eq!(
            hls_swarm_ids(master, 1),
            ["5e87a6b1b1bbe0479ab4690c16010763fe92214b"]
        );
        assert_eq!(hls_swarm_ids(master, 3).len(), 3);
        assert_eq!(
            parse("+5e87a6b1b1bbe0479ab4690c16010763fe92214b").map(|(a, _)| a),
            Some(true)
        );
    }
}
