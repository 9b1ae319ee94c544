//! Test harness: the real `ferrotube` binary on a free port, a PostgreSQL database cloned from
//! a migrated template, a Redis key prefix and a storage folder of its own per server.

#![allow(dead_code)]

pub mod bencode;
pub mod media;
pub mod reference;
pub mod shape;

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

pub const ROOT_PASSWORD: &str = "root-password-1";
const PG_ADMIN: &str = "host=127.0.0.1 port=5432 user=postgres dbname=postgres";

pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_ferrotube")
}

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

fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos() % 100_000)
            .unwrap_or(0)
    )
}

pub fn free_port() -> u16 {
    match TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()) {
        Ok(a) => a.port(),
        Err(e) => panic!("no free port: {e}"),
    }
}

async fn pg() -> tokio_postgres::Client {
    let (client, conn) = match tokio_postgres::connect(PG_ADMIN, tokio_postgres::NoTls).await {
        Ok(c) => c,
        Err(e) => panic!("PostgreSQL at 127.0.0.1:5432 is needed: {e}"),
    };
    tokio::spawn(conn);
    client
}

/// The migrated template, named after the migrations so a schema change makes a new one.
async fn template() -> &'static str {
    static TEMPLATE: OnceCell<String> = OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let mut hasher = Sha256::new();
            let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("migrations");
            let mut entries: Vec<_> = walk(&dir);
            entries.sort();
            for path in entries {
                hasher.update(path.to_string_lossy().as_bytes());
                hasher.update(std::fs::read(&path).unwrap_or_default());
            }
            let digest = hasher.finalize();
            let name = format!("ferrotube_template_{:x}", digest)[..40].to_string();
            let client = pg().await;
            // One process builds it; the others wait on the advisory lock.
            let _ = client.execute("SELECT pg_advisory_lock(727272)", &[]).await;
            let exists = client
                .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
                .await
                .ok()
                .flatten()
                .is_some();
            if !exists {
                let building = format!("{name}_building");
                let _ = client
                    .batch_execute(&format!("DROP DATABASE IF EXISTS \"{building}\""))
                    .await;
                let out = Command::new(binary())
                    .arg("migrate")
                    .env("FERROTUBE_DATABASE__NAME", &building)
                    .output();
                match out {
                    Ok(o) if o.status.success() => {}
                    Ok(o) => panic!("migrate failed: {}", String::from_utf8_lossy(&o.stderr)),
                    Err(e) => panic!("cannot run ferrotube: {e}"),
                }
                if let Err(e) = client
                    .batch_execute(&format!(
                        "ALTER DATABASE \"{building}\" RENAME TO \"{name}\""
                    ))
                    .await
                {
                    panic!("template rename: {e}");
                }
            }
            let _ = client
                .execute("SELECT pg_advisory_unlock(727272)", &[])
                .await;
            name
        })
        .await
}

fn walk(dir: &PathBuf) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// A fresh database cloned from the template.
pub async fn fresh_database() -> String {
    let template = template().await;
    let name = unique("ft_test");
    let client = pg().await;
    // CREATE DATABASE … TEMPLATE fails while another clone of the same template is starting.
    for attempt in 0..50 {
        match client
            .batch_execute(&format!(
                "CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""
            ))
            .await
        {
            Ok(()) => return name,
            Err(e) if attempt < 49 => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("cannot clone the template: {e}"),
        }
    }
    name
}

pub async fn drop_database(name: &str) {
    let client = pg().await;
    let _ = client
        .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await;
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

pub struct TestServer {
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
    pub async fn start() -> TestServer {
        Self::start_with(Options::default()).await
    }

    pub async fn start_with(options: Options) -> TestServer {
        let db = if options.no_template {
            unique("ft_fresh")
        } else {
            fresh_database().await
        };
        let port = free_port();
        let storage = std::env::temp_dir().join(unique("ferrotube-storage"));
        let redis_prefix = format!("{}:", unique("fttest"));
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
                c.args(["-c", cpus.as_str(), binary()]);
                c
            }
            None => Command::new(binary()),
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
        let db = self.db.clone();
        // Best effort: a runtime may not be available while unwinding.
        std::thread::spawn(move || {
            if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                rt.block_on(drop_database(&db));
            }
        })
        .join()
        .ok();
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
