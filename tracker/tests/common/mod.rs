//! Starts the tracker's router on a free loopback port, as the server does.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use ferrotube_tracker::{InfoHash, InfohashRegistry, Tracker, TrackerConfig};
use futures::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub struct Server {
    pub addr: SocketAddr,
    pub registry: Arc<InfohashRegistry>,
    pub tracker: Tracker,
}

pub const KNOWN: [u8; 20] = [0xA1; 20];
pub const OTHER: [u8; 20] = [0x22; 20];

pub async fn start(config: TrackerConfig) -> Server {
    let registry = Arc::new(InfohashRegistry::new());
    registry.insert(InfoHash(KNOWN));
    let tracker = Tracker::new(config, registry.clone());
    let app: axum::Router = ferrotube_tracker::router(tracker.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    Server {
        addr,
        registry,
        tracker,
    }
}

/// One character per byte, as WebTorrent writes ids.
pub fn bin(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

pub fn id(n: u8) -> [u8; 20] {
    let mut id = [n; 20];
    id[0] = 0; // a NUL byte, to exercise JSON escaping
    id[1] = 0xE9; // a non-ASCII byte
    id
}

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Opens `/tracker/socket`, appearing to come from `client_ip` through the loopback proxy.
pub async fn connect(server: &Server, client_ip: &str) -> Result<Ws, String> {
    let mut request = format!("ws://{}/tracker/socket", server.addr)
        .into_client_request()
        .unwrap();
    request
        .headers_mut()
        .insert("x-forwarded-for", client_ip.parse().unwrap());
    match tokio_tungstenite::connect_async(request).await {
        Ok((ws, _)) => Ok(ws),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            Err(response.status().as_u16().to_string())
        }
        Err(e) => Err(e.to_string()),
    }
}

pub async fn send(ws: &mut Ws, v: Value) {
    ws.send(Message::text(v.to_string())).await.unwrap();
}

/// The next text message, or `None` if nothing comes within `wait`, or the socket closes.
pub async fn recv_within(ws: &mut Ws, wait: Duration) -> Option<Value> {
    loop {
        match tokio::time::timeout(wait, ws.next()).await {
            Ok(Some(Ok(Message::Text(t)))) => return Some(serde_json::from_str(&t).unwrap()),
            Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => continue,
            _ => return None,
        }
    }
}

pub async fn recv(ws: &mut Ws) -> Value {
    recv_within(ws, Duration::from_secs(5))
        .await
        .expect("a message from the tracker")
}

/// Whether the tracker closed the socket within `wait`.
pub async fn closed_within(ws: &mut Ws, wait: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, ws.next()).await {
            Ok(None | Some(Err(_)) | Some(Ok(Message::Close(_)))) => return true,
            Ok(Some(Ok(_))) => continue,
            Err(_) => return false,
        }
    }
}
