//! PeerTube's short UUIDs: the 128-bit UUID in base58 (Flickr alphabet), padded to 22.

use uuid::Uuid;

const ALPHABET: &[u8; 58] = b"123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
const LEN: usize = 22;

pub fn encode(uuid: &Uuid) -> String {
    let mut n = uuid.as_u128();
    let mut out = Vec::with_capacity(LEN);
    while n > 0 {
        out.push(ALPHABET[(n % 58) as usize]);
        n /= 58;
    }
    while out.len() < LEN {
        out.push(b'1');
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

pub fn decode(short: &str) -> Option<Uuid> {
    if short.is_empty() || short.len() > LEN {
        return None;
    }
    let mut n: u128 = 0;
    for c in short.bytes() {
        let digit = ALPHABET.iter().position(|&a| a == c)? as u128;
        n = n.checked_mul(58)?.checked_add(digit)?;
    }
    Some(Uuid::from_u128(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_peertube() {
        for (long, short) in [
            (
                "50f6644f-a8b7-4eca-a667-f417450bb3e3",
                "aZRTVsAYfuxNNEPk3xJaXH",
            ),
            (
                "8ec5ac6b-3f0a-4fbc-a278-6699fed3bd74",
                "iCxH3K3Sjszomr9AcnSGMA",
            ),
        ] {
            let Ok(uuid) = Uuid::parse_str(long) else {
                panic!("bad uuid");
            };
            assert_eq!(encode(&uuid), short);
            assert_eq!(decode(short), Some(uuid));
        }
        assert_eq!(decode("0OIl"), None);
    }
}
