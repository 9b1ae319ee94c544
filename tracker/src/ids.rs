//! 20-byte identifiers (infohashes, peer ids) and their two spellings: hex, and the WebTorrent
//! "binary string" where each character is one byte (U+0000–U+00FF).

use std::fmt;
use std::str::FromStr;

use sha1::{Digest, Sha1};

use crate::error::TrackerError;

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InfoHash(pub [u8; 20]);

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PeerId(pub [u8; 20]);

impl InfoHash {
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl fmt::Display for InfoHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for InfoHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "InfoHash({self})")
    }
}

impl fmt::Debug for PeerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PeerId({})", hex::encode(self.0))
    }
}

impl FromStr for InfoHash {
    type Err = TrackerError;

    /// Parses 40 hex digits (either case).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut out = [0u8; 20];
        hex::decode_to_slice(s, &mut out)
            .map_err(|_| TrackerError::Invalid("invalid info_hash"))?;
        Ok(Self(out))
    }
}

/// The swarm id PeerTube's HLS player (p2p-media-loader v2) uses for rendition `index` (0-based
/// position in the master playlist): `sha1("2" + masterPlaylistUrl + "+V" + index)`.
pub fn hls_swarm_id(master_playlist_url: &str, index: usize) -> InfoHash {
    let mut h = Sha1::new();
    h.update(b"2");
    h.update(master_playlist_url.as_bytes());
    h.update(format!("+V{index}").as_bytes());
    InfoHash(h.finalize().into())
}

/// Decodes a WebTorrent binary string of exactly 20 characters.
pub(crate) fn from_binary_str(s: &str) -> Option<[u8; 20]> {
    let mut out = [0u8; 20];
    let mut n = 0;
    for c in s.chars() {
        let b = u8::try_from(u32::from(c)).ok()?;
        *out.get_mut(n)? = b;
        n += 1;
    }
    (n == 20).then_some(out)
}

/// Appends `bytes` as a quoted JSON binary string.
pub(crate) fn push_json_binary(out: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for &b in bytes {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0..=0x1f | 0x7f => {
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
            _ => out.push(char::from(b)),
        }
    }
    out.push('"');
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn binary_strings_round_trip_through_json() {
        let bytes: [u8; 20] = std::array::from_fn(|i| (i as u8).wrapping_mul(37).wrapping_add(200));
        let mut json = String::new();
        push_json_binary(&mut json, &bytes);
        let decoded: String = serde_json::from_str(&json).unwrap();
        assert_eq!(from_binary_str(&decoded), Some(bytes));
        assert_eq!(from_binary_str("short"), None);
        assert_eq!(from_binary_str("ĀĀĀĀĀĀĀĀĀĀĀĀĀĀĀĀĀĀĀĀ"), None);
    }

    #[test]
    fn hex_parses_either_case() {
        let lower: InfoHash = "62043b4108fff3d2f36144b60789d296f6aab67e".parse().unwrap();
        let upper: InfoHash = "62043B4108FFF3D2F36144B60789D296F6AAB67E".parse().unwrap();
        assert_eq!(lower, upper);
        assert_eq!(lower.to_hex(), "62043b4108fff3d2f36144b60789d296f6aab67e");
        assert!("xyz".parse::<InfoHash>().is_err());
    }
}
