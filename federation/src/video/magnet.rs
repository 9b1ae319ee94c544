//! Magnet URIs as PeerTube writes them (its `magnet-uri` encoder): `xs`, `xt`, `dn`, `tr`…,
//! `ws`…, values escaped like JavaScript's `encodeURIComponent`, spaces in `dn` as `+`.

/// Everything a PeerTube magnet link carries.
#[derive(Debug, Clone)]
pub struct MagnetSpec<'a> {
    /// PeerTube's own `/lazy-static/torrents/…` URL, even for remote videos.
    pub torrent_url: &'a str,
    pub info_hash_hex: &'a str,
    /// The video's name (not the torrent's `info.name`).
    pub video_name: &'a str,
    pub http_announce: &'a str,
    pub ws_announce: &'a str,
    /// The file URL and any redundancy mirrors; empty for non-public videos.
    pub web_seeds: &'a [String],
}

pub fn magnet_uri(spec: &MagnetSpec<'_>) -> String {
    let mut out = String::with_capacity(512);
    out.push_str("magnet:?xs=");
    encode_component(spec.torrent_url, &mut out);
    out.push_str("&xt=urn:btih:");
    out.push_str(spec.info_hash_hex);
    out.push_str("&dn=");
    let mut name = String::new();
    encode_component(spec.video_name, &mut name);
    out.push_str(&name.replace("%20", "+"));
    // HTTP first, then WebSocket: the order PeerTube's magnets carry.
    for tracker in [spec.http_announce, spec.ws_announce] {
        out.push_str("&tr=");
        encode_component(tracker, &mut out);
    }
    for seed in spec.web_seeds {
        out.push_str("&ws=");
        encode_component(seed, &mut out);
    }
    out
}

/// `encodeURIComponent`: everything but `A-Z a-z 0-9 - _ . ! ~ * ' ( )` is percent-encoded as
/// UTF-8 with upper-case hex.
fn encode_component(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_encode_uri_component() {
        let mut out = String::new();
        encode_component("a b&c=d/é!~*'()", &mut out);
        assert_eq!(out, "a%20b%26c%3Dd%2F%C3%A9!~*'()");
    }
}
