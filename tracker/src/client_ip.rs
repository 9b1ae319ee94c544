//! The client's address as PeerTube's `trust_proxy` sees it: `X-Forwarded-For` is believed only
//! when the connection comes from a trusted proxy.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::HeaderMap;
use axum::http::request::Parts;

fn trusted(ip: IpAddr, trust: &[String]) -> bool {
    trust.iter().any(|t| match t.as_str() {
        "loopback" => ip.is_loopback(),
        other => other.parse::<IpAddr>().is_ok_and(|t| t == ip),
    })
}

/// The socket's peer address, when the server was started with connect info.
pub(crate) fn socket_peer(parts: &Parts) -> Option<SocketAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0)
}

/// The right-most `X-Forwarded-For` address that is not itself a trusted proxy, when the
/// socket peer is trusted; else the socket peer. IPv4-mapped IPv6 addresses become IPv4.
pub(crate) fn client_ip(peer: Option<SocketAddr>, headers: &HeaderMap, trust: &[String]) -> IpAddr {
    let peer = peer.map_or(IpAddr::from([127, 0, 0, 1]), |p| p.ip().to_canonical());
    if !trusted(peer, trust) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse::<IpAddr>().ok())
        .map(|ip| ip.to_canonical())
        .collect();
    forwarded
        .iter()
        .rev()
        .find(|ip| !trusted(**ip, trust))
        .or(forwarded.first())
        .copied()
        .unwrap_or(peer)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_only_from_trusted_proxies() {
        let trust = vec!["loopback".to_owned()];
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "203.0.113.9, 127.0.0.1".parse().unwrap());
        let local: SocketAddr = "127.0.0.1:1".parse().unwrap();
        let remote: SocketAddr = "198.51.100.1:1".parse().unwrap();
        assert_eq!(
            client_ip(Some(local), &headers, &trust).to_string(),
            "203.0.113.9"
        );
        assert_eq!(
            client_ip(Some(remote), &headers, &trust).to_string(),
            "198.51.100.1"
        );
        assert_eq!(
            client_ip(Some(local), &headers, &[]).to_string(),
            "127.0.0.1"
        );
        let mapped: SocketAddr = "[::ffff:198.51.100.2]:1".parse().unwrap();
        assert_eq!(
            client_ip(Some(mapped), &HeaderMap::new(), &trust).to_string(),
            "198.51.100.2"
        );
    }
}
