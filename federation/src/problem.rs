//! PeerTube's error body (RFC 7807 `application/problem+json` with PeerTube's extra fields),
//! shared by every crate so that all errors look alike on the wire.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

const DOCS_ERRORS: &str = "https://docs.joinpeertube.org/api-rest-reference.html#section/Errors/";

#[derive(Debug, Clone)]
pub struct Problem {
    pub status: StatusCode,
    pub detail: String,
    /// PeerTube's machine-readable error code (`invalid_grant`, `quota_reached`, …).
    pub code: Option<&'static str>,
    /// Link to the operation's documentation, as PeerTube adds on OAuth errors.
    pub docs: Option<&'static str>,
    /// The request path, set on validation errors.
    pub instance: Option<String>,
    pub invalid_params: Option<Value>,
}

impl Problem {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            status,
            detail: detail.into(),
            code: None,
            docs: None,
            instance: None,
            invalid_params: None,
        }
    }

    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    pub fn with_docs(mut self, docs: &'static str) -> Self {
        self.docs = Some(docs);
        self
    }

    /// A 400 "Incorrect request parameters" naming each field, as express-validator reports.
    pub fn invalid_params(instance: Option<String>, fields: Vec<InvalidParam>) -> Self {
        let names: Vec<&str> = fields.iter().map(|f| f.path.as_str()).collect();
        let detail = format!("Incorrect request parameters: {}", names.join(", "));
        let mut map = Map::new();
        for f in &fields {
            map.insert(f.path.clone(), {
                let mut entry = Map::new();
                entry.insert("type".into(), json!("field"));
                if let Some(v) = &f.value {
                    entry.insert("value".into(), v.clone());
                }
                entry.insert("msg".into(), json!(f.msg));
                entry.insert("path".into(), json!(f.path));
                entry.insert("location".into(), json!(f.location));
                Value::Object(entry)
            });
        }
        Self {
            instance,
            invalid_params: Some(Value::Object(map)),
            ..Self::new(StatusCode::BAD_REQUEST, detail)
        }
    }

    pub fn body(&self) -> Value {
        let mut body = Map::new();
        match self.code {
            Some(code) => {
                body.insert("type".into(), Value::String(format!("{DOCS_ERRORS}{code}")));
            }
            None => {
                body.insert("type".into(), Value::String("about:blank".into()));
                let title = self.status.canonical_reason().unwrap_or("Error");
                body.insert("title".into(), Value::String(title.into()));
            }
        }
        body.insert("detail".into(), Value::String(self.detail.clone()));
        if let Some(instance) = &self.instance {
            body.insert("instance".into(), Value::String(instance.clone()));
        }
        body.insert("status".into(), Value::from(self.status.as_u16()));
        if let Some(params) = &self.invalid_params {
            body.insert("invalid-params".into(), params.clone());
        }
        if let Some(docs) = self.docs {
            body.insert("docs".into(), Value::String(docs.into()));
        }
        if let Some(code) = self.code {
            body.insert("code".into(), Value::String(code.into()));
        }
        body.insert("error".into(), Value::String(self.detail.clone()));
        Value::Object(body)
    }
}

/// One entry of `invalid-params`.
#[derive(Debug, Clone)]
pub struct InvalidParam {
    pub path: String,
    /// Absent when the parameter was missing.
    pub value: Option<Value>,
    pub msg: String,
    /// `body`, `query` or `params`.
    pub location: &'static str,
}

impl InvalidParam {
    pub fn new(location: &'static str, path: &str, value: Option<Value>, msg: &str) -> Self {
        Self {
            path: path.into(),
            value,
            msg: msg.into(),
            location,
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = self.body().to_string();
        let mut res = (self.status, body).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json; charset=utf-8"),
        );
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coded_errors_have_no_title() {
        let p = Problem::new(
            StatusCode::BAD_REQUEST,
            "Invalid grant: user credentials are invalid",
        )
        .with_code("invalid_grant");
        let b = p.body();
        assert!(b.get("title").is_none());
        assert_eq!(b["code"], "invalid_grant");
        assert_eq!(b["error"], b["detail"]);
    }

    #[test]
    fn plain_errors_use_the_reason_phrase() {
        let b = Problem::new(StatusCode::NOT_FOUND, "Actor not found").body();
        assert_eq!(b["type"], "about:blank");
        assert_eq!(b["title"], "Not Found");
        assert_eq!(b["status"], 404);
    }
}
