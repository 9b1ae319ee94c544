//! A small, independent bencode decoder for checking torrents and tracker answers.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub enum B {
    Int(i64),
    Bytes(Vec<u8>),
    List(Vec<B>),
    Dict(BTreeMap<Vec<u8>, B>),
}

impl B {
    pub fn get(&self, key: &str) -> Option<&B> {
        match self {
            B::Dict(d) => d.get(key.as_bytes()),
            _ => None,
        }
    }
    pub fn str(&self) -> Option<String> {
        match self {
            B::Bytes(b) => Some(String::from_utf8_lossy(b).into_owned()),
            _ => None,
        }
    }
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            B::Bytes(b) => Some(b),
            _ => None,
        }
    }
    pub fn int(&self) -> Option<i64> {
        match self {
            B::Int(i) => Some(*i),
            _ => None,
        }
    }
    pub fn list(&self) -> Option<&[B]> {
        match self {
            B::List(l) => Some(l),
            _ => None,
        }
    }
    pub fn keys(&self) -> Vec<String> {
        match self {
            B::Dict(d) => d
                .keys()
                .map(|k| String::from_utf8_lossy(k).into_owned())
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Decodes one value; also returns the byte range of the `info` dictionary when present.
pub fn decode(input: &[u8]) -> Option<(B, Option<(usize, usize)>)> {
    let mut pos = 0;
    let mut info = None;
    let v = value(input, &mut pos, 0, &mut info)?;
    (pos == input.len()).then_some((v, info))
}

fn value(i: &[u8], pos: &mut usize, depth: usize, info: &mut Option<(usize, usize)>) -> Option<B> {
    match *i.get(*pos)? {
        b'i' => {
            let end = i[*pos..].iter().position(|&c| c == b'e')? + *pos;
            let n = std::str::from_utf8(&i[*pos + 1..end]).ok()?.parse().ok()?;
            *pos = end + 1;
            Some(B::Int(n))
        }
        b'l' => {
            *pos += 1;
            let mut out = Vec::new();
            while *i.get(*pos)? != b'e' {
                out.push(value(i, pos, depth + 1, info)?);
            }
            *pos += 1;
            Some(B::List(out))
        }
        b'd' => {
            *pos += 1;
            let mut out = BTreeMap::new();
            while *i.get(*pos)? != b'e' {
                let B::Bytes(k) = value(i, pos, depth + 1, info)? else {
                    return None;
                };
                let start = *pos;
                let v = value(i, pos, depth + 1, info)?;
                if depth == 0 && k == b"info" {
                    *info = Some((start, *pos));
                }
                out.insert(k, v);
            }
            *pos += 1;
            Some(B::Dict(out))
        }
        b'0'..=b'9' => {
            let colon = i[*pos..].iter().position(|&c| c == b':')? + *pos;
            let len: usize = std::str::from_utf8(&i[*pos..colon]).ok()?.parse().ok()?;
            let start = colon + 1;
            let bytes = i.get(start..start + len)?.to_vec();
            *pos = start + len;
            Some(B::Bytes(bytes))
        }
        _ => None,
    }
}
