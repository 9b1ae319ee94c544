//! A real PeerTube 6.3 for interop tests, run by `../shared/peertube/peertube-peer` (built once,
//! cached) on a free port of 127.0.0.1. It derefs to an [`Instance`], so the same REST helpers
//! drive it as ferrotube. It is stopped when dropped, and a watcher process stops it if the test
//! process dies first (a panic aborting the runner, a killed CI job), so no PeerTube outlives
//! its test.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::instance::Instance;
use crate::{free_port, send, workspace_root};

/// `../shared/peertube/peertube-peer` beside the checkout, when this machine has it.
pub fn tool() -> Option<PathBuf> {
    let p = workspace_root().join("../shared/peertube/peertube-peer");
    p.is_file().then_some(p)
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

/// One running PeerTube.
pub struct PeerTube {
    pub instance: Instance,
    pub name: String,
    pub pid: u32,
}

impl std::ops::Deref for PeerTube {
    type Target = Instance;
    fn deref(&self) -> &Instance {
        &self.instance
    }
}

fn line<'a>(out: &'a str, key: &str) -> Option<&'a str> {
    out.lines().find_map(|l| l.strip_prefix(key))
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
        let tool2 = tool.clone();
        let (name2, config) = (name.clone(), config_json.unwrap_or("{}").to_string());
        let out = tokio::task::spawn_blocking(move || {
            Command::new(&tool2)
                .args(["start", &name2, &port.to_string()])
                .env("PEERTUBE_CONFIG_JSON", config)
                .stdin(Stdio::null())
                .output()
        })
        .await
        .expect("the peertube-peer task");
        let out = out.expect("peertube-peer runs");
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
        let pid: u32 = line(&stdout, "pid=")
            .and_then(|p| p.parse().ok())
            .expect("pid= line");
        let log = PathBuf::from(line(&stdout, "log=").unwrap_or_default());
        watch(&tool, &name);
        let host = url.trim_start_matches("http://").to_string();
        PeerTube {
            instance: Instance::new(url, host, password, log),
            name,
            pid,
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

/// Stops the instance once this test process is gone, whatever ends it.
fn watch(tool: &std::path::Path, name: &str) {
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 2; done; exec '{tool}' stop {name}",
        pid = std::process::id(),
        tool = tool.display(),
    );
    let _ = Command::new("setsid")
        .args(["sh", "-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
}

impl Drop for PeerTube {
    fn drop(&mut self) {
        if let Some(tool) = tool() {
            let _ = Command::new(tool)
                .args(["stop", &self.name])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
}
