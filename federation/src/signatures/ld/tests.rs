//! Mastodon's signed Create(Note) and PeerTube's keys and activities: each gives the answer
//! PeerTube's own tests expect.

use std::io::ErrorKind;
use std::net::TcpListener;

use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use serde_json::{Value, json};

use super::*;

use ferrotube_test_support::reference::load as reference;

fn string_field<'a>(v: &'a Value, field: &str) -> &'a str {
    v.get(field)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string field {field}"))
}

/// PeerTube's test key pair (PKCS#1 private key).
fn peertube_keys() -> (String, String) {
    let keys = reference("ap-fixtures/peertube/keys.json");
    (
        string_field(&keys, "privateKey").to_owned(),
        string_field(&keys, "publicKey").to_owned(),
    )
}

fn fresh_pkcs8_keys() -> (String, String) {
    let Ok(key) = RsaPrivateKey::new(&mut rand::thread_rng(), 2048) else {
        panic!("key generation failed");
    };
    let (Ok(private), Ok(public)) = (
        key.to_pkcs8_pem(LineEnding::LF),
        RsaPublicKey::from(&key).to_public_key_pem(LineEnding::LF),
    ) else {
        panic!("PEM encoding failed");
    };
    (private.to_string(), public)
}

fn note() -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": "https://ferro.example/videos/watch/1/activity",
        "type": "Create",
        "actor": "https://ferro.example/accounts/alice",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": ["https://ferro.example/accounts/alice/followers"],
        "object": {
            "id": "https://ferro.example/videos/watch/1",
            "type": "Note",
            "content": "<p>héllo \"world\"\nsecond line</p>",
            "published": "2024-05-01T10:00:00.000Z",
            "attributedTo": "https://ferro.example/accounts/alice",
            "tag": [
                { "type": "Mention", "href": "https://a.example/u/1", "name": "@one" },
                { "type": "Mention", "href": "https://b.example/u/2", "name": "@two" }
            ]
        }
    })
}

fn assert_verifies(document: &Value, public_pem: &str) {
    match verify(document, public_pem) {
        Ok(true) => {}
        other => panic!("expected a valid signature, got {other:?}"),
    }
}

fn assert_rejected(document: &Value, public_pem: &str) {
    let result = verify(document, public_pem);
    assert!(!matches!(result, Ok(true)), "accepted a bad signature");
}

/// Every way of changing a signed document must break its signature.
fn assert_tamper_evident(signed: &Value, public_pem: &str) {
    let mut changes: Vec<Value> = Vec::new();

    let mut c = signed.clone();
    c["actor"] = json!("https://evil.example/accounts/mallory");
    changes.push(c);

    let mut c = signed.clone();
    c["object"]["content"] = json!("tampered");
    changes.push(c);

    let mut c = signed.clone();
    c["to"] = json!([]);
    changes.push(c);

    let mut c = signed.clone();
    if let Some(fields) = c.as_object_mut() {
        fields.insert("cc".to_owned(), json!(["https://evil.example/x"]));
    }
    changes.push(c);

    let mut c = signed.clone();
    c["signature"]["created"] = json!("2001-01-01T00:00:00.000Z");
    changes.push(c);

    let mut c = signed.clone();
    c["signature"]["creator"] = json!("https://evil.example/accounts/mallory");
    changes.push(c);

    for (i, changed) in changes.iter().enumerate() {
        assert!(
            matches!(verify(changed, public_pem), Ok(false)),
            "change {i} was not detected"
        );
    }
}

#[test]
fn mastodon_create_verifies_with_its_key() {
    let doc = reference("ap-fixtures/mastodon/create.json");
    let key = reference("ap-fixtures/mastodon/public-key.json");
    assert_verifies(&doc, string_field(&key, "publicKey"));
    assert_eq!(
        creator(&doc),
        Some("http://localhost:3000/users/ronan2#main-key")
    );
}

