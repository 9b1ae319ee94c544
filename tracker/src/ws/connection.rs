//! One WebSocket connection, as two halves polled together in one task:
//! - the reader handles client messages and queues their replies (a bounded queue: replies to
//!   a client that does not read them are dropped; the reader never waits on the writer);
//! - the writer sends replies and the messages other peers relay to this client (the outbox,
//!   bounded in bytes: relays beyond it are dropped), taking from both in turn so neither
//!   starves, and flushes once per batch.
//!
//! A flush that cannot complete within `write_timeout`, or a client silent for `idle_timeout`
//! (pings every `ping_interval`), ends the connection.

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::extract::ws::{Message, Utf8Bytes, WebSocket};
use futures::stream::{SplitSink, SplitStream};
use futures::{FutureExt, SinkExt, StreamExt};
use tokio::sync::mpsc;

use super::session::Session;
use crate::config::TrackerLimits;
use crate::guard::ConnectionSlot;
use crate::outbox::Outbox;
use crate::tracker::Inner;

/// Replies waiting for the writer; beyond this they are dropped.
const REPLY_QUEUE: usize = 64;
/// Messages written back to back before a flush.
const WRITE_BATCH: usize = 64;
/// Client messages handled back to back before yielding to the writer.
const READ_BATCH: usize = 32;
/// `interval` panics on zero; a zero setting means "as often as sensible".
const MIN_TICK: Duration = Duration::from_millis(10);

pub(crate) async fn run(tracker: Arc<Inner>, socket: WebSocket, ip: IpAddr, slot: ConnectionSlot) {
    tracker.open_connections.fetch_add(1, Ordering::Relaxed);
    let id = tracker.next_connection_id();
    let limits = tracker.config.limits.clone();
    let (outbox, relays) = Outbox::new(id, limits.outbox_bytes);
    let session = Session::new(Arc::clone(&tracker), ip, Arc::clone(&outbox));
    let (sink, stream) = socket.split();
    let (reply_tx, reply_rx) = mpsc::channel(REPLY_QUEUE);
    tracing::trace!(connection = id, %ip, "tracker socket opened");

    let reader = read_loop(stream, session, reply_tx, &limits);
    let writer = write_loop(sink, reply_rx, relays, &outbox, &limits);
    tokio::pin!(reader, writer);
    tokio::select! {
        _ = &mut writer => {}
        _ = &mut reader => {
            // The reader is done (client gone, or refused): send what is queued, then close.
            let _ = tokio::time::timeout(limits.write_timeout, &mut writer).await;
        }
    }

    drop(slot);
    tracker.open_connections.fetch_sub(1, Ordering::Relaxed);
    tracing::trace!(connection = id, "tracker socket closed");
}

/// Owns the session: when it ends the client leaves its swarms.
async fn read_loop(
    mut stream: SplitStream<WebSocket>,
    mut session: Session,
    replies: mpsc::Sender<Message>,
    limits: &TrackerLimits,
) {
    let mut ping = tokio::time::interval(limits.ping_interval.max(MIN_TICK));
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ping.tick().await;
    let mut last_heard = Instant::now();
    loop {
        tokio::select! {
            message = stream.next() => {
                let Some(Ok(message)) = message else { return };
                last_heard = Instant::now();
                if !handle(&mut session, message, &replies) {
                    return;
                }
                for _ in 1..READ_BATCH {
                    match stream.next().now_or_never() {
                        Some(Some(Ok(message))) => {
                            if !handle(&mut session, message, &replies) {
                                return;
                            }
                        }
                        Some(_) => return,
                        None => break,
                    }
                }
            }
            _ = ping.tick() => {
                if last_heard.elapsed() > limits.idle_timeout {
                    return;
                }
                let _ = replies.try_send(Message::Ping(Default::default()));
            }
        }
    }
}

/// Handles one client message; false when the connection must end.
fn handle(session: &mut Session, message: Message, replies: &mpsc::Sender<Message>) -> bool {
    let outcome = match &message {
        Message::Text(text) => session.handle(text.as_str()),
        Message::Binary(data) => match std::str::from_utf8(data) {
            Ok(text) => session.handle(text),
            Err(_) => return true,
        },
        Message::Close(_) => return false,
        Message::Ping(_) | Message::Pong(_) => return true,
    };
    if let Some(reply) = outcome.reply {
        // Never wait on the writer: a client that neither reads nor stops sending would
        // otherwise deadlock with us, both sides' socket buffers full. Its replies are dropped.
        match replies.try_send(Message::Text(reply.into())) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => session.reply_dropped(),
            Err(mpsc::error::TrySendError::Closed(_)) => return false,
        }
    }
    !outcome.close
}

async fn write_loop(
    mut sink: SplitSink<WebSocket, Message>,
    mut replies: mpsc::Receiver<Message>,
    mut relays: mpsc::UnboundedReceiver<Utf8Bytes>,
    outbox: &Outbox,
    limits: &TrackerLimits,
) {
    let timeout = limits.write_timeout;
    let relay = |text: Utf8Bytes| {
        outbox.taken(text.as_str().len());
        Message::Text(text)
    };
    loop {
        let first = tokio::select! {
            biased;
            reply = replies.recv() => match reply {
                Some(reply) => reply,
                // The reader is done: close politely.
                None => {
                    let _ = tokio::time::timeout(timeout, sink.close()).await;
                    return;
                }
            },
            Some(text) = relays.recv() => relay(text),
        };
        if !matches!(
            tokio::time::timeout(timeout, sink.feed(first)).await,
            Ok(Ok(()))
        ) {
            return;
        }
        // Take what else is ready, alternating replies and relays.
        for _ in 1..WRITE_BATCH {
            let mut wrote = false;
            for message in [replies.try_recv().ok(), relays.try_recv().ok().map(relay)]
                .into_iter()
                .flatten()
            {
                wrote = true;
                if !matches!(
                    tokio::time::timeout(timeout, sink.feed(message)).await,
                    Ok(Ok(()))
                ) {
                    return;
                }
            }
            if !wrote {
                break;
            }
        }
        if !matches!(
            tokio::time::timeout(timeout, sink.flush()).await,
            Ok(Ok(()))
        ) {
            return;
        }
    }
}
