//! The real `ferrotube` binary on a free port of 127.0.0.1, with a database cloned from the
//! template, a Redis key prefix and a storage folder of its own, and the HTTP helpers tests use
//! against it. The binary's path comes from the caller: Cargo tells it only to the package's own
//! integration tests and benches (`env!("CARGO_BIN_EXE_ferrotube")`).

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::{db, redis_prefix, temp_path, unique};

/// root's password on every test server.
pub const ROOT_PASSWORD: &str = "root-password-1";

/// rustls' process-wide crypto provider, which reqwest (built without one) needs.
pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

pub fn http() -> reqwest::Client {
    install_crypto();
    match reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
    {
        Ok(c) => c,
        Err(e) => panic!("http client: {e}"),
    }
}

pub fn free_port() -> u16 {
    match TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()) {
        Ok(a) => a.port(),
        Err(e) => panic!("no free port: {e}"),
    }
}

/// Options of one server under test.
#[derive(Default, Clone)]
pub struct Options {
    /// Extra `FERROTUBE_…` variables.
    pub env: Vec<(String, String)>,
    /// Start on a database that does not exist yet instead of a template clone.
    pub no_template: bool,
    /// Leave FERROTUBE_INITIAL_ROOT_PASSWORD unset.
    pub random_root_password: bool,
    /// Pin the server to these CPUs (`taskset -c`), for benchmarks.
    pub cpus: Option<String>,
}

impl Options {
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_string(), value.to_string()));
        self
    }
}

/// One server under test; stopped, its database dropped and its files removed when dropped.
pub struct TestServer {
    /// The binary it runs (kept for restarts).
    pub binary: PathBuf,
    pub port: u16,
    pub url: String,
    pub host: String,
    pub db: String,
    pub storage: PathBuf,
    pub redis_prefix: String,
    pub log: PathBuf,
    env: Vec<(String, String)>,
    cpus: Option<String>,
    child: Option<Child>,
    pub client: reqwest::Client,
}

impl TestServer {
    /// Starts `binary` with the default options and waits until it answers.
    pub async fn start(binary: &str) -> TestServer {
        Self::start_with(binary, Options::default()).await
    }

    pub async fn start_with(binary: &str, options: Options) -> TestServer {
        let db = if options.no_template {
            db::missing_database()
        } else {
            db::fresh_database().await
        };
        let port = free_port();
        let storage = temp_path("ferrotube-storage");
        let redis_prefix = redis_prefix();
        let mut env: Vec<(String, String)> = vec![
            ("FERROTUBE_DATABASE__NAME".into(), db.clone()),
            ("FERROTUBE_LISTEN__PORT".into(), port.to_string()),
            ("FERROTUBE_WEBSERVER__HOSTNAME".into(), "127.0.0.1".into()),
            ("FERROTUBE_WEBSERVER__PORT".into(), port.to_string()),
            (
                "FERROTUBE_STORAGE__ROOT".into(),
                storage.to_string_lossy().into(),
            ),
            ("FERROTUBE_REDIS__PREFIX".into(), redis_prefix.clone()),
            // PeerTube's dev and test mode use 1024-bit actor keys too.
            ("FERROTUBE_FEDERATION__ACTOR_KEY_BITS".into(), "1024".into()),
            ("FERROTUBE_FEDERATION__PREVENT_SSRF".into(), "false".into()),
            ("FERROTUBE_LOG__LEVEL".into(), "info".into()),
        ];
        if !options.random_root_password {
            env.push((
                "FERROTUBE_INITIAL_ROOT_PASSWORD".into(),
                ROOT_PASSWORD.into(),
            ));
        }
        env.extend(options.env);
        let log = std::env::temp_dir().join(format!("{}.log", unique("ferrotube-log")));
        let mut server = TestServer {
            binary: PathBuf::from(binary),
            port,
            url: format!("http://127.0.0.1:{port}"),
            host: format!("127.0.0.1:{port}"),
            db,
            storage,
            redis_prefix,
            log,
            env,
            cpus: options.cpus.clone(),
            child: None,
            client: http(),
        };
        server.spawn().await;
        server
    }

