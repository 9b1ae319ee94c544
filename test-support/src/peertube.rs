//! A real PeerTube 6.3 for interop tests, run with `../shared/peertube/peertube-peer` beside the
//! checkout. `start` makes a fresh instance with the script; `stop` and `restart` kill and run
//! again the same instance (its database and files kept) with the very command the script runs,
//! since the script's `start` recreates the database. The node process is stopped when the value
//! is dropped, and a watcher process stops it if the test process dies first.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::{http, send, workspace_root};

/// root's password on every instance (PeerTube's dev mode sets it).
pub const ROOT_PASSWORD: &str = "test";

/// One PeerTube instance on 127.0.0.1.
pub struct PeerTube {
    pub name: String,
    pub port: u16,
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    /// `127.0.0.1:<port>`.
    pub host: String,
    /// Its folder: `config/`, `storage/`, `log`, `pid`.
    pub dir: PathBuf,
    home: PathBuf,
    config_json: String,
    /// The node process, when we started it (after a restart).
    child: Option<Child>,
    watcher: Option<Child>,
    pub client: reqwest::Client,
}

/// The `peertube-peer` tool: `$FERROTUBE_PEERTUBE_PEER`, else `../shared/peertube/peertube-peer`
/// beside the checkout; `None` when absent.
pub fn tool() -> Option<PathBuf> {
    let path = std::env::var_os("FERROTUBE_PEERTUBE_PEER")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("../shared/peertube/peertube-peer"));
    path.is_file().then_some(path)
}

