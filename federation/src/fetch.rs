//! Outgoing ActivityPub fetches: signed by the server actor, refused to private addresses
//! (unless `federation.prevent_ssrf` is off), bounded in size, time and redirects, and checked
//! for an `id` on the fetched host, as PeerTube fetches.

use std::net::{IpAddr, SocketAddr};
use std::sync::OnceLock;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::bootstrap::SERVER_ACTOR_NAME;
use crate::error::FederationError;
use crate::models::actor::Actor;
use crate::signatures::http;
use crate::state::AppState;

/// PeerTube's limits on AP fetches.
pub const MAX_BODY: usize = 3000 * 1024;
pub const TIMEOUT: Duration = Duration::from_secs(7);
pub const MAX_REDIRECTS: usize = 10;
pub const ACCEPT: &str = "application/activity+json, application/ld+json";

/// Whether an address is one a public fetch must not reach.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.octets()[0] == 0
                // 100.64.0.0/10, carrier-grade NAT
                || (v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
    }
}

/// Resolves with the system resolver and refuses the host if any of its addresses is private.
struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let host = name.as_str().to_string();
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if addrs.is_empty() || addrs.iter().any(|a| is_private(a.ip())) {
                return Err(format!("{host} resolves to a private address").into());
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

fn literal_is_private(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => is_private(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => is_private(IpAddr::V6(ip)),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => true,
    }
}

/// The shared client for federation traffic (fetches and deliveries): one per SSRF mode so
/// connections are pooled.
pub fn client(prevent_ssrf: bool) -> Result<&'static reqwest::Client, FederationError> {
    static SAFE: OnceLock<reqwest::Client> = OnceLock::new();
    static OPEN: OnceLock<reqwest::Client> = OnceLock::new();
    let cell = if prevent_ssrf { &SAFE } else { &OPEN };
    if let Some(c) = cell.get() {
        return Ok(c);
    }
    let policy = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() >= MAX_REDIRECTS {
            attempt.error("too many redirects")
        } else if prevent_ssrf && literal_is_private(attempt.url()) {
            attempt.error("redirect to a private address")
        } else {
            attempt.follow()
        }
    });
    let mut builder = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(policy)
        .user_agent(concat!("ferrotube/", env!("CARGO_PKG_VERSION")))
        .pool_idle_timeout(Duration::from_secs(60));
    if prevent_ssrf {
        builder = builder.dns_resolver(std::sync::Arc::new(PublicOnly));
    }
    let built = builder
        .build()
        .map_err(|e| FederationError::Internal(format!("http client: {e}")))?;
    Ok(cell.get_or_init(|| built))
}

/// A host that answers a fetch is up: deliveries paused for it resume (`crate::host_health`).
/// A 5xx may come from a proxy in front of a dead instance, so it does not count.
async fn answered(state: &AppState, url: &url::Url, status: reqwest::StatusCode) {
    if !status.is_server_error() {
        crate::host_health::answered_quietly(state, &url_host(url)).await;
    }
}

/// `host[:port]` of a URL, as compared between an object's id and where it was fetched.
pub fn url_host(url: &url::Url) -> String {
    http::host_header(url)
}

fn bad(msg: impl Into<String>) -> FederationError {
    FederationError::BadRequest(msg.into())
}

/// Reads a body of at most `MAX_BODY` bytes.
async fn read_body(url: &str, resp: reqwest::Response) -> Result<Vec<u8>, FederationError> {
    read_body_limited(url, resp, MAX_BODY).await
}

