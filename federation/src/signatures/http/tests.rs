//! The Mastodon fixtures PeerTube tests its verifier with, each giving its expected answer.

use axum::http::{HeaderMap, HeaderName, HeaderValue, Method};
use serde_json::Value;

use super::*;

/// A capture under `ap-fixtures/` of the reference folder.
fn fixture(relative: &str) -> Value {
    ferrotube_test_support::reference::load(&format!("ap-fixtures/{relative}"))
}

/// The body as Mastodon (Ruby's `to_json`) wrote it: compact, `<>&` escaped.
fn ruby_json(v: &Value) -> Vec<u8> {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .into_bytes()
}

fn headers_of(req: &Value) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in req["headers"].as_object().into_iter().flatten() {
        let (Ok(name), Some(Ok(value))) = (
            HeaderName::try_from(k.as_str()),
            v.as_str().map(HeaderValue::from_str),
        ) else {
            panic!("bad header {k}");
        };
        h.insert(name, value);
    }
    h
}

fn key(file: &str) -> String {
    match fixture(file)["publicKey"].as_str() {
        Some(k) => k.to_string(),
        None => panic!("{file}: no publicKey"),
    }
}

/// Verifies a captured request as PeerTube's test does (POST to `/accounts/ronan/inbox`),
/// without the clock: the captures are from 2018.
fn verify_fixture(req: &Value, body: &[u8], pem: &str) -> Result<bool, FederationError> {
    let headers = headers_of(req);
    let sig = parse(&headers)?;
    let incoming = IncomingRequest {
        method: &Method::POST,
        path_and_query: "/accounts/ronan/inbox",
        headers: &headers,
        body,
    };
    let signing = check(&incoming, &sig, None)?;
    verify(&sig, &signing, pem)
}

#[test]
fn mastodon_good_signature_verifies() {
    let req = fixture("mastodon/http-signature.json");
    let pem = key("mastodon/public-key.json");
    let body = ruby_json(&req["body"]);
    assert!(matches!(verify_fixture(&req, &body, &pem), Ok(true)));
}

#[test]
fn mastodon_bad_signature_fails() {
    let req = fixture("mastodon/bad-http-signature.json");
    let pem = key("mastodon/public-key.json");
    let body = ruby_json(&req["body"]);
    assert!(matches!(verify_fixture(&req, &body, &pem), Ok(false)));
}

#[test]
fn mastodon_bad_body_fails_on_digest() {
    let req = fixture("mastodon/bad-body-http-signature.json");
    let pem = key("mastodon/public-key.json");
    let mut body = req["body"].clone();
    body["actor"] = Value::String("http://localhost:3000/users/intruder".into());
    match verify_fixture(&req, &ruby_json(&body), &pem) {
        Err(FederationError::Forbidden(m)) => assert_eq!(m, "Invalid digest"),
        other => panic!("expected an invalid digest, got {other:?}"),
    }
}

#[test]
fn mastodon_bad_public_key_fails() {
    let req = fixture("mastodon/http-signature.json");
    let pem = key("mastodon/bad-public-key.json");
    let body = ruby_json(&req["body"]);
    assert!(!matches!(verify_fixture(&req, &body, &pem), Ok(true)));
}

#[test]
fn fixture_dates_fail_the_clock_check() {
    let req = fixture("mastodon/http-signature.json");
    let headers = headers_of(&req);
    let Ok(sig) = parse(&headers) else {
        panic!("parse");
    };
    let body = ruby_json(&req["body"]);
    let incoming = IncomingRequest {
        method: &Method::POST,
        path_and_query: "/accounts/ronan/inbox",
        headers: &headers,
        body: &body,
    };
    assert!(check(&incoming, &sig, Some(SystemTime::now())).is_err());
}

#[test]
fn own_signatures_round_trip_with_peertube_keys() {
    let keys = fixture("peertube/keys.json");
    let (Some(private), Some(public)) = (keys["privateKey"].as_str(), keys["publicKey"].as_str())
    else {
        panic!("keys.json");
    };
    let Ok(url) = url::Url::parse("http://127.0.0.1:9001/accounts/peertube/inbox") else {
        panic!("url");
    };
    let body = br#"{"type":"Follow"}"#;
    let Ok(signed) = sign_post(
        &url,
        body,
        "http://127.0.0.1:9002/accounts/peertube",
        private,
    ) else {
        panic!("sign");
    };
    assert!(signed.signature.starts_with(
        "keyId=\"http://127.0.0.1:9002/accounts/peertube\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest\""
    ));
    let mut headers = HeaderMap::new();
    for (k, v) in signed.pairs() {
        let Ok(v) = HeaderValue::from_str(&v) else {
            panic!("header");
        };
        headers.insert(k, v);
    }
    let Ok(sig) = parse(&headers) else {
        panic!("parse");
    };
    assert_eq!(sig.actor_url(), "http://127.0.0.1:9002/accounts/peertube");
    let incoming = IncomingRequest {
        method: &Method::POST,
        path_and_query: "/accounts/peertube/inbox",
        headers: &headers,
        body,
    };
    let Ok(signing) = check(&incoming, &sig, Some(SystemTime::now())) else {
        panic!("check");
    };
    assert!(matches!(verify(&sig, &signing, public), Ok(true)));
    let tampered = IncomingRequest {
        body: b"{}",
        ..incoming
    };
    assert!(check(&tampered, &sig, Some(SystemTime::now())).is_err());
}
