//! Benchmarks ferrotube's tracker and torrent builder against their baselines, back to back on
//! this machine, loopback only, bounded in time.
//!
//! ```text
//! tracker-bench run [--duration S] [--rounds N] [--baseline DIR] [--size-mb MB]
//! tracker-bench torrent [--size-mb MB]
//! tracker-bench serve ADDR
//! ```
//!
//! `run` does everything: the torrent benchmark (a cached file hashed by `openssl dgst -sha1`
//! then by `build_torrent`), then for WebSocket and HTTP the reference load of issue 4: the
//! load generator on core 0, the tracker on core 1 (`taskset`), 10,000 torrents with gamma
//! popularity, 25 % seeders, 10 offers per announce, 16 WebSocket or 128 keep-alive HTTP
//! connections. The load generators are aquatic's (`aquatic_ws_load_test`, patched to plain
//! ws since the published one always speaks TLS; `aquatic_http_load_test`); the baseline
//! trackers are `aquatic_ws` and `aquatic_http`, built into `--baseline DIR` from crates.io
//! when missing (never into the repository). Peak memory is the tracker's `VmHWM`.

use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ferrotube_tracker::{InfohashRegistry, TorrentSpec, Tracker, TrackerConfig, build_torrent};

type Res<T> = Result<T, String>;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(args.get(1).map_or("127.0.0.1:3000", String::as_str)),
        Some("torrent") => torrent_bench(opt(&args, "--size-mb", 1024)).map(|_| ()),
        Some("run") => run(&args),
        _ => Err("usage: tracker-bench run|torrent|serve (see the source's header)".into()),
    };
    if let Err(e) = result {
        eprintln!("tracker-bench: {e}");
        std::process::exit(1);
    }
}

fn opt<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> T {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Our tracker alone, public, at `/socket`, `/announce` and `/scrape` (the paths load testers
/// use), on a runtime with one worker per allowed core.
fn serve(addr: &str) -> Res<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let config = TrackerConfig {
            private: false,
            ..Default::default()
        };
        let tracker = Tracker::new(config, Arc::new(InfohashRegistry::new()));
        let watched = tracker.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(5)).await;
                eprintln!("{:?}", watched.stats());
            }
        });
        let app: axum::Router = ferrotube_tracker::router_at("", tracker);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| e.to_string())?;
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .map_err(|e| e.to_string())
    })
}

