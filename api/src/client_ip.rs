//! The client's address, believing `X-Forwarded-For` only from trusted proxies.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use ferrotube_federation::AppState;

pub struct ClientIp(pub IpAddr);

fn trusted(peer: IpAddr, trust: &[String]) -> bool {
    trust.iter().any(|t| match t.as_str() {
        "loopback" => peer.is_loopback(),
        other => other.parse::<IpAddr>().is_ok_and(|ip| ip == peer),
    })
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        if !trusted(peer, &state.config.trust_proxy) {
            return Ok(Self(peer));
        }
        // The right-most address not itself a trusted proxy is the client.
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|s| s.trim().parse::<IpAddr>().ok())
            .collect::<Vec<_>>();
        let client = forwarded
            .iter()
            .rev()
            .find(|ip| !trusted(**ip, &state.config.trust_proxy))
            .or(forwarded.first())
            .copied()
            .unwrap_or(peer);
        Ok(Self(client))
    }
}
