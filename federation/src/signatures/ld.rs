//! Linked-data signatures (`RsaSignature2017`) as PeerTube and Mastodon write them.
//!
//! PeerTube accepts an activity forwarded by a third party only when it carries a valid one,
//! so we sign every activity we create and verify the ones others forward to us.
//!
//! `signatureValue` is RSA-SHA256 (PKCS#1 v1.5, base64) over
//! `sha256hex(canon(options)) + sha256hex(canon(document without signature))`, where the options
//! are the signature's own fields except `type`, `id` and `signatureValue`, under the
//! security/v1 context (PeerTube's choice; Mastodon's identity/v1 gives the same RDF for
//! `creator`, `created`, `nonce` and `domain`), and `canon` is JSON-LD → RDF → URDNA2015 N-Quads.
//!
//! JSON-LD contexts are bundled ([`bundled_context`]); nothing is ever fetched. A document that
//! names any other remote context fails with [`LdError::UnknownContext`]. Terms a document does
//! not define expand to nothing, exactly as in PeerTube and Mastodon, so they are not covered by
//! the signature: read only defined terms from a document trusted through this signature.

#[cfg(test)]
mod tests;
mod urdna2015;

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use oxjsonld::{JsonLdParser, JsonLdRemoteDocument};
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

pub use urdna2015::Dialect;
use urdna2015::{Quad, Term};

/// The only signature type PeerTube and Mastodon produce or accept.
pub const SIGNATURE_TYPE: &str = "RsaSignature2017";

const SECURITY_V1: &str = "https://w3id.org/security/v1";