#[test]
fn mastodon_create_with_bad_signature_is_rejected() {
    let doc = reference("ap-fixtures/mastodon/create-bad-signature.json");
    let key = reference("ap-fixtures/mastodon/public-key.json");
    assert!(matches!(
        verify(&doc, string_field(&key, "publicKey")),
        Ok(false)
    ));
}

#[test]
fn mastodon_create_is_rejected_with_another_key() {
    let doc = reference("ap-fixtures/mastodon/create.json");
    let key = reference("ap-fixtures/mastodon/bad-public-key.json");
    assert_rejected(&doc, string_field(&key, "publicKey"));
}

#[test]
fn mastodon_create_is_rejected_once_changed() {
    let doc = reference("ap-fixtures/mastodon/create.json");
    let key = reference("ap-fixtures/mastodon/public-key.json");
    let mut changed = doc.clone();
    changed["object"]["content"] = json!("<p>something else</p>");
    assert!(matches!(
        verify(&changed, string_field(&key, "publicKey")),
        Ok(false)
    ));
}

#[test]
fn peertube_keys_sign_and_verify() {
    let (private, public) = peertube_keys();
    let creator_url = "https://ferro.example/accounts/alice";
    let signed = match sign(&note(), creator_url, &private) {
        Ok(s) => s,
        Err(e) => panic!("sign: {e}"),
    };
    assert_eq!(signed["signature"]["type"], json!("RsaSignature2017"));
    assert_eq!(creator(&signed), Some(creator_url));
    assert!(string_field(&signed["signature"], "created").ends_with('Z'));
    assert_verifies(&signed, &public);
    assert_tamper_evident(&signed, &public);
}

#[test]
fn fresh_pkcs8_key_signs_and_verifies() {
    let (private, public) = fresh_pkcs8_keys();
    let signed = match sign(&note(), "https://ferro.example/accounts/alice", &private) {
        Ok(s) => s,
        Err(e) => panic!("sign: {e}"),
    };
    assert_verifies(&signed, &public);
    assert_tamper_evident(&signed, &public);
    // Someone else's key does not verify it.
    let (_, other_public) = fresh_pkcs8_keys();
    assert!(matches!(verify(&signed, &other_public), Ok(false)));
}

#[test]
fn invalid_peertube_keys_do_not_verify() {
    let keys = reference("ap-fixtures/peertube/invalid-keys.json");
    let signed = sign(
        &note(),
        "https://ferro.example/accounts/alice",
        string_field(&keys, "privateKey"),
    );
    if let Ok(signed) = signed {
        assert_rejected(&signed, string_field(&keys, "publicKey"));
    }
}

#[test]
fn resigning_replaces_the_signature() {
    let (private, public) = peertube_keys();
    let Ok(key) = parse_private_key(&private) else {
        panic!("key");
    };
    let once = sign_with_key(
        &note(),
        "https://a.example/x",
        "2024-01-01T00:00:00.000Z",
        &key,
    );
    let Ok(once) = once else { panic!("sign") };
    let twice = sign_with_key(
        &once,
        "https://a.example/x",
        "2024-01-01T00:00:00.000Z",
        &key,
    );
    let Ok(twice) = twice else { panic!("sign") };
    // The old signature is not part of what is signed, and RSA PKCS#1 v1.5 is deterministic.
    assert_eq!(once, twice);
    assert_verifies(&twice, &public);
}

#[test]
fn peertube_video_create_signs_and_verifies() {
    let mut activity = reference("live-captures/ap-video-activity-create.json");
    let (private, public) = peertube_keys();
    if let Some(fields) = activity.as_object_mut() {
        fields.remove("signature");
    }
    let actor = string_field(&activity, "actor").to_owned();
    let signed = match sign(&activity, &actor, &private) {
        Ok(s) => s,
        Err(e) => panic!("sign: {e}"),
    };
    assert_verifies(&signed, &public);

    let mut renamed = signed.clone();
    renamed["object"]["name"] = json!("another name");
    assert!(matches!(verify(&renamed, &public), Ok(false)));

    let mut resized = signed.clone();
    if let Some(urls) = resized["object"]["url"].as_array_mut()
        && let Some(first) = urls.iter_mut().find(|u| u.get("height").is_some())
    {
        first["height"] = json!(4321);
        assert!(matches!(verify(&resized, &public), Ok(false)));
    }
}

