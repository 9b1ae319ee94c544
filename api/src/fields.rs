//! Request bodies and query strings read field by field, so that every invalid field is named
//! in the 400 answer as PeerTube's validators do. JSON and form-encoded bodies are both
//! accepted, as PeerTube's body parsers are.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use ferrotube_federation::problem::InvalidParam;
use serde_json::{Map, Value};

use crate::error::ApiError;

/// JSON bodies larger than this are refused, as PeerTube's 500 kB body-parser limit.
pub const JSON_LIMIT: usize = 500 * 1024;

pub struct Fields {
    map: Map<String, Value>,
    location: &'static str,
    /// Form values are strings; numbers and booleans are parsed from them.
    lenient: bool,
    errors: Vec<InvalidParam>,
    instance: Option<String>,
}

impl Fields {
    pub fn from_json(map: Map<String, Value>, location: &'static str) -> Self {
        Self {
            map,
            location,
            lenient: false,
            errors: Vec::new(),
            instance: None,
        }
    }

    /// From `a=1&b=x` pairs (query strings and form bodies). A repeated key (or `key[]`)
    /// becomes an array.
    pub fn from_pairs(pairs: Vec<(String, String)>, location: &'static str) -> Self {
        let mut map = Map::new();
        for (k, v) in pairs {
            // `tags[]`, `tags[0]`, `tags[1]`: form encodings of one array.
            let array_key = k
                .strip_suffix(']')
                .and_then(|rest| rest.rsplit_once('['))
                .filter(|(_, index)| index.bytes().all(|b| b.is_ascii_digit()))
                .map(|(name, _)| name.to_string());
            let is_array = array_key.is_some();
            let key = array_key.unwrap_or_else(|| k.clone());
            match map.get_mut(&key) {
                Some(Value::Array(a)) => a.push(Value::String(v)),
                Some(existing) => {
                    let first = existing.take();
                    *existing = Value::Array(vec![first, Value::String(v)]);
                }
                None => {
                    let value = if is_array {
                        Value::Array(vec![Value::String(v)])
                    } else {
                        Value::String(v)
                    };
                    map.insert(key, value);
                }
            }
        }
        Self {
            map,
            location,
            lenient: true,
            errors: Vec::new(),
            instance: None,
        }
    }

    pub fn from_query(query: Option<&str>) -> Self {
        let pairs = serde_urlencoded::from_str::<Vec<(String, String)>>(query.unwrap_or(""))
            .unwrap_or_default();
        Self::from_pairs(pairs, "query")
    }

    pub fn with_instance(mut self, instance: String) -> Self {
        self.instance = Some(instance);
        self
    }

    pub fn has(&self, name: &str) -> bool {
        self.map.get(name).is_some_and(|v| !v.is_null())
    }

    pub fn raw_map(&self) -> &Map<String, Value> {
        &self.map
    }

    pub fn raw(&self, name: &str) -> Option<&Value> {
        self.map.get(name)
    }

    pub fn fail(&mut self, name: &str) {
        let value = self.map.get(name).cloned();
        self.errors.push(InvalidParam::new(
            self.location,
            name,
            value,
            "Invalid value",
        ));
    }

    /// A string field that must be present and pass `valid`.
    pub fn req_str(&mut self, name: &str, valid: impl Fn(&str) -> bool) -> String {
        match self.opt_str(name, valid) {
            Some(s) => s,
            None => {
                if !self.errors.iter().any(|e| e.path == name) {
                    self.fail(name);
                }
                String::new()
            }
        }
    }