    /// Starts (or restarts) the process and waits until it answers.
    pub async fn spawn(&mut self) {
        let log = match std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
        {
            Ok(f) => f,
            Err(e) => panic!("log file: {e}"),
        };
        let err = match log.try_clone() {
            Ok(f) => f,
            Err(e) => panic!("log file: {e}"),
        };
        let mut cmd = match &self.cpus {
            Some(cpus) => {
                let mut c = Command::new("taskset");
                c.args(["-c", cpus.as_str()]).arg(&self.binary);
                c
            }
            None => Command::new(&self.binary),
        };
        cmd.arg("serve")
            .env_remove("FERROTUBE_CONFIG")
            .env_remove("FERROTUBE_INITIAL_ROOT_PASSWORD")
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err);
        let child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => panic!("cannot start ferrotube: {e}"),
        };
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(Ok(Some(status))) = self.child.as_mut().map(Child::try_wait) {
                panic!("ferrotube exited ({status}):\n{}", self.log_text());
            }
            let probe = self
                .client
                .get(format!("{}/api/v1/config", self.url))
                .send()
                .await;
            if probe.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            if Instant::now() > deadline {
                panic!("ferrotube did not start:\n{}", self.log_text());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.url)
    }

    pub async fn oauth_client(&self) -> (String, String) {
        let v: Value = self.get_json("/api/v1/oauth-clients/local").await;
        (
            v["client_id"].as_str().unwrap_or_default().to_string(),
            v["client_secret"].as_str().unwrap_or_default().to_string(),
        )
    }

    /// Logs in as PeerTube's CLI does (form-encoded password grant); returns the token JSON.
    pub async fn login_full(&self, username: &str, password: &str) -> reqwest::Response {
        let (id, secret) = self.oauth_client().await;
        let form: HashMap<&str, &str> = HashMap::from([
            ("client_id", id.as_str()),
            ("client_secret", secret.as_str()),
            ("username", username),
            ("password", password),
            ("response_type", "code"),
            ("grant_type", "password"),
            ("scope", "upload"),
        ]);
        match self
            .client
            .post(self.api("/users/token"))
            .form(&form)
            .send()
            .await
        {
            Ok(r) => r,
            Err(e) => panic!("token request: {e}"),
        }
    }

    pub async fn login(&self, username: &str, password: &str) -> String {
        let res = self.login_full(username, password).await;
        let status = res.status();
        let v: Value = res.json().await.unwrap_or(Value::Null);
        assert_eq!(status, 200, "login of {username} failed: {v}");
        v["access_token"].as_str().unwrap_or_default().to_string()
    }

    pub async fn root_token(&self) -> String {
        self.login("root", ROOT_PASSWORD).await
    }

    /// Creates a user through the admin API and returns its token.
    pub async fn create_user(&self, username: &str, password: &str) -> String {
        let root = self.root_token().await;
        let res = self
            .client
            .post(self.api("/users"))
            .bearer_auth(&root)
            .json(&serde_json::json!({
                "username": username,
                "password": password,
                "email": format!("{username}@example.com"),
                "videoQuota": -1,
                "videoQuotaDaily": -1,
                "role": 2,
            }))
            .send()
            .await;
        let res = match res {
            Ok(r) => r,
            Err(e) => panic!("create user: {e}"),
        };
        assert_eq!(
            res.status(),
            200,
            "create user {username}: {:?}",
            res.text().await
        );
        self.login(username, password).await
    }

    pub async fn get_json(&self, path: &str) -> Value {
        let res = match self.client.get(format!("{}{path}", self.url)).send().await {
            Ok(r) => r,
            Err(e) => panic!("GET {path}: {e}"),
        };
        assert!(res.status().is_success(), "GET {path}: {}", res.status());
        res.json().await.unwrap_or(Value::Null)
    }

    pub async fn get_ap(&self, path: &str) -> reqwest::Response {
        match self
            .client
            .get(format!("{}{path}", self.url))
            .header("Accept", "application/activity+json")
            .send()
            .await
        {
            Ok(r) => r,
            Err(e) => panic!("GET {path}: {e}"),
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.storage);
        let _ = std::fs::remove_file(&self.log);
        db::drop_database_blocking(&self.db);
    }
}

/// Sends a request and returns status and JSON body (Null when not JSON).
pub async fn send(req: reqwest::RequestBuilder) -> (u16, Value) {
    let res = match req.send().await {
        Ok(r) => r,
        Err(e) => panic!("request failed: {e}"),
    };
    let status = res.status().as_u16();
    let text = res.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Asserts PeerTube's error body: status, `detail` mirrored in `error`.
pub fn assert_problem(status: u16, body: &Value, expected: u16) {
    assert_eq!(status, expected, "body: {body}");
    assert_eq!(body["status"], expected, "body: {body}");
    assert!(body["detail"].is_string(), "body: {body}");
    assert_eq!(body["detail"], body["error"], "body: {body}");
    assert!(body["type"].is_string(), "body: {body}");
}

/// Asserts a 400 whose `invalid-params` names `field`.
pub fn assert_invalid_field(status: u16, body: &Value, field: &str) {
    assert_problem(status, body, 400);
    assert!(
        body["invalid-params"].get(field).is_some(),
        "{field} not named in {body}"
    );
}