async fn read_body_limited(
    url: &str,
    mut resp: reqwest::Response,
    max: usize,
) -> Result<Vec<u8>, FederationError> {
    if resp.content_length().is_some_and(|n| n > max as u64) {
        return Err(bad(format!("{url}: body too large")));
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| bad(format!("reading {url}: {e}")))?
    {
        if body.len() + chunk.len() > max {
            return Err(bad(format!("{url}: body too large")));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// GETs a remote file (an image of a remote video or actor) of at most `max` bytes, unsigned,
/// with the same SSRF guard as the other fetches.
pub async fn fetch_file(
    state: &AppState,
    url: &str,
    max: usize,
) -> Result<Vec<u8>, FederationError> {
    let parsed = url::Url::parse(url).map_err(|_| bad(format!("bad file URL {url}")))?;
    let prevent = state.config.federation.prevent_ssrf;
    if prevent && literal_is_private(&parsed) {
        return Err(bad(format!("{url} is a private address")));
    }
    let resp = client(prevent)?
        .get(parsed)
        .send()
        .await
        .map_err(|e| bad(format!("fetching {url}: {e}")))?;
    if !resp.status().is_success() {
        return Err(bad(format!("fetching {url}: status {}", resp.status())));
    }
    read_body_limited(url, resp, max).await
}

/// The `id` of a fetched document, to check its host before reading the rest.
#[derive(Deserialize)]
struct IdOnly {
    #[serde(default)]
    id: Option<String>,
}

/// GETs an ActivityPub document as `T`. 404 and 410 come back as `NotFound` (the object is
/// gone); other failures, a document of another shape, or an id on another host than the one
/// answering, as `BadRequest`.
pub async fn fetch_object<T: DeserializeOwned>(
    state: &AppState,
    url: &str,
) -> Result<T, FederationError> {
    let parsed = url::Url::parse(url).map_err(|_| bad(format!("invalid URL {url}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(bad(format!("unsupported scheme in {url}")));
    }
    let prevent = state.config.federation.prevent_ssrf;
    if prevent && literal_is_private(&parsed) {
        return Err(bad(format!("{url} is a private address")));
    }
    let mut req = client(prevent)?
        .get(parsed.clone())
        .header(reqwest::header::ACCEPT, ACCEPT);
    if state.config.federation.sign_federated_fetches {
        let mut conn = state.conn().await?;
        if let Some(actor) = Actor::find_local_by_name(&mut conn, SERVER_ACTOR_NAME).await?
            && let Some(pem) = &actor.private_key_pem
        {
            let signed = http::sign_get(&parsed, &actor.url, pem)?;
            for (k, v) in signed.pairs() {
                if k != "host" {
                    req = req.header(k, v);
                }
            }
        }
    }
    let resp = req
        .send()
        .await
        .map_err(|e| bad(format!("fetching {url}: {e}")))?;
    let status = resp.status();
    answered(state, &parsed, status).await;
    if status == reqwest::StatusCode::NOT_FOUND || status == reqwest::StatusCode::GONE {
        return Err(FederationError::NotFound(format!(
            "{url} is gone ({status})"
        )));
    }
    if !status.is_success() {
        return Err(bad(format!("fetching {url}: status {status}")));
    }
    let final_host = url_host(resp.url());
    let body = read_body(url, resp).await?;
    let head: IdOnly =
        serde_json::from_slice(&body).map_err(|e| bad(format!("{url}: not JSON: {e}")))?;
    if let Some(id) = head.id {
        let id_host = url::Url::parse(&id)
            .map(|u| url_host(&u))
            .unwrap_or_default();
        if !id_host.eq_ignore_ascii_case(&final_host) {
            return Err(bad(format!("{url}: id {id} is not on {final_host}")));
        }
    }
    serde_json::from_slice(&body).map_err(|e| bad(format!("{url}: unexpected document: {e}")))
}

/// GETs plain JSON (WebFinger, NodeInfo) as `T` with the same limits, unsigned.
pub async fn fetch_plain<T: DeserializeOwned>(
    state: &AppState,
    url: &str,
) -> Result<T, FederationError> {
    let parsed = url::Url::parse(url).map_err(|_| bad(format!("invalid URL {url}")))?;
    let prevent = state.config.federation.prevent_ssrf;
    if prevent && literal_is_private(&parsed) {
        return Err(bad(format!("{url} is a private address")));
    }
    let resp = client(prevent)?
        .get(parsed.clone())
        .header(
            reqwest::header::ACCEPT,
            "application/json, application/jrd+json",
        )
        .send()
        .await
        .map_err(|e| bad(format!("fetching {url}: {e}")))?;
    answered(state, &parsed, resp.status()).await;
    if !resp.status().is_success() {
        return Err(if resp.status() == reqwest::StatusCode::NOT_FOUND {
            FederationError::NotFound(format!("{url}: not found"))
        } else {
            bad(format!("fetching {url}: status {}", resp.status()))
        });
    }
    let body = read_body(url, resp).await?;
    serde_json::from_slice(&body).map_err(|e| bad(format!("{url}: unexpected document: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn names_resolving_to_private_addresses_are_refused() {
        let Ok(name) = "localhost".parse::<Name>() else {
            panic!("name");
        };
        assert!(PublicOnly.resolve(name).await.is_err());
        for url in [
            "http://127.0.0.1:9000/x",
            "http://[::1]/",
            "http://localhost/",
            "http://10.0.0.1/",
        ] {
            let Ok(u) = url::Url::parse(url) else {
                panic!("{url}")
            };
            assert!(literal_is_private(&u), "{url}");
        }
        let Ok(u) = url::Url::parse("https://framatube.org/accounts/peertube") else {
            panic!("url");
        };
        assert!(!literal_is_private(&u));
    }

    #[test]
    fn private_ranges_are_refused() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.16.5.5",
            "::1",
            "fd00::1",
            "169.254.1.1",
            "100.64.0.1",
            "::ffff:127.0.0.1",
        ] {
            let Ok(ip) = ip.parse::<IpAddr>() else {
                panic!("{ip}")
            };
            assert!(is_private(ip), "{ip}");
        }
        for ip in ["1.1.1.1", "2606:4700::1111"] {
            let Ok(ip) = ip.parse::<IpAddr>() else {
                panic!("{ip}")
            };
            assert!(!is_private(ip), "{ip}");
        }
    }
}
