//! HTTP signatures (cavage draft), written and read the way PeerTube does.
//!
//! activitypub_federation's helpers are crate-private and append `#main-key` to every keyId,
//! and http-signature-normalization hides the signed-header list and checks the clock itself,
//! while PeerTube needs a bare-actor keyId, a check of *which* headers are signed and a
//! two-sided 1800 s skew. So the small cavage format is done here, with the same crates
//! (`rsa`, `sha2`) underneath.

use std::time::{Duration, SystemTime};

use axum::http::{HeaderMap, Method};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::{Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256};

use crate::error::FederationError;

/// PeerTube's accepted clock skew on `date` and `(created)`.
pub const MAX_SKEW: Duration = Duration::from_secs(1800);

/// `SHA-256=<base64>` of the exact body, as the `Digest` header carries it.
pub fn digest(body: &[u8]) -> String {
    format!("SHA-256={}", B64.encode(Sha256::digest(body)))
}

fn forbidden(msg: impl Into<String>) -> FederationError {
    FederationError::Forbidden(msg.into())
}

pub fn private_key(pem: &str) -> Result<RsaPrivateKey, FederationError> {
    RsaPrivateKey::from_pkcs8_pem(pem)
        .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem))
        .map_err(|e| FederationError::Internal(format!("private key: {e}")))
}

/// A public key in SPKI (`BEGIN PUBLIC KEY`) or PKCS#1 (`BEGIN RSA PUBLIC KEY`) PEM.
pub fn public_key(pem: &str) -> Result<RsaPublicKey, FederationError> {
    RsaPublicKey::from_public_key_pem(pem.trim())
        .or_else(|_| RsaPublicKey::from_pkcs1_pem(pem.trim()))
        .map_err(|e| forbidden(format!("invalid public key: {e}")))
}

/// RSA-SHA256 of `data`, base64.
pub fn rsa_sign(key: &RsaPrivateKey, data: &[u8]) -> Result<String, FederationError> {
    key.sign(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(data))
        .map(|s| B64.encode(s))
        .map_err(|e| FederationError::Internal(format!("rsa sign: {e}")))
}

pub fn rsa_verify(key: &RsaPublicKey, data: &[u8], signature_b64: &str) -> bool {
    let Ok(sig) = B64.decode(signature_b64.trim()) else {
        return false;
    };
    key.verify(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(data), &sig)
        .is_ok()
}

/// Headers to add to an outgoing request: `Host`, `Date`, `Digest` (POST) and `Signature`.
#[derive(Debug, Clone)]
pub struct SignedHeaders {
    pub host: String,
    pub date: String,
    pub digest: Option<String>,
    pub signature: String,
}

impl SignedHeaders {
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![("host", self.host.clone()), ("date", self.date.clone())];
        if let Some(d) = &self.digest {
            out.push(("digest", d.clone()));
        }
        out.push(("signature", self.signature.clone()));
        out
    }
}

/// `host[:port]` of a URL as it travels in the `Host` header.
pub fn host_header(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    }
}

fn request_target(method: &Method, url: &url::Url) -> String {
    let mut target = url.path().to_string();
    if let Some(q) = url.query() {
        target.push('?');
        target.push_str(q);
    }
    format!("{} {target}", method.as_str().to_ascii_lowercase())
}

/// Signs a POST of `body` to `url` as PeerTube does: rsa-sha256 over
/// `(request-target) host date digest`, `keyId` the bare actor URL.
pub fn sign_post(
    url: &url::Url,
    body: &[u8],
    key_id: &str,
    private_pem: &str,
) -> Result<SignedHeaders, FederationError> {
    sign(Method::POST, url, Some(digest(body)), key_id, private_pem)
}

/// Signs an ActivityPub GET over `(request-target) host date` (PeerTube's signed fetches).
pub fn sign_get(
    url: &url::Url,
    key_id: &str,
    private_pem: &str,
) -> Result<SignedHeaders, FederationError> {
    sign(Method::GET, url, None, key_id, private_pem)
}

