//! A WebSocket connection's queue of messages relayed to it by other peers (offers, answers).
//! It is bounded in bytes: when a reader is slower than its swarm, relays to it are dropped
//! instead of piling up in memory.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::extract::ws::Utf8Bytes;
use tokio::sync::mpsc;

pub(crate) struct Outbox {
    /// Unique per connection, so a peer entry can tell which connection announced it.
    pub id: u64,
    tx: mpsc::UnboundedSender<Utf8Bytes>,
    queued: AtomicUsize,
    limit: usize,
}

impl Outbox {
    pub fn new(id: u64, limit: usize) -> (Arc<Self>, mpsc::UnboundedReceiver<Utf8Bytes>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let outbox = Arc::new(Self {
            id,
            tx,
            queued: AtomicUsize::new(0),
            limit,
        });
        (outbox, rx)
    }

    /// Queues `message` unless the connection already has `limit` bytes waiting or is gone.
    pub fn push(&self, message: String) -> bool {
        let len = message.len();
        let before = self.queued.fetch_add(len, Ordering::Relaxed);
        if before + len > self.limit {
            self.queued.fetch_sub(len, Ordering::Relaxed);
            tracing::trace!(connection = self.id, "outbox full, relay dropped");
            return false;
        }
        if self.tx.send(Utf8Bytes::from(message)).is_err() {
            self.queued.fetch_sub(len, Ordering::Relaxed);
            return false;
        }
        true
    }

    /// The writer took a message of `len` bytes off the queue.
    pub fn taken(&self, len: usize) {
        self.queued.fetch_sub(len, Ordering::Relaxed);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn drops_beyond_the_byte_limit() {
        let (outbox, mut rx) = Outbox::new(1, 10);
        assert!(outbox.push("12345".into()));
        assert!(outbox.push("12345".into()));
        assert!(!outbox.push("1".into()));
        let first = rx.try_recv().unwrap();
        outbox.taken(first.as_str().len());
        assert!(outbox.push("1".into()));
    }
}