fn run(args: &[String]) -> Res<()> {
    let duration: u64 = opt(args, "--duration", 15);
    let rounds: usize = opt(args, "--rounds", 1);
    let size_mb: u64 = opt(args, "--size-mb", 1024);
    let baseline = PathBuf::from(opt(
        args,
        "--baseline",
        "/tmp/ferrotube-bench/aquatic".to_owned(),
    ));
    let mut report = Vec::new();

    let (ours, openssl) = torrent_bench(size_mb)?;
    report.push(format!(
        "torrent creation, {size_mb} MiB cached: ours {ours:.0} MB/s, openssl dgst -sha1 {openssl:.0} MB/s, ratio {:.2}",
        ours / openssl
    ));

    let tools = Baseline::ensure(&baseline)?;
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    for kind in [Kind::Ws, Kind::Http] {
        let mut ratios = Vec::new();
        for round in 1..=rounds {
            // Back to back, so both see the same background load.
            let o = measure(kind, &tools, Server::Ours(&me), duration)?;
            let b = measure(kind, &tools, Server::Aquatic, duration)?;
            let ratio = o.per_second / b.per_second;
            ratios.push(ratio);
            report.push(format!(
                "{kind:?} round {round}: ours {:.0} {unit}/s (errors {:.1}/s, peak RSS {} MiB), aquatic {:.0} (errors {:.1}/s, peak RSS {} MiB), ratio {ratio:.2}",
                o.per_second,
                o.errors,
                o.peak_kib / 1024,
                b.per_second,
                b.errors,
                b.peak_kib / 1024,
                unit = kind.unit(),
            ));
            if let Kind::Ws = kind {
                report.push(format!(
                    "  mix (announce / offer / answer responses per s): ours {:.0} / {:.0} / {:.0}, aquatic {:.0} / {:.0} / {:.0}",
                    o.mix[0], o.mix[1], o.mix[2], b.mix[0], b.mix[1], b.mix[2]
                ));
            }
            eprintln!("{}", report.last().map_or("", String::as_str));
        }
        ratios.sort_by(f64::total_cmp);
        if let (Some(min), Some(median)) = (ratios.first(), ratios.get(ratios.len() / 2)) {
            report.push(format!(
                "{kind:?}: median ratio {median:.2}, lowest {min:.2}"
            ));
        }
    }
    println!("\n# tracker-bench report\n");
    for line in report {
        println!("- {line}");
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Torrent creation

/// Returns (ours, openssl) in MB/s, best of three each, on a file read once beforehand so it is
/// in the page cache.
fn torrent_bench(size_mb: u64) -> Res<(f64, f64)> {
    let dir = PathBuf::from("/tmp/ferrotube-bench");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let path = dir.join(format!("sample-{size_mb}m.bin"));
    let bytes = size_mb * 1024 * 1024;
    if std::fs::metadata(&path).map(|m| m.len()).ok() != Some(bytes) {
        write_sample(&path, size_mb)?;
    }
    std::fs::read(&path).map_err(|e| e.to_string())?;

    let mut openssl = f64::MAX;
    let mut ours = f64::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        let status = Command::new("openssl")
            .args(["dgst", "-sha1"])
            .arg(&path)
            .stdout(Stdio::null())
            .status()
            .map_err(|e| format!("openssl: {e}"))?;
        if !status.success() {
            return Err("openssl dgst failed".into());
        }
        openssl = openssl.min(start.elapsed().as_secs_f64());

        let spec = TorrentSpec {
            name: "Benchmark".into(),
            resolution: 1080,
            extension: ".mp4".into(),
            file_path: path.clone(),
            file_url: Some("http://127.0.0.1:9000/static/web-videos/x-1080.mp4".into()),
            ws_announce: "ws://127.0.0.1:9000/tracker/socket".into(),
            http_announce: "http://127.0.0.1:9000/tracker/announce".into(),
        };
        let start = Instant::now();
        let built = build_torrent(&spec).map_err(|e| e.to_string())?;
        ours = ours.min(start.elapsed().as_secs_f64());
        if built.length != bytes {
            return Err("torrent length differs from the file".into());
        }
    }
    let mb = bytes as f64 / 1e6;
    eprintln!(
        "torrent: ours {:.3} s, openssl {:.3} s for {size_mb} MiB",
        ours, openssl
    );
    Ok((mb / ours, mb / openssl))
}

fn write_sample(path: &Path, size_mb: u64) -> Res<()> {
    use std::io::Write;
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let block: Vec<u8> = (0..1024 * 1024)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).map_err(|e| e.to_string())?);
    for i in 0..size_mb {
        // Vary each block so no two pieces are equal.
        let mut b = block.clone();
        b[..8].copy_from_slice(&i.to_le_bytes());
        file.write_all(&b).map_err(|e| e.to_string())?;
    }
    file.flush().map_err(|e| e.to_string())
}

// ---------------------------------------------------------------------------------------------
// Tracker load

#[derive(Debug, Clone, Copy)]
enum Kind {
    Ws,
    Http,
}

impl Kind {
    fn unit(self) -> &'static str {
        match self {
            Kind::Ws => "responses",
            Kind::Http => "announces",
        }
    }
}

enum Server<'a> {
    Ours(&'a Path),
    Aquatic,
}

#[derive(Debug, Clone, Copy)]
struct Outcome {
    per_second: f64,
    errors: f64,
    peak_kib: u64,
    /// The last report's announce / offer / answer responses per second (WebSocket).
    mix: [f64; 3],
}

struct Baseline {
    dir: PathBuf,
    aquatic_ws: PathBuf,
    aquatic_http: PathBuf,
    ws_load: PathBuf,
    http_load: PathBuf,
}