fn sign(
    method: Method,
    url: &url::Url,
    digest: Option<String>,
    key_id: &str,
    private_pem: &str,
) -> Result<SignedHeaders, FederationError> {
    let host = host_header(url);
    let date = httpdate::fmt_http_date(SystemTime::now());
    let mut lines = vec![
        format!("(request-target): {}", request_target(&method, url)),
        format!("host: {host}"),
        format!("date: {date}"),
    ];
    let mut names = "(request-target) host date".to_string();
    if let Some(d) = &digest {
        lines.push(format!("digest: {d}"));
        names.push_str(" digest");
    }
    let key = private_key(private_pem)?;
    let value = rsa_sign(&key, lines.join("\n").as_bytes())?;
    Ok(SignedHeaders {
        host,
        date,
        digest,
        signature: format!(
            "keyId=\"{key_id}\",algorithm=\"rsa-sha256\",headers=\"{names}\",signature=\"{value}\""
        ),
    })
}

/// The parameters of a received `Signature`.
#[derive(Debug, Clone)]
pub struct ParsedSignature {
    pub key_id: String,
    pub algorithm: Option<String>,
    /// Signed header names, lower case, in signing order.
    pub headers: Vec<String>,
    pub signature: String,
    pub created: Option<i64>,
    pub expires: Option<i64>,
}

impl ParsedSignature {
    /// The signer's actor URL: the keyId without its fragment (PeerTube sends none, Mastodon
    /// `#main-key`).
    pub fn actor_url(&self) -> &str {
        self.key_id.split('#').next().unwrap_or(&self.key_id)
    }
}

/// Reads `Signature` (a "Signature " prefix tolerated) or `Authorization: Signature …`.
pub fn parse(headers: &HeaderMap) -> Result<ParsedSignature, FederationError> {
    let raw = headers
        .get("signature")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| {
            headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .filter(|v| v.starts_with("Signature "))
                .map(str::to_string)
        })
        .ok_or_else(|| forbidden("Missing HTTP signature"))?;
    parse_value(&raw)
}

pub fn parse_value(raw: &str) -> Result<ParsedSignature, FederationError> {
    let text = raw.trim();
    let text = text.strip_prefix("Signature ").unwrap_or(text).trim();
    let mut key_id = None;
    let mut algorithm = None;
    let mut headers = None;
    let mut signature = None;
    let mut created = None;
    let mut expires = None;
    for part in split_params(text) {
        let Some((k, v)) = part.split_once('=') else {
            continue;
        };
        let v = v.trim().trim_matches('"').to_string();
        match k.trim() {
            "keyId" => key_id = Some(v),
            "algorithm" => algorithm = Some(v),
            "headers" => headers = Some(v),
            "signature" => signature = Some(v),
            "created" => created = v.parse().ok(),
            "expires" => expires = v.parse().ok(),
            _ => {}
        }
    }
    let headers = headers.unwrap_or_else(|| "date".into());
    Ok(ParsedSignature {
        key_id: key_id.ok_or_else(|| forbidden("Invalid signature: no keyId"))?,
        algorithm,
        headers: headers
            .split_whitespace()
            .map(|h| h.to_ascii_lowercase())
            .collect(),
        signature: signature.ok_or_else(|| forbidden("Invalid signature: no signature"))?,
        created,
        expires,
    })
}

