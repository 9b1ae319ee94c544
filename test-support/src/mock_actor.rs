//! Remote ActivityPub actors served by the test process (Mastodon-style Persons, or another type,
//! on their own port of 127.0.0.1), each with a key pair made for it: they serve their documents,
//! WebFinger, an empty outbox and any file a test gives them (an avatar), and record what their
//! inboxes receive. Several actors can share one host (and its shared inbox), and the host can be
//! told to refuse or hang its inbox requests, to stand for a failing instance. Signing what they
//! send is left to the caller, which has the signer under test.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::fixtures;
use crate::keys::KeyPair;

/// How the host's inboxes answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InboxAnswer {
    /// 202, recorded.
    Accepted,
    /// This status, not recorded (a 503 stands for an instance that is down).
    Status(u16),
    /// Never answers (the request is held until the client gives up), not recorded.
    Hang,
}

/// One POST an inbox of the host received.
#[derive(Debug, Clone)]
pub struct Post {
    /// `/inbox` (the shared inbox) or `/users/{name}/inbox`.
    pub path: String,
    pub headers: HeaderMap,
    pub body: Value,
}

type Posts = Arc<Mutex<Vec<Post>>>;
/// Files served by path: content type and bytes.
type Files = Arc<Mutex<HashMap<String, (String, Vec<u8>)>>>;

#[derive(Clone)]
struct Shared {
    base: String,
    documents: Arc<Mutex<HashMap<String, String>>>,
    received: Posts,
    answer: Arc<Mutex<InboxAnswer>>,
    /// Inbox requests that arrived, answered or not.
    attempts: Arc<Mutex<usize>>,
    files: Files,
}

/// One mock actor, served until the test's runtime ends.
pub struct MockActor {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// The actor's id: `<base>/users/<username>`.
    pub url: String,
    pub username: String,
    pub keys: KeyPair,
    /// The Person document it serves.
    pub document: Value,
    shared: Shared,
}