#[test]
fn every_peertube_capture_canonicalises_offline() {
    for name in [
        "live-captures/ap-video-activity-create.json",
        "live-captures/ap-video-object.json",
        "live-captures/ap-actor-account-person-alice.json",
        "live-captures/ap-actor-channel-group-alice_videos.json",
        "live-captures/ap-comment-note-activity-create.json",
    ] {
        let doc = reference(name);
        match canonicalize(&doc) {
            Ok(nquads) => assert!(!nquads.is_empty(), "{name}: no statements"),
            Err(e) => panic!("{name}: {e}"),
        }
    }
}

#[test]
fn unknown_context_fails_without_any_fetch() {
    let Ok(listener) = TcpListener::bind("127.0.0.1:0") else {
        panic!("bind");
    };
    let Ok(addr) = listener.local_addr() else {
        panic!("addr");
    };
    let url = format!("http://{addr}/context.jsonld");
    let mut doc = note();
    doc["@context"] = json!(["https://www.w3.org/ns/activitystreams", url]);

    let (private, public) = fresh_pkcs8_keys();
    match sign(&doc, "https://ferro.example/accounts/alice", &private) {
        Err(LdError::UnknownContext(u)) => assert_eq!(u, url),
        other => panic!("expected UnknownContext, got {other:?}"),
    }

    // A signed document whose context is later swapped for an unknown one.
    let Ok(mut signed) = sign(&note(), "https://ferro.example/accounts/alice", &private) else {
        panic!("sign");
    };
    signed["object"]["@context"] = json!(url);
    assert!(matches!(
        verify(&signed, &public),
        Err(LdError::UnknownContext(_))
    ));

    let Ok(()) = listener.set_nonblocking(true) else {
        panic!("nonblocking");
    };
    match listener.accept() {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {}
        Ok(_) => panic!("the context was fetched"),
        Err(e) => panic!("accept: {e}"),
    }
}

#[test]
fn bundled_contexts_resolve_offline() {
    for url in [
        "https://www.w3.org/ns/activitystreams",
        "http://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        "https://w3id.org/identity/v1",
    ] {
        let Some(text) = bundled_context(url) else {
            panic!("{url} is not bundled");
        };
        let parsed: Result<Value, _> = serde_json::from_str(text);
        assert!(matches!(parsed, Ok(Value::Object(_))), "{url}");
    }
    assert!(bundled_context("https://schema.org/").is_none());
}

#[test]
fn document_without_linked_data_cannot_be_signed() {
    let (private, _) = peertube_keys();
    let announce = reference("ap-fixtures/peertube/announce-without-context.json");
    assert!(matches!(
        sign(&announce, "https://a.example/x", &private),
        Err(LdError::EmptyDocument)
    ));
}

#[test]
fn missing_or_foreign_signatures_are_errors() {
    let (_, public) = fresh_pkcs8_keys();
    assert!(matches!(
        verify(&note(), &public),
        Err(LdError::MissingSignature)
    ));
    let mut doc = note();
    doc["signature"] = json!({ "type": "Ed25519Signature2018", "signatureValue": "AAAA" });
    assert!(matches!(
        verify(&doc, &public),
        Err(LdError::UnsupportedType(_))
    ));
    doc["signature"] = json!({ "type": "RsaSignature2017", "signatureValue": "%%%" });
    assert!(matches!(
        verify(&doc, &public),
        Err(LdError::MalformedSignature(_))
    ));
    assert!(matches!(verify(&note(), "not a key"), Err(LdError::Key(_))));
    assert!(matches!(
        sign(&json!([1]), "x", "not a key"),
        Err(LdError::Key(_))
    ));
}

