//! The shared tracker state and PeerTube's announce filter.

use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use std::time::Instant;

use crate::KnownInfohashes;
use crate::config::TrackerConfig;
use crate::error::TrackerError;
use crate::guard::Guards;
use crate::ids::InfoHash;
use crate::swarm::Swarms;

/// A cheap handle on the tracker; clone it freely.
#[derive(Clone)]
pub struct Tracker {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub config: TrackerConfig,
    pub known: Arc<dyn KnownInfohashes>,
    pub swarms: Swarms,
    pub guards: Guards,
    started: Instant,
    next_connection: AtomicU64,
    pub open_connections: AtomicUsize,
    pub relays_sent: AtomicU64,
    pub relays_dropped: AtomicU64,
    pub replies_dropped: AtomicU64,
}

/// Sizes for logs and benchmarks.
#[derive(Debug, Clone, Copy)]
pub struct TrackerStats {
    pub swarms: usize,
    pub peers: usize,
    pub connections: usize,
    /// Offers and answers queued for their recipient since start.
    pub relays_sent: u64,
    /// Offers and answers dropped since start (recipient's outbox full, or gone).
    pub relays_dropped: u64,
    /// Replies dropped since start because their client did not read them.
    pub replies_dropped: u64,
}

impl Tracker {
    /// Creates the tracker. Inside a Tokio runtime it also starts the task that expires peers;
    /// the task ends when the last handle is dropped.
    pub fn new(config: TrackerConfig, known: Arc<dyn KnownInfohashes>) -> Self {
        let inner = Arc::new(Inner {
            swarms: Swarms::new(config.limits.max_peers_per_swarm),
            config,
            known,
            guards: Guards::default(),
            started: Instant::now(),
            next_connection: AtomicU64::new(1),
            open_connections: AtomicUsize::new(0),
            relays_sent: AtomicU64::new(0),
            relays_dropped: AtomicU64::new(0),
            replies_dropped: AtomicU64::new(0),
        });
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                handle.spawn(sweep_forever(Arc::downgrade(&inner)));
            }
            Err(_) => tracing::warn!("tracker created outside a runtime: peers will not expire"),
        }
        Self { inner }
    }

    pub fn config(&self) -> &TrackerConfig {
        &self.inner.config
    }

    pub fn stats(&self) -> TrackerStats {
        let (swarms, peers) = self.inner.swarms.size();
        TrackerStats {
            swarms,
            peers,
            connections: self.inner.open_connections.load(Ordering::Relaxed),
            relays_sent: self.inner.relays_sent.load(Ordering::Relaxed),
            relays_dropped: self.inner.relays_dropped.load(Ordering::Relaxed),
            replies_dropped: self.inner.replies_dropped.load(Ordering::Relaxed),
        }
    }
}

impl Inner {
    /// Seconds since start: peers store this instead of an `Instant` to stay small.
    pub fn now(&self) -> u32 {
        u32::try_from(self.started.elapsed().as_secs()).unwrap_or(u32::MAX)
    }

    pub fn count_relay(&self, sent: bool) {
        let counter = if sent {
            &self.relays_sent
        } else {
            &self.relays_dropped
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn next_connection_id(&self) -> u64 {
        self.next_connection.fetch_add(1, Ordering::Relaxed)
    }

    /// PeerTube's announce filter: enabled, known infohash when private, announce window.
    pub fn admit(&self, info_hash: &InfoHash, ip: IpAddr) -> Result<(), TrackerError> {
        let config = &self.config;
        if !config.enabled {
            return Err(TrackerError::Disabled);
        }
        if config.private && !self.known.is_known(&info_hash.0) {
            return Err(TrackerError::UnknownInfoHash(info_hash.to_hex()));
        }
        if config.reject_too_many_announces
            && !self.guards.count_announce(
                ip,
                *info_hash,
                config.limits.announces_per_window,
                config.limits.announce_window,
            )
        {
            return Err(TrackerError::TooManyAnnounces(info_hash.to_hex()));
        }
        Ok(())
    }

    fn sweep(&self) {
        let limits = &self.config.limits;
        let ttl = u32::try_from(limits.peer_ttl.as_secs()).unwrap_or(u32::MAX);
        let oldest = self.now().saturating_sub(ttl);
        let dropped = self.swarms.sweep(oldest);
        self.guards.sweep(limits.announce_window);
        if dropped > 0 {
            tracing::debug!(dropped, "expired tracker peers");
        }
    }
}

async fn sweep_forever(inner: Weak<Inner>) {
    let period = match inner.upgrade() {
        Some(inner) => inner
            .config
            .limits
            .sweep_interval
            .max(std::time::Duration::from_millis(10)),
        None => return,
    };
    let mut ticker = tokio::time::interval(period);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticker.tick().await;
    loop {
        ticker.tick().await;
        match inner.upgrade() {
            Some(inner) => inner.sweep(),
            None => return,
        }
    }
}