/// Where the tool builds PeerTube (its own default unless `PEERTUBE_HOME` says otherwise).
fn home() -> PathBuf {
    if let Some(h) = std::env::var_os("PEERTUBE_HOME") {
        return PathBuf::from(h);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(|| PathBuf::from("/tmp/.cache"));
    cache.join("ferrotube-peertube/6.3.0")
}

fn read_pid(dir: &Path) -> Option<u32> {
    std::fs::read_to_string(dir.join("pid"))
        .ok()?
        .trim()
        .parse()
        .ok()
}

fn alive(pid: u32) -> bool {
    Command::new("kill")
        .args(["-0", &pid.to_string()])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn signal(pid: u32, sig: &str) {
    let _ = Command::new("kill")
        .args([sig, &pid.to_string()])
        .stderr(Stdio::null())
        .status();
}

impl PeerTube {
    /// A fresh instance `name` on `port` (`peertube-peer start`); `config_json` is merged over
    /// its configuration (node-config's `NODE_CONFIG`). Panics when the tool is missing.
    pub async fn start(name: &str, port: u16, config_json: Option<&str>) -> PeerTube {
        let tool = tool().expect("peertube-peer is needed for this test");
        let config_json = config_json.unwrap_or("{}").to_string();
        let out = tokio::process::Command::new(&tool)
            .args(["start", name, &port.to_string()])
            .env("PEERTUBE_CONFIG_JSON", &config_json)
            .stdin(Stdio::null())
            .output()
            .await
            .expect("peertube-peer start");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "peertube-peer start {name} {port} failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let log = stdout
            .lines()
            .find_map(|l| l.strip_prefix("log="))
            .map(PathBuf::from)
            .expect("peertube-peer prints log=");
        let dir = log.parent().expect("the instance's folder").to_path_buf();
        let mut pt = PeerTube {
            name: name.to_string(),
            port,
            url: format!("http://127.0.0.1:{port}"),
            host: format!("127.0.0.1:{port}"),
            dir,
            home: home(),
            config_json,
            child: None,
            watcher: None,
            client: http(),
        };
        pt.watch();
        pt
    }

    /// A process that stops the instance once the test process is gone, whatever killed it.
    fn watch(&mut self) {
        let script = format!(
            "while kill -0 {parent} 2>/dev/null; do sleep 1; done; \
             p=$(cat '{pid}' 2>/dev/null) || exit 0; kill $p 2>/dev/null; sleep 5; \
             kill -9 $p 2>/dev/null",
            parent = std::process::id(),
            pid = self.dir.join("pid").display(),
        );
        let mut cmd = Command::new("sh");
        cmd.args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        self.watcher = cmd.spawn().ok();
    }

    /// The instance's log so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(self.dir.join("log")).unwrap_or_default()
    }

    /// Whether its node process runs.
    pub fn is_running(&self) -> bool {
        read_pid(&self.dir).is_some_and(alive)
    }

    /// Kills the node process (as a crash would, SIGKILL after 10 s of SIGTERM); the database,
    /// files and configuration stay for `restart`.
    pub fn stop(&mut self) {
        if let Some(pid) = read_pid(&self.dir) {
            signal(pid, "-TERM");
            let deadline = Instant::now() + Duration::from_secs(10);
            while alive(pid) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(100));
            }
            signal(pid, "-KILL");
        }
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_file(self.dir.join("pid"));
    }

    /// Runs the same instance again, as `peertube-peer start` runs it but on the kept database,
    /// and waits until it answers.
    pub async fn restart(&mut self) {
        self.stop();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("log"))
            .expect("the instance's log");
        let err = log.try_clone().expect("the instance's log");
        let child = Command::new("setsid")
            .args(["node", "dist/server", "--no-client"])
            .current_dir(self.home.join("src"))
            .env("NODE_ENV", "dev")
            .env("NODE_CONFIG_DIR", self.dir.join("config"))
            .env("NODE_CONFIG", &self.config_json)
            .env(
                "NODE_OPTIONS",
                format!(
                    "--require={}",
                    self.home.join("keepalive-preload.cjs").display()
                ),
            )
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err)
            .spawn()
            .expect("node, to run PeerTube");
        let _ = std::fs::write(self.dir.join("pid"), child.id().to_string());
        self.child = Some(child);
        self.wait_until_up().await;
    }

    async fn wait_until_up(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Some(Ok(Some(status))) = self.child.as_mut().map(Child::try_wait) {
                panic!("PeerTube exited ({status}):\n{}", self.log_text());
            }
            let probe = self
                .client
                .get(format!("{}/api/v1/config", self.url))
                .send()
                .await;
            if probe.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "PeerTube did not answer in 120 s:\n{}",
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    pub fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.url)
    }

    /// An access token of `root`.
    pub async fn root_token(&self) -> String {
        let (_, client) = send(self.client.get(self.api("/oauth-clients/local"))).await;
        let form = [
            (
                "client_id",
                client["client_id"].as_str().unwrap_or_default(),
            ),
            (
                "client_secret",
                client["client_secret"].as_str().unwrap_or_default(),
            ),
            ("username", "root"),
            ("password", ROOT_PASSWORD),
            ("response_type", "code"),
            ("grant_type", "password"),
        ];
        let (status, body) = send(self.client.post(self.api("/users/token")).form(&form)).await;
        assert_eq!(status, 200, "PeerTube login: {body}");
        body["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub async fn get_json(&self, path: &str) -> Value {
        let (status, body) = send(self.client.get(format!("{}{path}", self.url))).await;
        assert!((200..300).contains(&status), "GET {path}: {status} {body}");
        body
    }

    /// Uploads `file` as `name` to root's first channel (public); returns its uuid.
    pub async fn upload(&self, token: &str, file: &Path, name: &str) -> String {
        let (_, me) = send(self.client.get(self.api("/users/me")).bearer_auth(token)).await;
        let channel = me["videoChannels"][0]["id"].to_string();
        let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let form = reqwest::multipart::Form::new()
            .text("name", name.to_string())
            .text("channelId", channel)
            .text("privacy", "1")
            .part(
                "videofile",
                reqwest::multipart::Part::bytes(bytes)
                    .file_name("video.mp4")
                    .mime_str("video/mp4")
                    .expect("a MIME type"),
            );
        let (status, body) = send(
            self.client
                .post(self.api("/videos/upload"))
                .bearer_auth(token)
                .multipart(form),
        )
        .await;
        assert_eq!(status, 200, "PeerTube upload: {body}");
        body["video"]["uuid"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

impl Drop for PeerTube {
    fn drop(&mut self) {
        self.stop();
        if let Some(mut w) = self.watcher.take() {
            let _ = w.kill();
            let _ = w.wait();
        }
    }
}
