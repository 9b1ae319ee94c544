//! The HTTP BitTorrent tracker: `GET /tracker/announce` and `GET /tracker/scrape`, bencoded,
//! always answered 200 with a `Content-Length` (errors as `failure reason`).

mod bencode;
mod query;

use std::net::{IpAddr, SocketAddr};

use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};

use self::bencode::Writer;
use crate::client_ip::{client_ip, socket_peer};
use crate::error::TrackerError;
use crate::ids::{InfoHash, PeerId};
use crate::swarm::{Announce, Event};
use crate::tracker::Tracker;

fn reply(body: Vec<u8>) -> Response {
    ([(CONTENT_TYPE, "text/plain")], body).into_response()
}

struct HttpAnnounce {
    info_hash: InfoHash,
    peer_id: PeerId,
    port: u16,
    left: Option<u64>,
    event: Event,
    numwant: Option<usize>,
    compact: bool,
}

fn id20(raw: Option<&str>) -> Option<[u8; 20]> {
    query::decode(raw?).try_into().ok()
}

fn parse_announce(q: &str) -> Result<HttpAnnounce, TrackerError> {
    let (mut info_hash, mut peer_id, mut port, mut left, mut event, mut numwant, mut compact) =
        (None, None, None, None, None, None, false);
    for (key, value) in query::pairs(q) {
        match key {
            "info_hash" => info_hash = Some(value),
            "peer_id" => peer_id = Some(value),
            "port" => port = value.parse::<u16>().ok().filter(|p| *p != 0),
            "left" => left = value.parse::<u64>().ok(),
            "event" => event = Some(value),
            "numwant" => numwant = value.parse::<usize>().ok().filter(|n| *n > 0),
            "compact" => compact = value == "1",
            _ => {}
        }
    }
    Ok(HttpAnnounce {
        info_hash: InfoHash(id20(info_hash).ok_or(TrackerError::Invalid("invalid info_hash"))?),
        peer_id: PeerId(id20(peer_id).ok_or(TrackerError::Invalid("invalid peer_id"))?),
        port: port.ok_or(TrackerError::Invalid("invalid port"))?,
        left,
        event: Event::parse(event),
        numwant,
        compact,
    })
}

pub(crate) async fn announce(State(tracker): State<Tracker>, request: Request) -> Response {
    let (parts, _body) = request.into_parts();
    let inner = &tracker.inner;
    let ip = client_ip(
        socket_peer(&parts),
        &parts.headers,
        &inner.config.trust_proxy,
    );
    let result = parse_announce(parts.uri.query().unwrap_or(""))
        .and_then(|a| inner.admit(&a.info_hash, ip).map(|()| a));
    let a = match result {
        Ok(a) => a,
        Err(e) => return reply(bencode::failure(&e.to_string())),
    };
    let limits = &inner.config.limits;
    let announce = Announce {
        info_hash: a.info_hash,
        event: a.event,
        left: a.left,
        want: a
            .numwant
            .unwrap_or(limits.numwant_default)
            .min(limits.numwant_max),
        now: inner.now(),
    };
    let mut peers = Vec::new();
    let counts = inner.swarms.announce_http(
        &announce,
        SocketAddr::new(ip, a.port),
        a.peer_id,
        &mut peers,
    );

    let mut w = Writer::new();
    w.dict()
        .bytes(b"complete")
        .int(i64::from(counts.complete))
        .bytes(b"incomplete")
        .int(i64::from(counts.incomplete))
        .bytes(b"interval")
        .int(i64::try_from(limits.http_interval.as_secs()).unwrap_or(i64::MAX));
    if a.compact {
        let mut v4 = Vec::with_capacity(peers.len() * 6);
        let mut v6 = Vec::new();
        for (_, addr) in &peers {
            match addr.ip() {
                IpAddr::V4(ip) => v4.extend_from_slice(&ip.octets()),
                IpAddr::V6(ip) => v6.extend_from_slice(&ip.octets()),
            }
            let port = addr.port().to_be_bytes();
            if addr.is_ipv4() { &mut v4 } else { &mut v6 }.extend_from_slice(&port);
        }
        w.bytes(b"peers").bytes(&v4).bytes(b"peers6").bytes(&v6);
    } else {
        w.bytes(b"peers").list();
        for (peer_id, addr) in &peers {
            w.dict()
                .bytes(b"ip")
                .bytes(addr.ip().to_string().as_bytes())
                .bytes(b"peer id")
                .bytes(&peer_id.0)
                .bytes(b"port")
                .int(i64::from(addr.port()))
                .end();
        }
        w.end();
    }
    w.end();
    reply(w.0)
}

pub(crate) async fn scrape(State(tracker): State<Tracker>, request: Request) -> Response {
    let inner = &tracker.inner;
    if !inner.config.enabled {
        return reply(bencode::failure(&TrackerError::Disabled.to_string()));
    }
    let limits = &inner.config.limits;
    let mut hashes = Vec::new();
    for (key, value) in query::pairs(request.uri().query().unwrap_or("")) {
        if key != "info_hash" {
            continue;
        }
        match id20(Some(value)) {
            Some(h) => hashes.push(InfoHash(h)),
            None => return reply(bencode::failure("invalid info_hash")),
        }
    }
    // Bencoded dictionary keys must be sorted.
    hashes.sort_unstable();
    hashes.dedup();
    hashes.truncate(limits.max_scrape_hashes);

    let mut w = Writer::new();
    w.dict().bytes(b"files").dict();
    for info_hash in &hashes {
        let counts = inner.swarms.counts(info_hash);
        w.bytes(&info_hash.0)
            .dict()
            .bytes(b"complete")
            .int(i64::from(counts.complete))
            .bytes(b"downloaded")
            .int(i64::from(counts.complete))
            .bytes(b"incomplete")
            .int(i64::from(counts.incomplete))
            .end();
    }
    w.end()
        .bytes(b"flags")
        .dict()
        .bytes(b"min_request_interval")
        .int(i64::try_from(limits.http_interval.as_secs()).unwrap_or(i64::MAX))
        .end()
        .end();
    reply(w.0)
}