/// Why a document could not be signed or its signature checked. Callers that only need a
/// yes/no treat every error as "not verified".
#[derive(Debug, thiserror::Error)]
pub enum LdError {
    #[error("the document is not a JSON object")]
    NotAnObject,
    #[error("the document has no linked-data signature")]
    MissingSignature,
    #[error("unsupported linked-data signature type {0:?}")]
    UnsupportedType(String),
    #[error("malformed linked-data signature: {0}")]
    MalformedSignature(&'static str),
    #[error("JSON-LD context {0} is not bundled, and contexts are never fetched")]
    UnknownContext(String),
    #[error("JSON-LD: {0}")]
    JsonLd(String),
    /// A document with no RDF statement (no `@context`, say): a signature would cover nothing.
    #[error("the document expands to no linked data, a signature over it would cover nothing")]
    EmptyDocument,
    #[error("{0}")]
    Canonicalization(#[from] urdna2015::TooComplex),
    #[error("invalid RSA key: {0}")]
    Key(String),
    #[error("rsa: {0}")]
    Rsa(String),
}

/// The `creator` of the document's signature: an actor URL (PeerTube) or a key id (Mastodon).
pub fn creator(document: &Value) -> Option<&str> {
    document.get("signature")?.get("creator")?.as_str()
}

/// Returns `document` with a fresh `signature` (replacing any) by `creator`, the actor URL
/// PeerTube puts there. `private_key_pem` is PKCS#8 (`BEGIN PRIVATE KEY`, as we store keys) or
/// PKCS#1 (`BEGIN RSA PRIVATE KEY`).
pub fn sign(document: &Value, creator: &str, private_key_pem: &str) -> Result<Value, LdError> {
    let key = parse_private_key(private_key_pem)?;
    let created = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    sign_with_key(document, creator, &created, &key)
}

/// [`sign`] with an already parsed key and a given `created` (ISO 8601), for callers that sign
/// many documents and for reproducible output: PKCS#1 v1.5 signatures are deterministic.
pub fn sign_with_key(
    document: &Value,
    creator: &str,
    created: &str,
    key: &RsaPrivateKey,
) -> Result<Value, LdError> {
    let Value::Object(fields) = document else {
        return Err(LdError::NotAnObject);
    };
    let mut options = Map::new();
    options.insert("creator".to_owned(), Value::from(creator));
    options.insert("created".to_owned(), Value::from(created));
    let to_sign = signing_input(&options, document, Dialect::Urdna2015)?;
    let signature = SigningKey::<Sha256>::new(key.clone())
        .try_sign(to_sign.as_bytes())
        .map_err(|e| LdError::Rsa(e.to_string()))?;

    let mut signed = fields.clone();
    signed.insert(
        "signature".to_owned(),
        json!({
            "type": SIGNATURE_TYPE,
            "creator": creator,
            "created": created,
            "signatureValue": STANDARD.encode(signature.to_bytes()),
        }),
    );
    Ok(Value::Object(signed))
}

/// Whether the document's `RsaSignature2017` was made by the key `public_key_pem` (SPKI
/// `BEGIN PUBLIC KEY`, as actors publish them, or PKCS#1). `Ok(false)`: a well-formed signature
/// that does not match; `Err`: nothing could be checked (no or malformed signature, unknown
/// context, bad key). Which key belongs to `creator` is the caller's business.
pub fn verify(document: &Value, public_key_pem: &str) -> Result<bool, LdError> {
    verify_with_key(document, &parse_public_key(public_key_pem)?)
}

/// [`verify`] with an already parsed key.
pub fn verify_with_key(document: &Value, key: &RsaPublicKey) -> Result<bool, LdError> {
    let Some(signature) = document.get("signature") else {
        return Err(LdError::MissingSignature);
    };
    let Value::Object(signature) = signature else {
        return Err(LdError::MalformedSignature("signature is not an object"));
    };
    match signature.get("type").and_then(Value::as_str) {
        Some(SIGNATURE_TYPE) => {}
        other => {
            return Err(LdError::UnsupportedType(
                other.unwrap_or_default().to_owned(),
            ));
        }
    }
    let Some(value) = signature.get("signatureValue").and_then(Value::as_str) else {
        return Err(LdError::MalformedSignature("no signatureValue"));
    };
    let bytes = STANDARD
        .decode(value.trim())
        .map_err(|_| LdError::MalformedSignature("signatureValue is not base64"))?;
    let Ok(signature_value) = Signature::try_from(bytes.as_slice()) else {
        return Ok(false);
    };
    let verifier = VerifyingKey::<Sha256>::new(key.clone());

    let mut options = signature.clone();
    for field in ["type", "id", "signatureValue"] {
        options.remove(field);
    }
    let to_verify = signing_input(&options, document, Dialect::Urdna2015)?;
    if verifier
        .verify(to_verify.as_bytes(), &signature_value)
        .is_ok()
    {
        return Ok(true);
    }
    // Signers on jsonld.js ≥ 9 or RDF.rb (Mastodon) escape control characters or sort lines
    // differently; the dialects agree unless a string holds such a character.
    if dialects_may_differ(document) || dialects_may_differ(&Value::Object(options.clone())) {
        let to_verify = signing_input(&options, document, Dialect::Rdfc10)?;
        return Ok(verifier
            .verify(to_verify.as_bytes(), &signature_value)
            .is_ok());
    }
    Ok(false)
}

/// URDNA2015 canonical N-Quads of a JSON-LD document (with bundled contexts only). Public for
/// benchmarks and for comparing our canonical form with other implementations'.
pub fn canonicalize(document: &Value) -> Result<String, LdError> {
    canonicalize_with(document, Dialect::Urdna2015)
}

/// [`canonicalize`] in the given dialect.
pub fn canonicalize_with(document: &Value, dialect: Dialect) -> Result<String, LdError> {
    let quads = to_rdf(document)?;
    Ok(urdna2015::canonicalize(&quads, dialect)?)
}

/// The JSON-LD context documents we serve to the expander, by URL; `None` for any other URL.
pub fn bundled_context(url: &str) -> Option<&'static str> {
    let url = url.strip_suffix('/').unwrap_or(url);
    let url = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    Some(match url {
        "www.w3.org/ns/activitystreams" | "www.w3.org/ns/activitystreams.jsonld" => {
            include_str!("ld/contexts/activitystreams.jsonld")
        }
        "w3id.org/security/v1" => include_str!("ld/contexts/security-v1.jsonld"),
        "w3id.org/identity/v1" => include_str!("ld/contexts/identity-v1.jsonld"),
        _ => return None,
    })
}

/// `sha256hex(canon(options)) + sha256hex(canon(document without signature))`.
fn signing_input(
    options: &Map<String, Value>,
    document: &Value,
    dialect: Dialect,
) -> Result<String, LdError> {
    let mut options = options.clone();
    options.insert(
        "@context".to_owned(),
        json!([SECURITY_V1, { SIGNATURE_TYPE: "https://w3id.org/security#RsaSignature2017" }]),
    );
    let options_hash = hash_canonical(&Value::Object(options), dialect)?;

    let Value::Object(fields) = document else {
        return Err(LdError::NotAnObject);
    };
    let mut unsigned = fields.clone();
    unsigned.remove("signature");
    let document_hash = hash_canonical(&Value::Object(unsigned), dialect)?;
    Ok(options_hash + &document_hash)
}

fn hash_canonical(document: &Value, dialect: Dialect) -> Result<String, LdError> {
    let canonical = canonicalize_with(document, dialect)?;
    if canonical.is_empty() {
        return Err(LdError::EmptyDocument);
    }
    Ok(hex::encode(Sha256::digest(canonical.as_bytes())))
}

fn dialects_may_differ(value: &Value) -> bool {
    match value {
        Value::String(s) => urdna2015::dialects_differ(s),
        Value::Array(items) => items.iter().any(dialects_may_differ),
        Value::Object(fields) => fields
            .iter()
            .any(|(k, v)| urdna2015::dialects_differ(k) || dialects_may_differ(v)),
        _ => false,
    }
}

/// JSON-LD → RDF dataset through oxjsonld, whose only document loader is [`bundled_context`].
fn to_rdf(document: &Value) -> Result<Vec<Quad>, LdError> {
    let bytes = serde_json::to_vec(document).map_err(|e| LdError::JsonLd(e.to_string()))?;
    let unknown: Arc<Mutex<Option<String>>> = Arc::default();
    let unknown_in_loader = Arc::clone(&unknown);
    let parser = JsonLdParser::new()
        .for_slice(&bytes)
        .with_load_document_callback(move |url, _options| {
            if let Some(context) = bundled_context(url) {
                return Ok(JsonLdRemoteDocument {
                    document: context.as_bytes().to_vec(),
                    document_url: url.to_owned(),
                });
            }
            if let Ok(mut slot) = unknown_in_loader.lock() {
                slot.get_or_insert_with(|| url.to_owned());
            }
            Err(format!("context {url} is not bundled").into())
        });

    let mut quads = Vec::new();
    for quad in parser {
        match quad {
            Ok(quad) => quads.push(convert(quad)),
            Err(e) => {
                let url = unknown.lock().ok().and_then(|mut slot| slot.take());
                return Err(match url {
                    Some(url) => LdError::UnknownContext(url),
                    None => LdError::JsonLd(e.to_string()),
                });
            }
        }
    }
    Ok(quads)
}

fn convert(quad: oxrdf::Quad) -> Quad {
    let subject = match quad.subject {
        oxrdf::NamedOrBlankNode::NamedNode(n) => Term::Iri(n.into_string()),
        oxrdf::NamedOrBlankNode::BlankNode(b) => Term::Blank(b.into_string()),
    };
    let object = match quad.object {
        oxrdf::Term::NamedNode(n) => Term::Iri(n.into_string()),
        oxrdf::Term::BlankNode(b) => Term::Blank(b.into_string()),
        oxrdf::Term::Literal(l) => Term::Literal {
            value: l.value().to_owned(),
            datatype: l.datatype().as_str().to_owned(),
            language: l.language().map(str::to_owned),
        },
    };
    let graph = match quad.graph_name {
        oxrdf::GraphName::NamedNode(n) => Some(Term::Iri(n.into_string())),
        oxrdf::GraphName::BlankNode(b) => Some(Term::Blank(b.into_string())),
        oxrdf::GraphName::DefaultGraph => None,
    };
    Quad {
        subject,
        predicate: quad.predicate.into_string(),
        object,
        graph,
    }
}

/// PKCS#8 or PKCS#1 PEM, chosen by its label.
pub fn parse_private_key(pem: &str) -> Result<RsaPrivateKey, LdError> {
    let pem = pem.trim();
    if pem.starts_with("-----BEGIN RSA PRIVATE KEY-----") {
        RsaPrivateKey::from_pkcs1_pem(pem).map_err(|e| LdError::Key(e.to_string()))
    } else {
        RsaPrivateKey::from_pkcs8_pem(pem).map_err(|e| LdError::Key(e.to_string()))
    }
}

/// SPKI or PKCS#1 PEM, chosen by its label.
pub fn parse_public_key(pem: &str) -> Result<RsaPublicKey, LdError> {
    let pem = pem.trim();
    if pem.starts_with("-----BEGIN RSA PUBLIC KEY-----") {
        RsaPublicKey::from_pkcs1_pem(pem).map_err(|e| LdError::Key(e.to_string()))
    } else {
        RsaPublicKey::from_public_key_pem(pem).map_err(|e| LdError::Key(e.to_string()))
    }
}