impl Baseline {
    /// Finds the baseline binaries in `dir`, building them from crates.io when missing.
    fn ensure(dir: &Path) -> Res<Self> {
        let bin = dir.join("root/bin");
        let tools = Self {
            dir: dir.to_owned(),
            aquatic_ws: bin.join("aquatic_ws"),
            aquatic_http: bin.join("aquatic_http"),
            ws_load: dir.join("ws_load_plain/aquatic_ws_load_test_plain"),
            http_load: bin.join("aquatic_http_load_test"),
        };
        let install = |args: &[&str]| -> Res<()> {
            let status = Command::new("cargo")
                .args(["install", "--locked", "--root"])
                .arg(dir.join("root"))
                .arg("--target-dir")
                .arg(dir.join("target"))
                .args(args)
                .current_dir(dir)
                .status()
                .map_err(|e| format!("cargo install: {e}"))?;
            status
                .success()
                .then_some(())
                .ok_or_else(|| format!("cargo install {args:?} failed"))
        };
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        // The default `prometheus` feature pulls a `metrics` crate that no longer compiles.
        if !tools.aquatic_ws.exists() || !tools.aquatic_http.exists() {
            install(&[
                "--no-default-features",
                "--features",
                "mimalloc",
                "aquatic_ws",
                "aquatic_http",
            ])?;
        }
        if !tools.http_load.exists() {
            install(&["aquatic_http_load_test", "aquatic_ws_load_test"])?;
        }
        if !tools.ws_load.exists() {
            tools.build_plain_ws_load()?;
        }
        Ok(tools)
    }

    /// aquatic_ws_load_test 0.9.0 always wraps its socket in TLS; the reference load is plain
    /// ws, so a copy from cargo's registry is patched to connect without it (and to take the
    /// URL path from `WS_PATH`).
    fn build_plain_ws_load(&self) -> Res<()> {
        let home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
            .ok_or("no CARGO_HOME")?;
        let registry = std::fs::read_dir(home.join("registry/src")).map_err(|e| e.to_string())?;
        let source = registry
            .filter_map(Result::ok)
            .map(|d| d.path().join("aquatic_ws_load_test-0.9.0"))
            .find(|p| p.is_dir())
            .ok_or("aquatic_ws_load_test-0.9.0 source not in cargo's registry")?;
        let copy = self.dir.join("ws_load_plain");
        let status = Command::new("cp")
            .arg("-rT")
            .arg(&source)
            .arg(&copy)
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err("copying the load tester failed".into());
        }
        let network = copy.join("src/network.rs");
        let text = std::fs::read_to_string(&network).map_err(|e| e.to_string())?;
        let patched = text
            .replace(
                "        let stream = TlsConnector::from(tls_config)\n            .connect(\"example.com\".try_into().unwrap(), stream)\n            .await?;\n",
                "        let _ = tls_config;\n",
            )
            .replace(
                "stream: WebSocketStream<TlsStream<TcpStream>>,",
                "stream: WebSocketStream<TcpStream>,",
            )
            .replace(
                "            \"ws://{}:{}\",\n            config.server_address.ip(),\n            config.server_address.port()",
                "            \"ws://{}:{}{}\",\n            config.server_address.ip(),\n            config.server_address.port(),\n            std::env::var(\"WS_PATH\").unwrap_or_default()",
            );
        if !patched.contains("WS_PATH") || patched.contains("TlsConnector::from") {
            return Err("could not patch aquatic_ws_load_test for plain ws".into());
        }
        std::fs::write(&network, patched).map_err(|e| e.to_string())?;
        // The shared target folder reuses what `cargo install` compiled for the TLS version.
        let target = self.dir.join("target");
        let status = Command::new("cargo")
            .args(["build", "--release", "--locked", "--target-dir"])
            .arg(&target)
            .current_dir(&copy)
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err("building the plain-ws load tester failed".into());
        }
        std::fs::copy(target.join("release/aquatic_ws_load_test"), &self.ws_load)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

fn free_port() -> Res<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

