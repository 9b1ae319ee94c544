//! Raw query strings: BitTorrent clients percent-encode binary infohashes and peer ids, which
//! are not UTF-8, so values are decoded to bytes.

/// Percent-decodes a query component; `+` is a space, as in forms.
pub(crate) fn decode(raw: &str) -> Vec<u8> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex_val(bytes[i + 1]), hex_val(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    out
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// `(key, raw value)` pairs, in order.
pub(crate) fn pairs(query: &str) -> impl Iterator<Item = (&str, &str)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn decodes_binary_values() {
        assert_eq!(
            decode("%00%ffa+b%2"),
            vec![0, 255, b'a', b' ', b'b', b'%', b'2']
        );
        assert_eq!(decode("%4"), b"%4".to_vec());
        let p: Vec<_> = pairs("a=1&&b&c=%20").collect();
        assert_eq!(p, vec![("a", "1"), ("b", ""), ("c", "%20")]);
    }
}
