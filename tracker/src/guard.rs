//! Per-IP defences: the 3-minute block after an unknown infohash over WebSocket, the cap on
//! simultaneous connections, and PeerTube's "too many announces" window. Each table is swept
//! periodically and capped, so an attacker cannot grow it without bound.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::ids::InfoHash;

/// Entries beyond this are not tracked (the announce window then lets requests through).
const MAX_ENTRIES: usize = 200_000;

#[derive(Default)]
pub(crate) struct Guards {
    blocked: Mutex<HashMap<IpAddr, Instant>>,
    connections: Arc<Mutex<HashMap<IpAddr, usize>>>,
    announces: Mutex<HashMap<(IpAddr, InfoHash), (Instant, u32)>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    match m.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// One open WebSocket connection of an IP; dropping it frees the slot.
pub(crate) struct ConnectionSlot {
    ip: IpAddr,
    table: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut table = lock(&self.table);
        if let Some(n) = table.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                table.remove(&self.ip);
            }
        }
    }
}

impl Guards {
    pub fn is_blocked(&self, ip: IpAddr) -> bool {
        lock(&self.blocked)
            .get(&ip)
            .is_some_and(|until| *until > Instant::now())
    }

    pub fn block(&self, ip: IpAddr, duration: Duration) {
        let mut blocked = lock(&self.blocked);
        if blocked.len() < MAX_ENTRIES || blocked.contains_key(&ip) {
            blocked.insert(ip, Instant::now() + duration);
        }
    }

    pub fn connect(&self, ip: IpAddr, max: usize) -> Option<ConnectionSlot> {
        let mut table = lock(&self.connections);
        let n = table.entry(ip).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(ConnectionSlot {
            ip,
            table: Arc::clone(&self.connections),
        })
    }

    /// Counts an announce; false when `ip` already made `max` announces of `info_hash` in the
    /// current `window`.
    pub fn count_announce(
        &self,
        ip: IpAddr,
        info_hash: InfoHash,
        max: u32,
        window: Duration,
    ) -> bool {
        let now = Instant::now();
        let mut table = lock(&self.announces);
        if table.len() >= MAX_ENTRIES && !table.contains_key(&(ip, info_hash)) {
            return true;
        }
        let (start, count) = table.entry((ip, info_hash)).or_insert((now, 0));
        if now.duration_since(*start) > window {
            *start = now;
            *count = 0;
        }
        *count += 1;
        *count <= max
    }

    pub fn sweep(&self, window: Duration) {
        let now = Instant::now();
        lock(&self.blocked).retain(|_, until| *until > now);
        lock(&self.announces).retain(|_, (start, _)| now.duration_since(*start) <= window);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn connection_slots_are_counted_per_ip() {
        let guards = Guards::default();
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let a = guards.connect(ip, 2).unwrap();
        let _b = guards.connect(ip, 2).unwrap();
        assert!(guards.connect(ip, 2).is_none());
        drop(a);
        assert!(guards.connect(ip, 2).is_some());
    }

    #[test]
    fn announce_window_refuses_beyond_the_limit() {
        let guards = Guards::default();
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let ih = InfoHash([1; 20]);
        for _ in 0..15 {
            assert!(guards.count_announce(ip, ih, 15, Duration::from_secs(300)));
        }
        assert!(!guards.count_announce(ip, ih, 15, Duration::from_secs(300)));
        assert!(guards.count_announce(ip, InfoHash([2; 20]), 15, Duration::from_secs(300)));
    }

    #[test]
    fn blocks_expire() {
        let guards = Guards::default();
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        guards.block(ip, Duration::from_secs(60));
        assert!(guards.is_blocked(ip));
        guards.block(ip, Duration::ZERO);
        assert!(!guards.is_blocked(ip));
    }
}