/// Kills the child when dropped, so a failed run leaves no server behind.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn measure(kind: Kind, tools: &Baseline, server: Server<'_>, duration: u64) -> Res<Outcome> {
    let port = free_port()?;
    let addr = format!("127.0.0.1:{port}");
    let work = tools.dir.join("run");
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;

    let mut command = Command::new("taskset");
    command.args(["-c", "1"]);
    match server {
        Server::Ours(exe) => {
            command.arg(exe).args(["serve", &addr]);
        }
        Server::Aquatic => {
            let exe = match kind {
                Kind::Ws => &tools.aquatic_ws,
                Kind::Http => &tools.aquatic_http,
            };
            let config = work.join("server.toml");
            let printed = Command::new(exe)
                .arg("-p")
                .output()
                .map_err(|e| e.to_string())?;
            let text = String::from_utf8_lossy(&printed.stdout).replace(
                "address = \"0.0.0.0:3000\"",
                &format!("address = \"{addr}\""),
            );
            std::fs::write(&config, text).map_err(|e| e.to_string())?;
            command.arg(exe).arg("-c").arg(&config);
        }
    }
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("starting the tracker: {e}"))?;
    let server = Guard(child);
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(&addr).is_err() {
        if Instant::now() > deadline {
            return Err("the tracker did not start listening".into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }

    let load_config = work.join("load.toml");
    let (exe, extra) = match kind {
        Kind::Ws => (&tools.ws_load, "num_connections_per_worker = 16\n"),
        Kind::Http => (
            &tools.http_load,
            "num_connections = 128\nkeep_alive = true\nenable_tls = false\n",
        ),
    };
    let printed = Command::new(exe)
        .arg("-p")
        .output()
        .map_err(|e| e.to_string())?;
    let mut text = String::new();
    for line in String::from_utf8_lossy(&printed.stdout).lines() {
        let key = line.split('=').next().unwrap_or("").trim();
        if [
            "server_address",
            "duration",
            "num_connections_per_worker",
            "num_connections",
            "keep_alive",
            "enable_tls",
        ]
        .contains(&key)
        {
            continue;
        }
        if line.starts_with('[') && !text.contains("server_address") {
            text.push_str(&format!(
                "server_address = \"{addr}\"\nduration = {duration}\n{extra}"
            ));
        }
        text.push_str(line);
        text.push('\n');
    }
    std::fs::write(&load_config, text).map_err(|e| e.to_string())?;
    let path = match kind {
        Kind::Ws => ws_path_for(&server),
        Kind::Http => "",
    };
    let output = Command::new("taskset")
        .args(["-c", "0"])
        .arg(exe)
        .arg("-c")
        .arg(&load_config)
        .env("WS_PATH", path)
        .output()
        .map_err(|e| format!("load tester: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let per_second = stdout
        .lines()
        .find_map(|l| l.strip_prefix("Average responses per second: "))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .ok_or_else(|| {
            format!(
                "no report from the load tester: {}",
                String::from_utf8_lossy(&output.stderr)
            )
        })?;
    // Error (ws) or failure (http) responses per second, averaged over the 5-second reports.
    let rates: Vec<f64> = stdout
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            l.strip_prefix("- Error responses:")
                .or_else(|| l.strip_prefix("- Failure responses:"))
        })
        .filter_map(|v| v.trim().parse::<f64>().ok())
        .collect();
    let errors = rates.iter().sum::<f64>() / rates.len().max(1) as f64;
    let peak_kib = peak_rss_kib(server.0.id());
    let last = |prefix: &str| {
        stdout
            .lines()
            .rev()
            .find_map(|l| l.trim().strip_prefix(prefix))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    Ok(Outcome {
        per_second,
        errors,
        peak_kib,
        mix: [
            last("- Announce responses:"),
            last("- Offer responses:"),
            last("- Answer responses:"),
        ],
    })
}

/// Ours serves WebSocket at `/socket`; aquatic at any path.
fn ws_path_for(server: &Guard) -> &'static str {
    if matches!(server_kind(server), Some(true)) {
        "/socket"
    } else {
        "/"
    }
}

/// Whether the server process is ours (its command line has `serve`).
fn server_kind(server: &Guard) -> Option<bool> {
    let cmdline = std::fs::read(format!("/proc/{}/cmdline", server.0.id())).ok()?;
    Some(cmdline.split(|b| *b == 0).any(|a| a == b"serve"))
}

fn peak_rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