async fn serve_document(State(s): State<Shared>, Path(name): Path<String>) -> Response {
    let doc = s.documents.lock().ok().and_then(|d| d.get(&name).cloned());
    match doc {
        Some(doc) => ([("content-type", "application/activity+json")], doc).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn serve_file(State(s): State<Shared>, uri: Uri) -> Response {
    let found = s.files.lock().ok().and_then(|f| f.get(uri.path()).cloned());
    match found {
        Some((content_type, bytes)) => ([("content-type", content_type)], bytes).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn outbox(State(s): State<Shared>, Path(name): Path<String>) -> Response {
    let id = format!("{}/users/{name}/outbox", s.base);
    let body = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": id, "type": "OrderedCollection", "totalItems": 0,
    });
    (
        [("content-type", "application/activity+json")],
        body.to_string(),
    )
        .into_response()
}

async fn webfinger(State(s): State<Shared>, Query(q): Query<HashMap<String, String>>) -> Response {
    let resource = q.get("resource").cloned().unwrap_or_default();
    let name = resource
        .trim_start_matches("acct:")
        .split('@')
        .next()
        .unwrap_or_default()
        .to_string();
    let known = s.documents.lock().is_ok_and(|d| d.contains_key(&name));
    if !known {
        return StatusCode::NOT_FOUND.into_response();
    }
    let href = format!("{}/users/{name}", s.base);
    let body = json!({
        "subject": resource,
        "links": [{ "rel": "self", "type": "application/activity+json", "href": href }],
    });
    ([("content-type", "application/jrd+json")], body.to_string()).into_response()
}

async fn inbox(State(s): State<Shared>, uri: Uri, headers: HeaderMap, body: Bytes) -> StatusCode {
    if let Ok(mut n) = s.attempts.lock() {
        *n += 1;
    }
    let answer = s.answer.lock().map(|a| *a).unwrap_or(InboxAnswer::Accepted);
    match answer {
        InboxAnswer::Accepted => {
            let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            if let Ok(mut r) = s.received.lock() {
                r.push(Post {
                    path: uri.path().to_string(),
                    headers,
                    body: v,
                });
            }
            StatusCode::ACCEPTED
        }
        InboxAnswer::Status(code) => {
            StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE)
        }
        InboxAnswer::Hang => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}

fn actor_document(base: &str, username: &str, kind: &str, keys: &KeyPair) -> Value {
    let mut name = username.to_string();
    if let Some(first) = name.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    let text = fixtures::text(fixtures::MOCK_PERSON)
        .replace("{{base}}", base)
        .replace("{{username}}", username)
        .replace("{{name}}", &name);
    let mut document: Value = serde_json::from_str(&text).expect("the mock Person fixture is JSON");
    document["publicKey"]["publicKeyPem"] = Value::String(keys.public_pem.clone());
    document["type"] = Value::String(kind.to_string());
    document
}

impl MockActor {
    /// Starts `username` (display name: the username capitalised) with a new key pair, alone on
    /// its host.
    pub async fn start(username: &str) -> MockActor {
        Self::start_many(&[username])
            .await
            .pop()
            .expect("one mock actor")
    }

    /// The same actor with another ActivityPub type (an `Application` announces videos).
    pub async fn start_as(username: &str, kind: &str) -> MockActor {
        Self::start_typed(&[(username, kind)])
            .await
            .pop()
            .expect("one mock actor")
    }

    /// Starts these Persons on one host: they share its `/inbox` (their `sharedInbox`), its
    /// record of what arrived and how it answers.
    pub async fn start_many(usernames: &[&str]) -> Vec<MockActor> {
        let typed: Vec<(&str, &str)> = usernames.iter().map(|u| (*u, "Person")).collect();
        Self::start_typed(&typed).await
    }

    /// Starts these actors (name and ActivityPub type) on one host.
    pub async fn start_typed(actors_of_host: &[(&str, &str)]) -> Vec<MockActor> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port for the mock actor");
        let port = listener.local_addr().expect("the mock actor's port").port();
        let base = format!("http://127.0.0.1:{port}");
        let shared = Shared {
            base: base.clone(),
            documents: Arc::default(),
            received: Arc::default(),
            answer: Arc::new(Mutex::new(InboxAnswer::Accepted)),
            attempts: Arc::default(),
            files: Arc::default(),
        };
        let mut actors = Vec::new();
        for (username, kind) in actors_of_host {
            let keys = KeyPair::generate_async().await;
            let document = actor_document(&base, username, kind, &keys);
            if let Ok(mut d) = shared.documents.lock() {
                d.insert(username.to_string(), document.to_string());
            }
            actors.push(MockActor {
                base: base.clone(),
                url: format!("{base}/users/{username}"),
                username: username.to_string(),
                keys,
                document,
                shared: shared.clone(),
            });
        }
        let app = Router::new()
            .route("/users/{name}", get(serve_document))
            .route("/users/{name}/outbox", get(outbox))
            .route("/users/{name}/inbox", post(inbox))
            .route("/inbox", post(inbox))
            .route("/.well-known/webfinger", get(webfinger))
            .fallback(get(serve_file))
            .with_state(shared);
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        actors
    }

    /// Serves `bytes` at `path` (`/media/avatar.jpg`) from now on; its URL.
    pub fn serve_file(&self, path: &str, content_type: &str, bytes: Vec<u8>) -> String {
        if let Ok(mut f) = self.shared.files.lock() {
            f.insert(path.to_string(), (content_type.to_string(), bytes));
        }
        format!("{}{path}", self.base)
    }

    /// `127.0.0.1:<port>`.
    pub fn host(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// `username@127.0.0.1:<port>`.
    pub fn handle(&self) -> String {
        format!("{}@{}", self.username, self.host())
    }

    /// What the host's inboxes received so far: headers and JSON body of each POST.
    pub fn received(&self) -> Vec<(HeaderMap, Value)> {
        self.posts()
            .into_iter()
            .map(|p| (p.headers, p.body))
            .collect()
    }

    /// What the host's inboxes received so far, with the inbox each POST went to.
    pub fn posts(&self) -> Vec<Post> {
        self.shared
            .received
            .lock()
            .map(|r| r.clone())
            .unwrap_or_default()
    }

    /// Inbox requests that reached the host, whatever it answered.
    pub fn inbox_attempts(&self) -> usize {
        self.shared.attempts.lock().map(|n| *n).unwrap_or(0)
    }

    /// From now on the host's inboxes answer this way.
    pub fn answer_with(&self, answer: InboxAnswer) {
        if let Ok(mut a) = self.shared.answer.lock() {
            *a = answer;
        }
    }
}