    /// An optional string field; present but invalid is an error.
    pub fn opt_str(&mut self, name: &str, valid: impl Fn(&str) -> bool) -> Option<String> {
        match self.map.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if valid(s) => Some(s.clone()),
            Some(_) => {
                self.fail(name);
                None
            }
        }
    }

    /// An optional string that may be set to null (to clear it): `Some(None)` clears.
    pub fn nullable_str(
        &mut self,
        name: &str,
        valid: impl Fn(&str) -> bool,
    ) -> Option<Option<String>> {
        match self.map.get(name) {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::String(s)) if s.is_empty() => Some(None),
            Some(Value::String(s)) if valid(s) => Some(Some(s.clone())),
            Some(_) => {
                self.fail(name);
                None
            }
        }
    }

    pub fn opt_i64(&mut self, name: &str, valid: impl Fn(i64) -> bool) -> Option<i64> {
        let parsed = match self.map.get(name) {
            None | Some(Value::Null) => return None,
            Some(Value::Number(n)) => n.as_i64(),
            Some(Value::String(s)) if self.lenient || !s.is_empty() => s.trim().parse().ok(),
            Some(_) => None,
        };
        match parsed.filter(|n| valid(*n)) {
            Some(n) => Some(n),
            None => {
                self.fail(name);
                None
            }
        }
    }

    pub fn opt_bool(&mut self, name: &str) -> Option<bool> {
        let parsed = match self.map.get(name) {
            None | Some(Value::Null) => return None,
            Some(Value::Bool(b)) => Some(*b),
            Some(Value::String(s)) => match s.as_str() {
                "true" | "1" => Some(true),
                "false" | "0" => Some(false),
                _ => None,
            },
            Some(_) => None,
        };
        if parsed.is_none() {
            self.fail(name);
        }
        parsed
    }

    /// An optional array of strings, each passing `valid`.
    pub fn opt_str_array(
        &mut self,
        name: &str,
        valid: impl Fn(&str) -> bool,
    ) -> Option<Option<Vec<String>>> {
        match self.map.get(name) {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::Array(items)) => {
                let strings: Option<Vec<String>> = items
                    .iter()
                    .map(|v| v.as_str().filter(|s| valid(s)).map(str::to_string))
                    .collect();
                match strings {
                    Some(s) => Some(Some(s)),
                    None => {
                        self.fail(name);
                        None
                    }
                }
            }
            Some(Value::String(s)) if self.lenient && valid(s) => Some(Some(vec![s.clone()])),
            Some(_) => {
                self.fail(name);
                None
            }
        }
    }

    /// A nested object (JSON only), read with its own `Fields` whose errors are prefixed.
    pub fn opt_object(&mut self, name: &str) -> Option<Fields> {
        match self.map.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::Object(m)) => Some(Fields::from_json(m.clone(), self.location)),
            Some(_) => {
                self.fail(name);
                None
            }
        }
    }

    /// Adopts a nested object's errors as `parent.field`.
    pub fn absorb(&mut self, parent: &str, nested: Fields) {
        for mut e in nested.errors {
            e.path = format!("{parent}.{}", e.path);
            self.errors.push(e);
        }
    }

    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::invalid_params(self.instance, self.errors))
        }
    }
}

/// A body read as `Fields`: `application/json` (an object) or form-encoded.
pub struct Body(pub Fields);

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let instance = req.uri().path().to_string();
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(e.status(), "Request body is too large")
            } else {
                ApiError::bad_request(format!("Cannot read the request body: {e}"))
            }
        })?;
        if bytes.len() > JSON_LIMIT {
            return Err(ApiError::new(
                axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                "Request body is too large",
            ));
        }
        let fields = if content_type.starts_with("application/x-www-form-urlencoded") {
            let pairs = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
                .map_err(|e| ApiError::bad_request(format!("Malformed form body: {e}")))?;
            Fields::from_pairs(pairs, "body")
        } else if bytes.iter().all(u8::is_ascii_whitespace) {
            Fields::from_json(Map::new(), "body")
        } else {
            match serde_json::from_slice::<Value>(&bytes) {
                Ok(Value::Object(map)) => Fields::from_json(map, "body"),
                Ok(_) => {
                    return Err(ApiError::bad_request(
                        "The request body must be a JSON object",
                    ));
                }
                Err(e) => return Err(ApiError::bad_request(format!("Malformed JSON body: {e}"))),
            }
        };
        Ok(Self(fields.with_instance(instance)))
    }
}
