//! Tracker settings: PeerTube's three switches plus the limits that keep the tracker bounded.

use std::time::Duration;

/// PeerTube's `tracker` section and `trust_proxy`, plus [`TrackerLimits`].
#[derive(Debug, Clone)]
pub struct TrackerConfig {
    pub enabled: bool,
    /// Only serve infohashes the instance knows.
    pub private: bool,
    /// Refuse more than [`TrackerLimits::announces_per_window`] announces of one infohash from
    /// one IP within [`TrackerLimits::announce_window`].
    pub reject_too_many_announces: bool,
    /// Proxies whose `X-Forwarded-For` is believed: `loopback` or IP addresses.
    pub trust_proxy: Vec<String>,
    pub limits: TrackerLimits,
}

impl Default for TrackerConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            private: true,
            reject_too_many_announces: false,
            trust_proxy: vec!["loopback".to_owned()],
            limits: TrackerLimits::default(),
        }
    }
}

/// Protocol figures (PeerTube's) and abuse limits (ours).
#[derive(Debug, Clone)]
pub struct TrackerLimits {
    /// Re-announce interval told to WebSocket clients.
    pub ws_interval: Duration,
    /// Re-announce interval told to HTTP clients.
    pub http_interval: Duration,
    pub numwant_default: usize,
    pub numwant_max: usize,
    pub max_peers_per_swarm: usize,
    /// A peer that has not announced for this long is dropped.
    pub peer_ttl: Duration,
    /// How often expired peers, blocks and counters are swept.
    pub sweep_interval: Duration,
    /// Offers beyond this many in one announce are ignored.
    pub max_offers_per_announce: usize,
    /// Largest WebSocket message accepted; larger ones close the connection.
    pub max_message_bytes: usize,
    /// Bytes of relayed messages queued for one connection; beyond it relays to that
    /// connection are dropped, so a slow reader costs at most this much.
    pub outbox_bytes: usize,
    pub max_connections_per_ip: usize,
    /// (swarm, peer) pairs one WebSocket connection may announce; beyond it its oldest is
    /// dropped. Large enough for a WebTorrent client seeding thousands of torrents.
    pub max_swarms_per_connection: usize,
    pub max_scrape_hashes: usize,
    pub ping_interval: Duration,
    /// A connection that sent nothing (not even a pong) for this long is closed.
    pub idle_timeout: Duration,
    /// A connection whose socket accepts no bytes for this long is closed.
    pub write_timeout: Duration,
    /// How long an IP that announced an unknown infohash over WebSocket is refused.
    pub block_duration: Duration,
    pub announces_per_window: u32,
    pub announce_window: Duration,
}

impl Default for TrackerLimits {
    fn default() -> Self {
        Self {
            ws_interval: Duration::from_secs(120),
            http_interval: Duration::from_secs(600),
            numwant_default: 50,
            numwant_max: 82,
            max_peers_per_swarm: 1000,
            peer_ttl: Duration::from_secs(20 * 60),
            sweep_interval: Duration::from_secs(30),
            max_offers_per_announce: 20,
            max_message_bytes: 64 * 1024,
            outbox_bytes: 256 * 1024,
            max_connections_per_ip: 64,
            max_swarms_per_connection: 10_000,
            max_scrape_hashes: 82,
            ping_interval: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(180),
            write_timeout: Duration::from_secs(30),
            block_duration: Duration::from_secs(3 * 60),
            announces_per_window: 15,
            announce_window: Duration::from_secs(5 * 60),
        }
    }
}
