//! ferrotube's WebTorrent and HTTP BitTorrent tracker, and the torrents it serves. It owns no
//! database: the server tells it which infohashes exist through [`KnownInfohashes`] (usually an
//! [`InfohashRegistry`] it fills at start-up and on every new torrent).
//!
//! Routes ([`router`]): `GET /tracker/socket` (WebSocket, the WebTorrent protocol: announces
//! with offers, offers relayed to peers and answers back), `GET /tracker/announce` and
//! `GET /tracker/scrape` (bencoded HTTP tracker). Behaviour follows PeerTube's tracker:
//! disabled / private / too-many-announces rules, 120 s WebSocket interval, `numwant` 50 (max
//! 82), swarms of at most 1000 peers that expire 20 min after their last announce, and a
//! 3-minute IP block after a WebSocket announce of an unknown infohash.
//!
//! # Memory
//! Figures for x86-64, hash-table overhead included:
//! - a WebSocket peer in a swarm: about 70 bytes (20-byte id, connection handle, last-seen
//!   seconds, seeder flag, index entry); an HTTP peer about 80 bytes (address, id, last seen);
//! - a swarm: about 200 bytes plus its peers, so a full swarm (1000 peers) is under 100 KiB;
//! - a WebSocket connection: a 16 KiB read buffer, a write buffer of up to 32 KiB plus the
//!   message being written, its relay queue of at most [`TrackerLimits::outbox_bytes`] (256
//!   KiB), its list of (swarm, peer) pairs (about 60 bytes each, at most
//!   [`TrackerLimits::max_swarms_per_connection`], 10,000) and a task of about 1 KiB: about
//!   20 KiB for a browser in a few swarms, under 1 MiB in the worst case;
//! - per IP, at most [`TrackerLimits::max_connections_per_ip`] (64) connections; the block list
//!   and announce counters are swept and capped at 200,000 entries each.
//!
//! Under `tracker-bench` (10,000 torrents, 16 connections) the whole process peaks near 30 MiB.

mod client_ip;
mod config;
mod error;
mod guard;
mod http;
mod ids;
mod outbox;
mod registry;
mod swarm;
mod torrent;
mod tracker;
mod ws;

use axum::Router;
use axum::routing::get;

pub use config::{TrackerConfig, TrackerLimits};
pub use error::TrackerError;
pub use ids::{InfoHash, PeerId, hls_swarm_id};
pub use registry::InfohashRegistry;
pub use torrent::{
    BuiltTorrent, TorrentSpec, build_torrent, build_torrent_at, info_name, piece_length_for,
};
pub use tracker::{Tracker, TrackerStats};

/// Answers whether an infohash belongs to a file this instance knows (local or remote), so a
/// private tracker serves only those swarms.
pub trait KnownInfohashes: Send + Sync + 'static {
    fn is_known(&self, info_hash: &[u8; 20]) -> bool;
}

/// The tracker's routes, ready to merge into the server's router. The server must be run with
/// `into_make_service_with_connect_info::<SocketAddr>()` for client addresses.
pub fn router<S>(tracker: Tracker) -> Router<S> {
    router_at("/tracker", tracker)
}

/// The same routes under another prefix (`""` gives `/announce`, the path standard tracker
/// load testers request).
pub fn router_at<S>(prefix: &str, tracker: Tracker) -> Router<S> {
    Router::new()
        .route(&format!("{prefix}/socket"), get(ws::upgrade))
        .route(&format!("{prefix}/announce"), get(http::announce))
        .route(&format!("{prefix}/scrape"), get(http::scrape))
        .with_state(tracker)
}
