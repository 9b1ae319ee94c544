//! The WebTorrent tracker over WebSocket (`GET /tracker/socket`).

mod connection;
pub(crate) mod protocol;
mod session;

use axum::extract::{FromRequestParts, Request, State, WebSocketUpgrade};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::client_ip::{client_ip, socket_peer};
use crate::tracker::Tracker;

/// Read buffer per connection: small, since tracker messages are small and idle browsers many.
const READ_BUFFER: usize = 16 * 1024;
/// Bytes buffered before tungstenite writes to the socket mid-batch.
const WRITE_BUFFER: usize = 32 * 1024;

pub(crate) async fn upgrade(State(tracker): State<Tracker>, request: Request) -> Response {
    let (mut parts, _body) = request.into_parts();
    let inner = tracker.inner;
    let limits = &inner.config.limits;
    let ip = client_ip(
        socket_peer(&parts),
        &parts.headers,
        &inner.config.trust_proxy,
    );
    if inner.guards.is_blocked(ip) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
        Ok(u) => u,
        Err(rejection) => return rejection.into_response(),
    };
    let Some(slot) = inner.guards.connect(ip, limits.max_connections_per_ip) else {
        return (StatusCode::TOO_MANY_REQUESTS, "Too many connections").into_response();
    };
    upgrade
        .max_message_size(limits.max_message_bytes)
        .max_frame_size(limits.max_message_bytes)
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(WRITE_BUFFER)
        .on_upgrade(move |socket| connection::run(inner, socket, ip, slot))
}