/// Splits on commas outside quotes (a value may contain commas in theory).
fn split_params(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

/// What a received request offers for verification.
pub struct IncomingRequest<'a> {
    pub method: &'a Method,
    /// Path and query as received.
    pub path_and_query: &'a str,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// Checks everything but the key: the digest against the body, the required signed headers
/// (`(request-target) host`, plus `digest` on POST, plus `date` or `(created)`), the algorithm
/// and the clock skew against `now` (`None` skips the clock, for captured fixtures). Returns
/// the signing string.
pub fn check(
    req: &IncomingRequest<'_>,
    sig: &ParsedSignature,
    now: Option<SystemTime>,
) -> Result<String, FederationError> {
    if let Some(alg) = &sig.algorithm {
        let alg = alg.to_ascii_lowercase();
        if alg != "rsa-sha256" && alg != "hs2019" {
            return Err(forbidden(format!("Unsupported signature algorithm {alg}")));
        }
    }
    if let Some(d) = req.headers.get("digest").and_then(|v| v.to_str().ok()) {
        let expected = digest(req.body);
        let ok = d.split(',').any(|part| {
            let part = part.trim();
            part.get(..8)
                .is_some_and(|p| p.eq_ignore_ascii_case("SHA-256="))
                && part[8..] == expected[8..]
        });
        if !ok {
            return Err(forbidden("Invalid digest"));
        }
    }
    let signed = |h: &str| sig.headers.iter().any(|s| s == h);
    let mut required = vec!["(request-target)", "host"];
    if req.method == Method::POST {
        required.push("digest");
    }
    if let Some(missing) = required.iter().find(|h| !signed(h)) {
        return Err(forbidden(format!("Header {missing} is not signed")));
    }
    if !signed("date") && !signed("(created)") {
        return Err(forbidden("Neither date nor (created) is signed"));
    }
    if let Some(now) = now {
        check_clock(req.headers, sig, now)?;
    }
    signing_string(req, sig)
}

fn check_clock(
    headers: &HeaderMap,
    sig: &ParsedSignature,
    now: SystemTime,
) -> Result<(), FederationError> {
    let now_secs = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let skew = MAX_SKEW.as_secs() as i64;
    let mut when = Vec::new();
    if sig.headers.iter().any(|h| h == "date") {
        let date = headers
            .get("date")
            .and_then(|v| v.to_str().ok())
            .and_then(|d| httpdate::parse_http_date(d).ok())
            .ok_or_else(|| forbidden("Invalid date header"))?;
        when.push(
            date.duration_since(SystemTime::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0),
        );
    }
    if sig.headers.iter().any(|h| h == "(created)") {
        when.push(sig.created.ok_or_else(|| forbidden("Missing created"))?);
    }
    if when.iter().any(|t| (now_secs - t).abs() > skew) {
        return Err(forbidden("Clock skew too large"));
    }
    if sig.expires.is_some_and(|e| e + skew < now_secs) {
        return Err(forbidden("Signature expired"));
    }
    Ok(())
}

fn signing_string(
    req: &IncomingRequest<'_>,
    sig: &ParsedSignature,
) -> Result<String, FederationError> {
    let mut lines = Vec::with_capacity(sig.headers.len());
    for name in &sig.headers {
        let value = match name.as_str() {
            "(request-target)" => format!(
                "{} {}",
                req.method.as_str().to_ascii_lowercase(),
                req.path_and_query
            ),
            "(created)" => sig
                .created
                .ok_or_else(|| forbidden("Missing created"))?
                .to_string(),
            "(expires)" => sig
                .expires
                .ok_or_else(|| forbidden("Missing expires"))?
                .to_string(),
            header => {
                let values: Vec<&str> = req
                    .headers
                    .get_all(header)
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .map(str::trim)
                    .collect();
                if values.is_empty() {
                    return Err(forbidden(format!("Missing signed header {header}")));
                }
                values.join(", ")
            }
        };
        lines.push(format!("{name}: {value}"));
    }
    Ok(lines.join("\n"))
}

/// Whether the signature over `signing_string` was made by `public_pem`'s key.
pub fn verify(
    sig: &ParsedSignature,
    signing_string: &str,
    public_pem: &str,
) -> Result<bool, FederationError> {
    let key = public_key(public_pem)?;
    Ok(rsa_verify(&key, signing_string.as_bytes(), &sig.signature))
}

#[cfg(test)]
mod tests;
