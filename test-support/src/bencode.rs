//! Bencode for checking torrents and tracker answers, decoded by serde_bencode: an implementation
//! independent of the tracker's writer.

pub use serde_bencode::value::Value as B;

/// Reading a decoded value without matching on it at every step.
pub trait BencodeExt {
    /// The value under `key` of a dictionary.
    fn get(&self, key: &str) -> Option<&B>;
    /// A byte string as (lossy) UTF-8.
    fn str(&self) -> Option<String>;
    fn bytes(&self) -> Option<&[u8]>;
    fn int(&self) -> Option<i64>;
    fn list(&self) -> Option<&[B]>;
    /// A dictionary's keys as (lossy) UTF-8, in no particular order.
    fn keys(&self) -> Vec<String>;
}

impl BencodeExt for B {
    fn get(&self, key: &str) -> Option<&B> {
        match self {
            B::Dict(d) => d.get(key.as_bytes()),
            _ => None,
        }
    }

    fn str(&self) -> Option<String> {
        self.bytes()
            .map(|b| String::from_utf8_lossy(b).into_owned())
    }

    fn bytes(&self) -> Option<&[u8]> {
        match self {
            B::Bytes(b) => Some(b),
            _ => None,
        }
    }

    fn int(&self) -> Option<i64> {
        match self {
            B::Int(i) => Some(*i),
            _ => None,
        }
    }

    fn list(&self) -> Option<&[B]> {
        match self {
            B::List(l) => Some(l),
            _ => None,
        }
    }

    fn keys(&self) -> Vec<String> {
        match self {
            B::Dict(d) => d
                .keys()
                .map(|k| String::from_utf8_lossy(k).into_owned())
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Decodes one whole value. serde_bencode stops after the first value, so trailing bytes are
/// caught by length: re-encoding may reorder keys but never changes the length of valid input.
pub fn decode(input: &[u8]) -> Option<B> {
    let value: B = serde_bencode::from_bytes(input).ok()?;
    let length = serde_bencode::to_bytes(&value).ok()?.len();
    (length == input.len()).then_some(value)
}

/// The raw bytes of the top-level `info` dictionary, as they are in `torrent`: what the infohash
/// is the SHA-1 of. serde_bencode re-encodes the decoded dictionary (keys sorted, as bencode
/// requires); the encoding must appear in the torrent right after the `4:info` key, which also
/// proves the torrent's own encoding canonical.
pub fn info_bytes(torrent: &[u8]) -> Option<&[u8]> {
    let info = decode(torrent)?.get("info")?.clone();
    let encoded = serde_bencode::to_bytes(&info).ok()?;
    let mut needle = b"4:info".to_vec();
    needle.extend_from_slice(&encoded);
    let start = torrent.windows(needle.len()).position(|w| w == needle)? + b"4:info".len();
    Some(&torrent[start..start + encoded.len()])
}
