//! A real PeerTube 6.3 for interop tests, run by `../shared/peertube/peertube-peer` (built once,
//! cached) on a free port of 127.0.0.1. It derefs to an [`Instance`], so the same REST helpers
//! drive it as ferrotube. `start` makes a fresh instance with the script; `stop` and `restart`
//! kill and run again the same instance (its database and files kept) with the very command the
//! script runs, since the script's `start` recreates the database. It is stopped when dropped,
//! and a watcher process stops it if the test process dies first (a panic aborting the runner, a
//! killed CI job), so no PeerTube outlives its test.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::instance::Instance;
use crate::{free_port, send, workspace_root};

/// The `peertube-peer` tool: `$FERROTUBE_PEERTUBE_PEER`, else `../shared/peertube/peertube-peer`
/// beside the checkout; `None` when absent.
pub fn tool() -> Option<PathBuf> {
    let path = std::env::var_os("FERROTUBE_PEERTUBE_PEER")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("../shared/peertube/peertube-peer"));
    path.is_file().then_some(path)
}

/// Interop tests need the tool: where it exists they must run (and fail), never skip.
pub fn required_tool() -> PathBuf {
    match tool() {
        Some(p) => p,
        None => panic!(
            "the interop tests need ../shared/peertube/peertube-peer (a real PeerTube 6.3); \
             it is missing on this machine"
        ),
    }
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

fn line<'a>(out: &'a str, key: &str) -> Option<&'a str> {
    out.lines().find_map(|l| l.strip_prefix(key))
}

/// One running PeerTube.
pub struct PeerTube {
    pub instance: Instance,
    pub name: String,
    /// Its folder: `config/`, `storage/`, `log`, `pid`.
    pub dir: PathBuf,
    home: PathBuf,
    config_json: String,
    /// The node process, when we started it (after a restart).
    child: Option<Child>,
    watcher: Option<Child>,
}

impl std::ops::Deref for PeerTube {
    type Target = Instance;
    fn deref(&self) -> &Instance {
        &self.instance
    }
}

impl PeerTube {
    /// A fresh instance; `config_json` is merged over the script's defaults
    /// (`PEERTUBE_CONFIG_JSON`, e.g. `{"views":{"videos":{"local_buffer_update_interval":"2 seconds"}}}`).
    pub async fn start(config_json: Option<&str>) -> PeerTube {
        let tool = required_tool();
        static N: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "ftit{}x{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        let port = free_port();
        let config_json = config_json.unwrap_or("{}").to_string();
        let out = tokio::process::Command::new(&tool)
            .args(["start", &name, &port.to_string()])
            .env("PEERTUBE_CONFIG_JSON", &config_json)
            .stdin(Stdio::null())
            .output()
            .await
            .expect("peertube-peer runs");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "peertube-peer start failed: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let url = line(&stdout, "url=").expect("url= line").to_string();
        let password = line(&stdout, "root_password=")
            .unwrap_or("test")
            .to_string();
        let log = PathBuf::from(line(&stdout, "log=").expect("log= line"));
        let dir = log.parent().expect("the instance's folder").to_path_buf();
        let host = url.trim_start_matches("http://").to_string();
        let mut pt = PeerTube {
            instance: Instance::new(url, host, password, log),
            name,
            dir,
            home: home(),
            config_json,
            child: None,
            watcher: None,
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
            .open(&self.instance.log)
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

    /// Waits until a local upload is published with its files (PeerTube transcodes first).
    pub async fn wait_published(&self, token: &str, uuid: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(180);
        loop {
            let (status, v) = send(
                self.client
                    .get(self.api(&format!("/videos/{uuid}")))
                    .bearer_auth(token),
            )
            .await;
            let files = v["files"].as_array().is_some_and(|f| !f.is_empty())
                || v["streamingPlaylists"]
                    .as_array()
                    .is_some_and(|p| !p.is_empty());
            if status == 200 && v["state"]["id"] == 1 && files {
                return v;
            }
            assert!(
                Instant::now() < deadline,
                "PeerTube did not publish {uuid}: {v}\n{}",
                self.log_tail(40)
            );
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    /// The last `n` lines of its log, for failure messages.
    pub fn log_tail(&self, n: usize) -> String {
        let text = self.log_text();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(n)..].join("\n")
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
