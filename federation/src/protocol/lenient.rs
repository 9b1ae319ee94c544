//! Deserialisers for fields that other servers shape differently: a single object where PeerTube
//! sends an array (Mastodon's `icon`), list entries PeerTube drops silently when invalid (a video
//! `url` without a height), integers written as `3.0`.

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A list (or one item) whose invalid entries are dropped, as PeerTube drops them.
pub fn vec_skip_invalid<'de, T, D>(d: D) -> Result<Vec<T>, D::Error>
where
    T: DeserializeOwned,
    D: Deserializer<'de>,
{
    let items = match Value::deserialize(d)? {
        Value::Array(items) => items,
        Value::Null => Vec::new(),
        one => vec![one],
    };
    Ok(items
        .into_iter()
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect())
}

fn as_integer(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
}

/// An integer, also when written as a float with no fraction; anything else is an error.
pub fn integer<'de, T, D>(d: D) -> Result<T, D::Error>
where
    T: TryFrom<i64>,
    D: Deserializer<'de>,
{
    let v = Value::deserialize(d)?;
    as_integer(&v)
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| D::Error::custom(format!("not an integer: {v}")))
}

/// An optional integer: absent, null or not an integer all give `None`.
pub fn opt_integer<'de, T, D>(d: D) -> Result<Option<T>, D::Error>
where
    T: TryFrom<i64>,
    D: Deserializer<'de>,
{
    let v = Option::<Value>::deserialize(d)?;
    Ok(v.as_ref()
        .and_then(as_integer)
        .and_then(|n| T::try_from(n).ok()))
}

/// A field that may be absent (`None`), null (`Some(None)`) or set: for fields PeerTube writes
/// as null on some documents and leaves out of others (a channel's `support`).
pub fn present<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: DeserializeOwned,
    D: Deserializer<'de>,
{
    let v = Value::deserialize(d)?;
    Ok(Some(serde_json::from_value(v).ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Doc {
        #[serde(default, deserialize_with = "vec_skip_invalid")]
        items: Vec<Item>,
        #[serde(deserialize_with = "integer")]
        n: i32,
        #[serde(default, deserialize_with = "opt_integer")]
        m: Option<i64>,
    }

    #[derive(Deserialize)]
    struct Item {
        height: i32,
    }

    #[test]
    fn lenient_shapes() {
        let d: Doc = match serde_json::from_str(
            r#"{"items":[{"height":1},{"height":"x"},{"no":2}],"n":3.0,"m":"x"}"#,
        ) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(d.items.len(), 1);
        assert_eq!(d.n, 3);
        assert_eq!(d.m, None);
        let one: Doc = match serde_json::from_str(r#"{"items":{"height":7},"n":1}"#) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(one.items.first().map(|i| i.height), Some(7));
        assert!(serde_json::from_str::<Doc>(r#"{"n":1.5}"#).is_err());
    }
}
