//! A remote ActivityPub actor served by the test process (a Mastodon-style Person on its own port
//! of 127.0.0.1) with a key pair made for it: it serves its document (and any file a test
//! gives it, such as an avatar) and records what its inboxes receive. Signing what it sends is left to the caller, which has the signer under test.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use serde_json::Value;

use crate::fixtures;
use crate::keys::KeyPair;

type Received = Arc<Mutex<Vec<(HeaderMap, Value)>>>;
/// Files served by path: content type and bytes.
type Files = Arc<Mutex<HashMap<String, (String, Vec<u8>)>>>;

/// One mock actor, served until the test's runtime ends.
pub struct MockActor {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// The actor's id: `<base>/users/<username>`.
    pub url: String,
    pub keys: KeyPair,
    /// The Person document it serves.
    pub document: Value,
    received: Received,
    files: Files,
}

#[derive(Clone)]
struct Shared {
    document: Arc<String>,
    received: Received,
    files: Files,
}

async fn serve_file(State(s): State<Shared>, uri: Uri) -> axum::response::Response {
    let found = s.files.lock().ok().and_then(|f| f.get(uri.path()).cloned());
    match found {
        Some((content_type, bytes)) => ([("content-type", content_type)], bytes).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn serve_document(State(s): State<Shared>) -> impl IntoResponse {
    (
        [("content-type", "application/activity+json")],
        s.document.as_str().to_owned(),
    )
}

async fn inbox(State(s): State<Shared>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    if let Ok(mut r) = s.received.lock() {
        r.push((headers, v));
    }
    StatusCode::ACCEPTED
}

impl MockActor {
    /// Starts `username` (display name: the username capitalised) with a new key pair.
    pub async fn start(username: &str) -> MockActor {
        Self::start_as(username, "Person").await
    }

    /// The same actor with another ActivityPub type (an `Application` announces videos).
    pub async fn start_as(username: &str, kind: &str) -> MockActor {
        let keys = KeyPair::generate_async().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port for the mock actor");
        let port = listener.local_addr().expect("the mock actor's port").port();
        let base = format!("http://127.0.0.1:{port}");
        let url = format!("{base}/users/{username}");
        let mut name = username.to_string();
        if let Some(first) = name.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        let text = fixtures::text(fixtures::MOCK_PERSON)
            .replace("{{base}}", &base)
            .replace("{{username}}", username)
            .replace("{{name}}", &name);
        let mut document: Value =
            serde_json::from_str(&text).expect("the mock Person fixture is JSON");
        document["publicKey"]["publicKeyPem"] = Value::String(keys.public_pem.clone());
        document["type"] = Value::String(kind.to_string());
        let received: Received = Arc::default();
        let files: Files = Arc::default();
        let shared = Shared {
            document: Arc::new(document.to_string()),
            received: received.clone(),
            files: files.clone(),
        };
        let app = Router::new()
            .route(&format!("/users/{username}"), get(serve_document))
            .route(&format!("/users/{username}/inbox"), post(inbox))
            .route("/inbox", post(inbox))
            .fallback(get(serve_file))
            .with_state(shared);
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        MockActor {
            base,
            url,
            keys,
            document,
            received,
            files,
        }
    }

    /// Serves `bytes` at `path` (`/media/avatar.jpg`) from now on; its URL.
    pub fn serve_file(&self, path: &str, content_type: &str, bytes: Vec<u8>) -> String {
        if let Ok(mut f) = self.files.lock() {
            f.insert(path.to_string(), (content_type.to_string(), bytes));
        }
        format!("{}{path}", self.base)
    }

    /// `127.0.0.1:<port>`.
    pub fn host(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// What its inboxes received so far: headers and JSON body of each POST.
    pub fn received(&self) -> Vec<(HeaderMap, Value)> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }
}
