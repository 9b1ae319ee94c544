//! WebTorrent tracker messages. Incoming ones borrow from the frame; offers, answers and offer
//! ids are kept as raw JSON and relayed byte for byte. Outgoing ones are written by hand: the
//! formats are fixed and this is the hot path.

use std::borrow::Cow;
use std::fmt;
use std::fmt::Write as _;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::ids::push_json_binary;
use crate::swarm::Counts;

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Action {
    Announce,
    Scrape,
}

/// Any client message; which fields matter depends on `action` and on `answer`.
#[derive(Deserialize)]
pub(crate) struct Request<'a> {
    pub action: Action,
    #[serde(borrow, default)]
    pub info_hash: Option<Hashes<'a>>,
    #[serde(borrow, default)]
    pub peer_id: Option<Cow<'a, str>>,
    #[serde(default)]
    pub left: Option<f64>,
    #[serde(borrow, default)]
    pub event: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub offers: Option<Vec<Offer<'a>>>,
    #[serde(borrow, default)]
    pub answer: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub offer_id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub to_peer_id: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
pub(crate) struct Offer<'a> {
    #[serde(borrow)]
    pub offer: &'a RawValue,
    #[serde(borrow)]
    pub offer_id: &'a RawValue,
}

/// `info_hash`: one binary string (announce, scrape) or a list of them (scrape).
pub(crate) enum Hashes<'a> {
    One(Cow<'a, str>),
    Many(Vec<Cow<'a, str>>),
}

impl<'de: 'a, 'a> Deserialize<'de> for Hashes<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Hashes<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a binary string or a list of them")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Hashes::One(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Hashes::One(Cow::Owned(v.to_owned())))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut all = Vec::new();
                while let Some(s) = seq.next_element::<Cow<'de, str>>()? {
                    all.push(s);
                }
                Ok(Hashes::Many(all))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// Is this raw JSON a string (offer ids must be)?
pub(crate) fn is_json_string(raw: &RawValue) -> bool {
    raw.get().starts_with('"')
}

pub(crate) fn announce_response(info_hash: &[u8; 20], counts: Counts, interval: u64) -> String {
    let mut s = String::with_capacity(128);
    s.push_str(r#"{"action":"announce","interval":"#);
    let _ = write!(s, "{interval}");
    s.push_str(r#","info_hash":"#);
    push_json_binary(&mut s, info_hash);
    let _ = write!(
        s,
        r#","complete":{},"incomplete":{}}}"#,
        counts.complete, counts.incomplete
    );
    s
}

/// An offer (`kind` = "offer") or answer (`kind` = "answer") relayed to another peer.
pub(crate) fn relayed(
    kind: &str,
    sdp: &RawValue,
    offer_id: &RawValue,
    from_peer: &[u8; 20],
    info_hash: &[u8; 20],
) -> String {
    let mut s = String::with_capacity(sdp.get().len() + 160);
    s.push_str(r#"{"action":"announce",""#);
    s.push_str(kind);
    s.push_str(r#"":"#);
    s.push_str(sdp.get());
    s.push_str(r#","offer_id":"#);
    s.push_str(offer_id.get());
    s.push_str(r#","peer_id":"#);
    push_json_binary(&mut s, from_peer);
    s.push_str(r#","info_hash":"#);
    push_json_binary(&mut s, info_hash);
    s.push('}');
    s
}

pub(crate) fn failure(action: Action, reason: &str, info_hash: Option<&[u8; 20]>) -> String {
    let mut s = String::with_capacity(128);
    s.push_str(match action {
        Action::Announce => r#"{"action":"announce","failure reason":"#,
        Action::Scrape => r#"{"action":"scrape","failure reason":"#,
    });
    s.push_str(&serde_json::Value::from(reason).to_string());
    if let Some(info_hash) = info_hash {
        s.push_str(r#","info_hash":"#);
        push_json_binary(&mut s, info_hash);
    }
    s.push('}');
    s
}

/// `files` keyed by binary infohash; `downloaded` is the seeder count (a lower bound, as
/// PeerTube's tracker reports it).
pub(crate) fn scrape_response(files: &[([u8; 20], Counts)], min_interval: u64) -> String {
    let mut s = String::with_capacity(32 + files.len() * 96);
    s.push_str(r#"{"action":"scrape","files":{"#);
    for (i, (info_hash, counts)) in files.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        push_json_binary(&mut s, info_hash);
        let _ = write!(
            s,
            r#":{{"complete":{c},"incomplete":{},"downloaded":{c}}}"#,
            counts.incomplete,
            c = counts.complete
        );
    }
    let _ = write!(
        s,
        r#"}},"flags":{{"min_request_interval":{min_interval}}}}}"#
    );
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_announces_with_offers_and_scrapes() {
        let text = r#"{"action":"announce","info_hash":"\u0000aaaaaaaaaaaaaaaaaaa","peer_id":"bbbbbbbbbbbbbbbbbbbb","left":null,"numwant":2,"offers":[{"offer":{"type":"offer","sdp":"x"},"offer_id":"cccccccccccccccccccc"}],"uploaded":0}"#;
        let r: Request<'_> = serde_json::from_str(text).unwrap();
        assert!(matches!(r.info_hash, Some(Hashes::One(ref s)) if s.starts_with('\0')));
        assert!(r.left.is_none());
        let offers = r.offers.unwrap();
        assert_eq!(offers[0].offer.get(), r#"{"type":"offer","sdp":"x"}"#);
        let r: Request<'_> =
            serde_json::from_str(r#"{"action":"scrape","info_hash":["a","b"]}"#).unwrap();
        assert!(matches!(r.info_hash, Some(Hashes::Many(v)) if v.len() == 2));
    }

    #[test]
    fn responses_are_valid_json() {
        let counts = Counts {
            complete: 1,
            incomplete: 2,
        };
        let v: serde_json::Value =
            serde_json::from_str(&announce_response(&[b'"'; 20], counts, 120)).unwrap();
        assert_eq!(v["interval"], 120);
        assert_eq!(v["info_hash"], "\"".repeat(20));
        let v: serde_json::Value = serde_json::from_str(&scrape_response(
            &[([0; 20], counts), ([1; 20], counts)],
            600,
        ))
        .unwrap();
        assert_eq!(v["files"]["\u{1}".repeat(20)]["downloaded"], 1);
        let v: serde_json::Value =
            serde_json::from_str(&failure(Action::Scrape, "bad \"x\"", None)).unwrap();
        assert_eq!(v["failure reason"], "bad \"x\"");
    }
}
