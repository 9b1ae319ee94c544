//! One WebSocket connection: reads client messages, writes replies and relayed messages,
//! pings, and closes idle or stuck connections.
//!
//! Writes are batched: replies and queued relays are fed to the socket and flushed once per
//! wake-up. A flush that cannot complete within `write_timeout` closes the connection, so a
//! client that stops reading holds at most its outbox and one socket buffer.

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use axum::extract::ws::{Message, Utf8Bytes, WebSocket};
use futures::{FutureExt, SinkExt, StreamExt};
use tokio::sync::mpsc;

use super::session::Session;
use crate::guard::ConnectionSlot;
use crate::outbox::Outbox;
use crate::tracker::Inner;

/// Client messages handled back to back before the replies are flushed.
const READ_BATCH: usize = 32;
/// Relayed messages written back to back before a flush.
const RELAY_BATCH: usize = 64;

#[derive(Debug)]
struct Closed;

pub(crate) async fn run(tracker: Arc<Inner>, socket: WebSocket, ip: IpAddr, slot: ConnectionSlot) {
    tracker.open_connections.fetch_add(1, Ordering::Relaxed);
    let id = tracker.next_connection_id();
    let (outbox, rx) = Outbox::new(id, tracker.config.limits.outbox_bytes);
    let session = Session::new(Arc::clone(&tracker), ip, Arc::clone(&outbox));
    let mut connection = Connection {
        tracker: Arc::clone(&tracker),
        socket,
        outbox,
        rx,
        session,
    };
    tracing::trace!(connection = id, %ip, "tracker socket opened");
    let _ = connection.serve().await;
    drop(connection);
    drop(slot);
    tracker.open_connections.fetch_sub(1, Ordering::Relaxed);
    tracing::trace!(connection = id, "tracker socket closed");
}

struct Connection {
    tracker: Arc<Inner>,
    socket: WebSocket,
    outbox: Arc<Outbox>,
    rx: mpsc::UnboundedReceiver<Utf8Bytes>,
    session: Session,
}

enum Wake {
    Incoming(Option<Message>),
    Relay(Option<Utf8Bytes>),
    Tick,
}

impl Connection {
    async fn serve(&mut self) -> Result<(), Closed> {
        let limits = self.tracker.config.limits.clone();
        let mut ping = tokio::time::interval(limits.ping_interval);
        ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ping.tick().await;
        let mut last_heard = Instant::now();
        loop {
            let wake = tokio::select! {
                biased;
                m = self.socket.next() => Wake::Incoming(m.and_then(Result::ok)),
                m = self.rx.recv() => Wake::Relay(m),
                _ = ping.tick() => Wake::Tick,
            };
            match wake {
                Wake::Incoming(None) | Wake::Relay(None) => return Err(Closed),
                Wake::Incoming(Some(message)) => {
                    last_heard = Instant::now();
                    self.on_message(message).await?;
                    // Handle what is already buffered before paying for a flush.
                    for _ in 1..READ_BATCH {
                        match self.socket.next().now_or_never() {
                            Some(Some(Ok(message))) => self.on_message(message).await?,
                            Some(_) => return Err(Closed),
                            None => break,
                        }
                    }
                }
                Wake::Relay(Some(text)) => {
                    self.write_relay(text).await?;
                    for _ in 1..RELAY_BATCH {
                        match self.rx.try_recv() {
                            Ok(text) => self.write_relay(text).await?,
                            Err(_) => break,
                        }
                    }
                }
                Wake::Tick => {
                    if last_heard.elapsed() > limits.idle_timeout {
                        return Err(Closed);
                    }
                    self.write(Message::Ping(Default::default())).await?;
                }
            }
            self.timed(|s| s.flush()).await?;
        }
    }

    async fn on_message(&mut self, message: Message) -> Result<(), Closed> {
        let outcome = match &message {
            Message::Text(text) => self.session.handle(text.as_str()),
            Message::Binary(data) => match std::str::from_utf8(data) {
                Ok(text) => self.session.handle(text),
                Err(_) => return Ok(()),
            },
            Message::Close(_) => return Err(Closed),
            Message::Ping(_) | Message::Pong(_) => return Ok(()),
        };
        if let Some(reply) = outcome.reply {
            self.write(Message::Text(reply.into())).await?;
        }
        if outcome.close {
            let _ = self.timed(|s| s.close()).await;
            return Err(Closed);
        }
        Ok(())
    }

    async fn write_relay(&mut self, text: Utf8Bytes) -> Result<(), Closed> {
        self.outbox.taken(text.as_str().len());
        self.write(Message::Text(text)).await
    }

    async fn write(&mut self, message: Message) -> Result<(), Closed> {
        self.timed(|s| s.feed(message)).await
    }

    async fn timed<'a, F, Fut>(&'a mut self, op: F) -> Result<(), Closed>
    where
        F: FnOnce(&'a mut WebSocket) -> Fut,
        Fut: Future<Output = Result<(), axum::Error>>,
    {
        let timeout = self.tracker.config.limits.write_timeout;
        match tokio::time::timeout(timeout, op(&mut self.socket)).await {
            Ok(Ok(())) => Ok(()),
            _ => Err(Closed),
        }
    }
}
