//! What one WebSocket connection's messages do to the swarms: announce, relay offers and
//! answers, scrape. Synchronous; the connection task does the I/O.

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use indexmap::IndexSet;

use super::protocol::{self, Action, Hashes, Request};
use crate::error::TrackerError;
use crate::ids::{InfoHash, PeerId, from_binary_str};
use crate::outbox::Outbox;
use crate::swarm::{Announce, Event};
use crate::tracker::Inner;

/// The result of one client message.
#[derive(Default)]
pub(crate) struct Outcome {
    /// Sent to this client.
    pub reply: Option<String>,
    /// Disconnect after the reply (unknown infohash).
    pub close: bool,
}

impl Outcome {
    fn reply(text: String) -> Self {
        Self {
            reply: Some(text),
            close: false,
        }
    }
}

pub(crate) struct Session {
    tracker: Arc<Inner>,
    ip: IpAddr,
    outbox: Arc<Outbox>,
    /// The (swarm, peer) pairs announced on this connection, to leave them when it closes.
    /// Pairs, not swarms: a WebTorrent process runs all its clients over one socket per
    /// tracker. Bounded by `max_swarms_per_connection`.
    joined: IndexSet<(InfoHash, PeerId)>,
    targets: Vec<Arc<Outbox>>,
}

impl Session {
    pub fn new(tracker: Arc<Inner>, ip: IpAddr, outbox: Arc<Outbox>) -> Self {
        Self {
            tracker,
            ip,
            outbox,
            joined: IndexSet::new(),
            targets: Vec::new(),
        }
    }

    /// A reply to this client was dropped (it does not read fast enough).
    pub fn reply_dropped(&self) {
        self.tracker.replies_dropped.fetch_add(1, Ordering::Relaxed);
    }

    pub fn handle(&mut self, text: &str) -> Outcome {
        let request: Request<'_> = match serde_json::from_str(text) {
            Ok(r) => r,
            Err(_) => {
                return Outcome::reply(protocol::failure(
                    Action::Announce,
                    "invalid request",
                    None,
                ));
            }
        };
        match request.action {
            Action::Announce => self.announce(request),
            Action::Scrape => self.scrape(request),
        }
    }

    fn announce(&mut self, req: Request<'_>) -> Outcome {
        let info_hash = match &req.info_hash {
            Some(Hashes::One(s)) => from_binary_str(s),
            _ => None,
        };
        let Some(info_hash) = info_hash.map(InfoHash) else {
            return Outcome::reply(protocol::failure(
                Action::Announce,
                "invalid info_hash",
                None,
            ));
        };
        let fail = |reason: &str| protocol::failure(Action::Announce, reason, Some(&info_hash.0));
        let Some(peer_id) = req.peer_id.as_deref().and_then(from_binary_str).map(PeerId) else {
            return Outcome::reply(fail("invalid peer_id"));
        };
        if let Err(e) = self.tracker.admit(&info_hash, self.ip) {
            let unknown = matches!(e, TrackerError::UnknownInfoHash(_));
            if unknown {
                let limits = &self.tracker.config.limits;
                self.tracker.guards.block(self.ip, limits.block_duration);
                tracing::debug!(ip = %self.ip, %info_hash, "unknown infohash, IP blocked");
            }
            return Outcome {
                reply: Some(fail(&e.to_string())),
                close: unknown,
            };
        }
        let answer = match (req.answer, req.offer_id, req.to_peer_id.as_deref()) {
            (None, _, _) => None,
            (Some(answer), Some(offer_id), Some(to)) if protocol::is_json_string(offer_id) => {
                match from_binary_str(to) {
                    Some(to) => Some((answer, offer_id, PeerId(to))),
                    None => return Outcome::reply(fail("invalid to_peer_id")),
                }
            }
            _ => return Outcome::reply(fail("invalid answer")),
        };
        let tracker = Arc::clone(&self.tracker);
        let limits = &tracker.config.limits;
        let mut offers = req.offers.unwrap_or_default();
        offers.truncate(limits.max_offers_per_announce.min(limits.numwant_max));
        if offers.iter().any(|o| !protocol::is_json_string(o.offer_id)) {
            return Outcome::reply(fail("invalid offer_id"));
        }
        let announce = Announce {
            info_hash,
            event: Event::parse(req.event.as_deref()),
            left: req
                .left
                .filter(|l| l.is_finite() && *l >= 0.0)
                .map(|l| l as u64),
            want: offers.len(),
            now: tracker.now(),
        };
        self.targets.clear();
        let counts =
            tracker
                .swarms
                .announce_ws(&announce, peer_id, &self.outbox, &mut self.targets);
        self.remember(info_hash, peer_id, announce.event);

        for (target, offer) in self.targets.drain(..).zip(&offers) {
            let sent = target.push(protocol::relayed(
                "offer",
                offer.offer,
                offer.offer_id,
                &peer_id.0,
                &info_hash.0,
            ));
            tracker.count_relay(sent);
        }
        if let Some((answer, offer_id, to)) = answer {
            // PeerTube's tracker sends nothing back for an answer.
            if let Some(target) = tracker.swarms.ws_outbox(&info_hash, &to) {
                let sent = target.push(protocol::relayed(
                    "answer",
                    answer,
                    offer_id,
                    &peer_id.0,
                    &info_hash.0,
                ));
                tracker.count_relay(sent);
            }
            return Outcome::default();
        }
        let interval = limits.ws_interval.as_secs();
        Outcome::reply(protocol::announce_response(&info_hash.0, counts, interval))
    }

    /// Tracks swarm membership; past the cap the oldest membership is given up.
    fn remember(&mut self, info_hash: InfoHash, peer_id: PeerId, event: Event) {
        if event == Event::Stopped {
            self.joined.swap_remove(&(info_hash, peer_id));
            return;
        }
        if self.joined.insert((info_hash, peer_id))
            && self.joined.len() > self.tracker.config.limits.max_swarms_per_connection
            && let Some((old_hash, old_peer)) = self.joined.shift_remove_index(0)
        {
            self.tracker
                .swarms
                .remove_ws(&old_hash, &old_peer, self.outbox.id);
        }
    }

    fn scrape(&mut self, req: Request<'_>) -> Outcome {
        if !self.tracker.config.enabled {
            return Outcome::reply(protocol::failure(
                Action::Scrape,
                &TrackerError::Disabled.to_string(),
                None,
            ));
        }
        let hashes: Vec<&str> = match &req.info_hash {
            Some(Hashes::One(s)) => vec![s.as_ref()],
            Some(Hashes::Many(v)) => v.iter().map(|s| s.as_ref()).collect(),
            None => Vec::new(),
        };
        let limits = &self.tracker.config.limits;
        let mut files = Vec::with_capacity(hashes.len().min(limits.max_scrape_hashes));
        for hash in hashes.into_iter().take(limits.max_scrape_hashes) {
            let Some(info_hash) = from_binary_str(hash) else {
                return Outcome::reply(protocol::failure(
                    Action::Scrape,
                    "invalid info_hash",
                    None,
                ));
            };
            files.push((info_hash, self.tracker.swarms.counts(&InfoHash(info_hash))));
        }
        let interval = limits.http_interval.as_secs();
        Outcome::reply(protocol::scrape_response(&files, interval))
    }
}

impl Drop for Session {
    /// A closed connection leaves every swarm it was in, as if it had sent `stopped`.
    fn drop(&mut self) {
        for (info_hash, peer_id) in self.joined.drain(..) {
            self.tracker
                .swarms
                .remove_ws(&info_hash, &peer_id, self.outbox.id);
        }
    }
}