#[test]
fn mastodon_and_peertube_option_contexts_agree() {
    // Mastodon hashes the options under identity/v1, PeerTube under security/v1.
    let options = |context: Value| {
        json!({
            "@context": context,
            "creator": "https://a.example/users/u#main-key",
            "created": "2018-10-22T12:43:08Z",
            "nonce": "abc",
        })
    };
    let identity = canonicalize(&options(json!("https://w3id.org/identity/v1")));
    let security = canonicalize(&options(json!([
        "https://w3id.org/security/v1",
        { "RsaSignature2017": "https://w3id.org/security#RsaSignature2017" }
    ])));
    let (Ok(identity), Ok(security)) = (identity, security) else {
        panic!("canonicalisation failed");
    };
    assert_eq!(identity, security);
    assert!(security.contains(
        "<http://purl.org/dc/terms/created> \"2018-10-22T12:43:08Z\"^^<http://www.w3.org/2001/XMLSchema#dateTime>"
    ));
}

#[test]
fn canonical_form_is_what_jsonld_js_produces() {
    let doc = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": "https://a.example/1",
        "type": "Video",
        "name": "tab\there",
        "width": 1.0,
        "duration": "PT5S",
        "undefinedTerm": "dropped",
        "contentMap": { "en": "hi" },
        "url": [{ "type": "Link", "href": "https://a.example/1.mp4" }]
    });
    let Ok(nquads) = canonicalize(&doc) else {
        panic!("canonicalisation failed");
    };
    let expected = "\
<https://a.example/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/ns/activitystreams#Video> .
<https://a.example/1> <https://www.w3.org/ns/activitystreams#content> \"hi\"@en .
<https://a.example/1> <https://www.w3.org/ns/activitystreams#duration> \"PT5S\"^^<http://www.w3.org/2001/XMLSchema#duration> .
<https://a.example/1> <https://www.w3.org/ns/activitystreams#name> \"tab\there\" .
<https://a.example/1> <https://www.w3.org/ns/activitystreams#url> _:c14n0 .
<https://a.example/1> <https://www.w3.org/ns/activitystreams#width> \"1\"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> .
_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/ns/activitystreams#Link> .
_:c14n0 <https://www.w3.org/ns/activitystreams#href> <https://a.example/1.mp4> .
";
    assert_eq!(nquads, expected);
}

#[test]
fn rdfc10_signers_are_accepted_too() {
    // A tab and an emoji: URDNA2015 (jsonld.js ≤ 8) and RDFC-1.0 (jsonld.js ≥ 9, RDF.rb)
    // canonicalise this document differently; signatures made either way verify.
    let (private, public) = peertube_keys();
    let Ok(key) = parse_private_key(&private) else {
        panic!("key");
    };
    let mut doc = note();
    doc["object"]["content"] = json!("a\ttab and an emoji 😀 and \u{FF01}");
    let (Ok(urdna), Ok(rdfc)) = (
        canonicalize_with(&doc, Dialect::Urdna2015),
        canonicalize_with(&doc, Dialect::Rdfc10),
    ) else {
        panic!("canonicalisation failed");
    };
    assert_ne!(urdna, rdfc);

    let Ok(signed) = sign_with_key(&doc, "https://a.example/x", "2024-01-01T00:00:00Z", &key)
    else {
        panic!("sign");
    };
    assert_verifies(&signed, &public);

    let mut options = Map::new();
    options.insert("creator".to_owned(), json!("https://a.example/x"));
    options.insert("created".to_owned(), json!("2024-01-01T00:00:00Z"));
    let Ok(input) = signing_input(&options, &doc, Dialect::Rdfc10) else {
        panic!("signing input");
    };
    let Ok(value) = SigningKey::<Sha256>::new(key).try_sign(input.as_bytes()) else {
        panic!("rsa");
    };
    let mut other = doc.clone();
    other["signature"] = json!({
        "type": "RsaSignature2017",
        "creator": "https://a.example/x",
        "created": "2024-01-01T00:00:00Z",
        "signatureValue": STANDARD.encode(value.to_bytes()),
    });
    assert_verifies(&other, &public);
}
