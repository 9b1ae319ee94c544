//! Keeps the tracker's known-infohash set (torrents and HLS swarm ids) in step with the
//! database: a full load at start and every few minutes, and each change at once through Redis pub/sub (files may be created by
//! another process, such as `ferrotube worker`).

use std::sync::Arc;
use std::time::Duration;

use ferrotube_federation::AppState;
use ferrotube_federation::models::video_file::VideoFile;
use ferrotube_federation::models::video_streaming_playlist::StreamingPlaylist;
use ferrotube_federation::video::infohashes;
use ferrotube_tracker::InfohashRegistry;
use futures::StreamExt;

const FULL_RELOAD: Duration = Duration::from_secs(300);

async fn reload(state: &AppState, registry: &InfohashRegistry) {
    let hashes = match state.conn().await {
        Ok(mut conn) => match VideoFile::all_info_hashes(&mut conn).await {
            Ok(mut hashes) => StreamingPlaylist::all_infohashes(&mut conn)
                .await
                .map(|swarms| {
                    hashes.extend(swarms);
                    hashes
                }),
            Err(e) => Err(e),
        },
        Err(e) => {
            tracing::warn!(error = %e, "cannot load infohashes");
            return;
        }
    };
    match hashes {
        Ok(hashes) => {
            let parsed: Vec<_> = hashes
                .iter()
                .filter_map(|h| {
                    let bytes: [u8; 20] = hex::decode(h).ok()?.try_into().ok()?;
                    Some(ferrotube_tracker::InfoHash(bytes))
                })
                .collect();
            registry.replace_all(parsed);
        }
        Err(e) => tracing::warn!(error = %e, "cannot load infohashes"),
    }
}

async fn listen(state: &AppState, registry: &InfohashRegistry) -> Result<(), redis::RedisError> {
    let client = redis::Client::open(state.config.redis_url())?;
    let mut pubsub = client.get_async_pubsub().await?;
    pubsub.subscribe(infohashes::channel(state)).await?;
    // Subscribed first, then loaded: no change can fall between the two.
    reload(state, registry).await;
    let mut messages = pubsub.on_message();
    let mut ticker = tokio::time::interval(FULL_RELOAD);
    ticker.tick().await;
    loop {
        tokio::select! {
            msg = messages.next() => {
                let Some(msg) = msg else { return Ok(()) };
                let payload: String = msg.get_payload()?;
                match infohashes::parse(&payload) {
                    Some((true, hash)) => { let _ = registry.insert_hex(hash); }
                    Some((false, hash)) => { let _ = registry.remove_hex(hash); }
                    None => tracing::debug!(%payload, "ignored an infohash message"),
                }
            }
            _ = ticker.tick() => reload(state, registry).await,
        }
    }
}

pub fn spawn(state: AppState, registry: Arc<InfohashRegistry>) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = listen(&state, &registry).await {
                tracing::warn!(error = %e, "infohash subscription lost; retrying");
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
}
