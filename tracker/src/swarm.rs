//! The swarms: per infohash, its WebSocket peers (reachable through their connection's
//! [`Outbox`]) and HTTP peers (reachable at an address), with seeder/leecher counts.
//!
//! Sharded by the infohash's first byte so announces on different swarms rarely contend.
//! Peers are kept in insertion-ordered maps so a random run of peers is picked in O(numwant).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use indexmap::IndexMap;

use crate::ids::{InfoHash, PeerId};
use crate::outbox::Outbox;

const SHARDS: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event {
    Started,
    Stopped,
    Completed,
    /// A periodic re-announce (also `paused` and an absent event).
    Update,
}

impl Event {
    pub fn parse(event: Option<&str>) -> Self {
        match event {
            Some("started") => Self::Started,
            Some("stopped") => Self::Stopped,
            Some("completed") => Self::Completed,
            _ => Self::Update,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    /// Seeders.
    pub complete: u32,
    /// Leechers.
    pub incomplete: u32,
}

/// What one announce says about its peer.
pub(crate) struct Announce {
    pub info_hash: InfoHash,
    pub event: Event,
    /// Bytes left; `None` when the client did not say (keeps the previous state).
    pub left: Option<u64>,
    /// How many other peers to return.
    pub want: usize,
    /// Seconds since the tracker started.
    pub now: u32,
}

struct WsPeer {
    outbox: Arc<Outbox>,
    seen: u32,
    seeder: bool,
}

struct HttpPeer {
    peer_id: PeerId,
    seen: u32,
    seeder: bool,
}

#[derive(Default)]
struct Swarm {
    ws: IndexMap<PeerId, WsPeer>,
    /// Keyed by address like PeerTube's tracker: one entry per IP and port.
    http: IndexMap<SocketAddr, HttpPeer>,
    seeders: u32,
    leechers: u32,
}

impl Swarm {
    fn counts(&self) -> Counts {
        Counts {
            complete: self.seeders,
            incomplete: self.leechers,
        }
    }

    fn len(&self) -> usize {
        self.ws.len() + self.http.len()
    }

    fn add(&mut self, seeder: bool) {
        if seeder {
            self.seeders += 1;
        } else {
            self.leechers += 1;
        }
    }

    fn sub(&mut self, seeder: bool) {
        if seeder {
            self.seeders = self.seeders.saturating_sub(1);
        } else {
            self.leechers = self.leechers.saturating_sub(1);
        }
    }

    fn switch(&mut self, was: bool, now: bool) {
        if was != now {
            self.sub(was);
            self.add(now);
        }
    }

    /// Makes room for a newcomer by dropping the peer that announced least recently (the
    /// LRU rule of PeerTube's tracker). O(peers), only when the swarm is full.
    fn evict_stalest(&mut self) {
        let ws = self.ws.values().enumerate().min_by_key(|(_, p)| p.seen);
        let http = self.http.values().enumerate().min_by_key(|(_, p)| p.seen);
        let removed = match (ws, http) {
            (Some((i, w)), Some((_, h))) if w.seen <= h.seen => {
                self.ws.swap_remove_index(i).map(|(_, p)| p.seeder)
            }
            (_, Some((i, _))) => self.http.swap_remove_index(i).map(|(_, p)| p.seeder),
            (Some((i, _)), None) => self.ws.swap_remove_index(i).map(|(_, p)| p.seeder),
            (None, None) => None,
        };
        if let Some(seeder) = removed {
            self.sub(seeder);
        }
    }

    fn recount(&mut self) {
        let seeders = self.ws.values().filter(|p| p.seeder).count()
            + self.http.values().filter(|p| p.seeder).count();
        self.seeders = u32::try_from(seeders).unwrap_or(u32::MAX);
        self.leechers = u32::try_from(self.len() - seeders).unwrap_or(u32::MAX);
    }
}

fn is_seeder(event: Event, left: Option<u64>, before: Option<bool>) -> bool {
    match (event, left) {
        (Event::Completed, _) => true,
        (_, Some(left)) => left == 0,
        (_, None) => before.unwrap_or(false),
    }
}

/// A random start index, so every peer gets its turn at being handed out.
fn random_start(len: usize) -> usize {
    if len <= 1 {
        0
    } else {
        rand::random::<usize>() % len
    }
}

pub(crate) struct Swarms {
    shards: Box<[Mutex<HashMap<InfoHash, Swarm>>]>,
    max_peers: usize,
}

impl Swarms {
    pub fn new(max_peers: usize) -> Self {
        Self {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
            max_peers: max_peers.max(1),
        }
    }

    fn shard(&self, info_hash: &InfoHash) -> MutexGuard<'_, HashMap<InfoHash, Swarm>> {
        let shard = &self.shards[usize::from(info_hash.0[0]) % SHARDS];
        match shard.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Records a WebSocket announce and pushes up to `want` other WebSocket peers' outboxes
    /// onto `targets` (not itself, not seeders when it seeds).
    pub fn announce_ws(
        &self,
        a: &Announce,
        peer_id: PeerId,
        outbox: &Arc<Outbox>,
        targets: &mut Vec<Arc<Outbox>>,
    ) -> Counts {
        let mut shard = self.shard(&a.info_hash);
        if a.event == Event::Stopped {
            return Self::stop(&mut shard, &a.info_hash, |s| {
                s.ws.swap_remove(&peer_id).map(|p| p.seeder)
            });
        }
        let swarm = shard.entry(a.info_hash).or_default();
        let seeder = match swarm.ws.get_mut(&peer_id) {
            Some(peer) => {
                let was = peer.seeder;
                let seeder = is_seeder(a.event, a.left, Some(was));
                peer.seeder = seeder;
                peer.seen = a.now;
                if peer.outbox.id != outbox.id {
                    peer.outbox = Arc::clone(outbox);
                }
                swarm.switch(was, seeder);
                seeder
            }
            None => {
                if swarm.len() >= self.max_peers {
                    swarm.evict_stalest();
                }
                let seeder = is_seeder(a.event, a.left, None);
                swarm.ws.insert(
                    peer_id,
                    WsPeer {
                        outbox: Arc::clone(outbox),
                        seen: a.now,
                        seeder,
                    },
                );
                swarm.add(seeder);
                seeder
            }
        };
        if a.want > 0 {
            let len = swarm.ws.len();
            let start = random_start(len);
            for i in 0..len {
                let Some((id, peer)) = swarm.ws.get_index((start + i) % len) else {
                    break;
                };
                // Peers sharing the announcer's socket still get offers: a WebTorrent process
                // runs all its clients over one socket per tracker.
                if *id == peer_id || (seeder && peer.seeder) {
                    continue;
                }
                targets.push(Arc::clone(&peer.outbox));
                if targets.len() >= a.want {
                    break;
                }
            }
        }
        swarm.counts()
    }

    /// The connection of WebSocket peer `peer_id`, to relay an answer to it.
    pub fn ws_outbox(&self, info_hash: &InfoHash, peer_id: &PeerId) -> Option<Arc<Outbox>> {
        let shard = self.shard(info_hash);
        let peer = shard.get(info_hash)?.ws.get(peer_id)?;
        Some(Arc::clone(&peer.outbox))
    }

    /// Drops a WebSocket peer if it still belongs to connection `outbox_id` (a peer id that
    /// moved to another connection stays).
    pub fn remove_ws(&self, info_hash: &InfoHash, peer_id: &PeerId, outbox_id: u64) {
        let mut shard = self.shard(info_hash);
        let Some(swarm) = shard.get_mut(info_hash) else {
            return;
        };
        if swarm
            .ws
            .get(peer_id)
            .is_some_and(|p| p.outbox.id == outbox_id)
        {
            if let Some(peer) = swarm.ws.swap_remove(peer_id) {
                swarm.sub(peer.seeder);
            }
            if swarm.len() == 0 {
                shard.remove(info_hash);
            }
        }
    }

    /// Records an HTTP announce from `addr` and pushes up to `want` other HTTP peers onto
    /// `peers`.
    pub fn announce_http(
        &self,
        a: &Announce,
        addr: SocketAddr,
        peer_id: PeerId,
        peers: &mut Vec<(PeerId, SocketAddr)>,
    ) -> Counts {
        let mut shard = self.shard(&a.info_hash);
        if a.event == Event::Stopped {
            return Self::stop(&mut shard, &a.info_hash, |s| {
                s.http.swap_remove(&addr).map(|p| p.seeder)
            });
        }
        let swarm = shard.entry(a.info_hash).or_default();
        match swarm.http.get_mut(&addr) {
            Some(peer) => {
                let was = peer.seeder;
                let seeder = is_seeder(a.event, a.left, Some(was));
                *peer = HttpPeer {
                    peer_id,
                    seen: a.now,
                    seeder,
                };
                swarm.switch(was, seeder);
            }
            None => {
                if swarm.len() >= self.max_peers {
                    swarm.evict_stalest();
                }
                let seeder = is_seeder(a.event, a.left, None);
                swarm.http.insert(
                    addr,
                    HttpPeer {
                        peer_id,
                        seen: a.now,
                        seeder,
                    },
                );
                swarm.add(seeder);
            }
        }
        let len = swarm.http.len();
        let start = random_start(len);
        for i in 0..len {
            if peers.len() >= a.want {
                break;
            }
            if let Some((peer_addr, peer)) = swarm.http.get_index((start + i) % len)
                && *peer_addr != addr
            {
                peers.push((peer.peer_id, *peer_addr));
            }
        }
        swarm.counts()
    }

    fn stop(
        shard: &mut HashMap<InfoHash, Swarm>,
        info_hash: &InfoHash,
        remove: impl FnOnce(&mut Swarm) -> Option<bool>,
    ) -> Counts {
        let Some(swarm) = shard.get_mut(info_hash) else {
            return Counts::default();
        };
        if let Some(seeder) = remove(swarm) {
            swarm.sub(seeder);
        }
        let counts = swarm.counts();
        if swarm.len() == 0 {
            shard.remove(info_hash);
        }
        counts
    }

    pub fn counts(&self, info_hash: &InfoHash) -> Counts {
        self.shard(info_hash)
            .get(info_hash)
            .map(Swarm::counts)
            .unwrap_or_default()
    }

    /// Drops peers last seen before `oldest` and the swarms left empty; returns the number of
    /// peers dropped.
    pub fn sweep(&self, oldest: u32) -> usize {
        let mut dropped = 0;
        for shard in self.shards.iter() {
            let mut shard = match shard.lock() {
                Ok(guard) => guard,
                Err(poisoned) => poisoned.into_inner(),
            };
            shard.retain(|_, swarm| {
                let before = swarm.len();
                swarm.ws.retain(|_, p| p.seen >= oldest);
                swarm.http.retain(|_, p| p.seen >= oldest);
                if swarm.len() != before {
                    dropped += before - swarm.len();
                    swarm.recount();
                }
                swarm.len() > 0
            });
        }
        dropped
    }

    /// Number of swarms and of peers, for logs and the benchmark.
    pub fn size(&self) -> (usize, usize) {
        self.shards.iter().fold((0, 0), |(swarms, peers), shard| {
            let shard = match shard.lock() {
                Ok(guard) => guard,
                Err(poisoned) => poisoned.into_inner(),
            };
            (
                swarms + shard.len(),
                peers + shard.values().map(Swarm::len).sum::<usize>(),
            )
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn announce(event: Event, left: Option<u64>, want: usize, now: u32) -> Announce {
        Announce {
            info_hash: InfoHash([7; 20]),
            event,
            left,
            want,
            now,
        }
    }

    #[test]
    fn counts_follow_events_and_full_swarms_evict_the_stalest() {
        let swarms = Swarms::new(2);
        let (a, _ra) = Outbox::new(1, 1000);
        let (b, _rb) = Outbox::new(2, 1000);
        let (c, _rc) = Outbox::new(3, 1000);
        let mut targets = Vec::new();
        let counts = swarms.announce_ws(
            &announce(Event::Started, Some(10), 5, 0),
            PeerId([1; 20]),
            &a,
            &mut targets,
        );
        assert_eq!((counts.complete, counts.incomplete), (0, 1));
        assert!(targets.is_empty());
        let counts = swarms.announce_ws(
            &announce(Event::Completed, None, 5, 1),
            PeerId([2; 20]),
            &b,
            &mut targets,
        );
        assert_eq!((counts.complete, counts.incomplete), (1, 1));
        assert_eq!(targets.len(), 1);
        assert_eq!(targets[0].id, 1);
        // A third peer evicts peer 1, seen least recently.
        let counts = swarms.announce_ws(
            &announce(Event::Started, Some(5), 0, 2),
            PeerId([3; 20]),
            &c,
            &mut targets,
        );
        assert_eq!((counts.complete, counts.incomplete), (1, 1));
        assert!(
            swarms
                .ws_outbox(&InfoHash([7; 20]), &PeerId([1; 20]))
                .is_none()
        );
        let counts = swarms.announce_ws(
            &announce(Event::Stopped, None, 0, 3),
            PeerId([2; 20]),
            &b,
            &mut targets,
        );
        assert_eq!((counts.complete, counts.incomplete), (0, 1));
        assert_eq!(swarms.sweep(3), 1);
        assert_eq!(swarms.size(), (0, 0));
    }

    #[test]
    fn http_peers_are_keyed_by_address_and_exclude_the_announcer() {
        let swarms = Swarms::new(1000);
        let mut peers = Vec::new();
        let x: SocketAddr = "10.0.0.1:6881".parse().unwrap();
        let y: SocketAddr = "[2001:db8::1]:6881".parse().unwrap();
        swarms.announce_http(
            &announce(Event::Started, Some(1), 50, 0),
            x,
            PeerId([1; 20]),
            &mut peers,
        );
        assert!(peers.is_empty());
        let counts = swarms.announce_http(
            &announce(Event::Started, Some(0), 50, 0),
            y,
            PeerId([2; 20]),
            &mut peers,
        );
        assert_eq!(peers, vec![(PeerId([1; 20]), x)]);
        assert_eq!((counts.complete, counts.incomplete), (1, 1));
    }
}
