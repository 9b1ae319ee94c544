//! The real `ferrotube` binary on a free port of 127.0.0.1, with a database cloned from the
//! template, a Redis key prefix and a storage folder of its own, and the HTTP helpers tests use
//! against it. The binary's path comes from the caller: Cargo tells it only to the package's own
//! integration tests and benches (`env!("CARGO_BIN_EXE_ferrotube")`).

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::instance::Instance;
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
    /// Its URL, host and HTTP client, with the REST helpers.
    pub instance: Instance,
    pub db: String,
    pub storage: PathBuf,
    pub redis_prefix: String,
    env: Vec<(String, String)>,
    cpus: Option<String>,
    child: Option<Child>,
}

impl std::ops::Deref for TestServer {
    type Target = Instance;
    fn deref(&self) -> &Instance {
        &self.instance
    }
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
            instance: Instance::new(
                format!("http://127.0.0.1:{port}"),
                format!("127.0.0.1:{port}"),
                ROOT_PASSWORD.into(),
                log,
            ),
            db,
            storage,
            redis_prefix,
            env,
            cpus: options.cpus.clone(),
            child: None,
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
