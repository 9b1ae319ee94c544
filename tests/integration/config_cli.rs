//! Configuration, first start and the CLI commands.

use std::process::Command;

use serde_json::Value;

use crate::BIN;
use ferrotube_test_support::db::drop_database;
use ferrotube_test_support::reference;
use ferrotube_test_support::shape::assert_same_shape;
use ferrotube_test_support::{Options, TestServer, free_port, send};

#[tokio::test]
async fn config_endpoints_match_peertube() {
    let s = TestServer::start_with(
        BIN,
        Options::default().env("FERROTUBE_INSTANCE__NAME", "Test tube"),
    )
    .await;
    let config = s.get_json("/api/v1/config").await;
    assert_eq!(config["instance"]["name"], "Test tube");
    assert_eq!(config["signup"]["allowed"], false);
    assert_eq!(config["tracker"]["enabled"], true);
    let theirs = reference::load("live-captures/api-v1-config.json");
    assert_same_shape(&config, &theirs, &[]);
    let about = s.get_json("/api/v1/config/about").await;
    assert_eq!(about["instance"]["name"], "Test tube");
    let theirs = reference::load("live-captures/api-v1-config-about.json");
    assert_same_shape(&about, &theirs, &[]);
}

fn run(args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let out = Command::new(BIN)
        .args(args)
        .env_remove("FERROTUBE_CONFIG")
        .envs(env.iter().copied())
        .env("NO_COLOR", "1")
        .output();
    match out {
        Ok(o) => (
            o.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            ),
        ),
        Err(e) => panic!("cannot run ferrotube: {e}"),
    }
}

#[test]
fn bad_config_stops_start_up_naming_the_key() {
    let (ok, out) = run(&["serve"], &[("FERROTUBE_LISTEN__PORT", "not-a-port")]);
    assert!(!ok);
    assert!(out.contains("listen.port"), "{out}");
    let (ok, out) = run(&["serve"], &[("FERROTUBE_DATABASE__POOL__MAX", "0")]);
    assert!(!ok);
    assert!(out.contains("database.pool.max"), "{out}");
    let (ok, out) = run(&["serve"], &[("FERROTUBE_WEBSERVER__HOSTNAME", "http://x")]);
    assert!(!ok);
    assert!(out.contains("webserver.hostname"), "{out}");

    let file = std::env::temp_dir().join(format!("ferrotube-bad-{}.yaml", std::process::id()));
    let _ = std::fs::write(&file, "signup:\n  enabeld: true\n");
    let (ok, out) = run(&["--config", &file.to_string_lossy(), "serve"], &[]);
    assert!(!ok);
    assert!(out.contains("enabeld"), "{out}");
    let (ok, out) = run(&["--config", "/nonexistent/ferrotube.yaml", "serve"], &[]);
    assert!(!ok);
    assert!(out.contains("/nonexistent/ferrotube.yaml"), "{out}");
    let _ = std::fs::remove_file(file);
}

#[tokio::test]
async fn config_file_then_environment() {
    let file = std::env::temp_dir().join(format!("ferrotube-{}.yaml", free_port()));
    let _ = std::fs::write(
        &file,
        "instance:\n  name: 'From the file'\n  short_description: 'Short from the file'\n",
    );
    let s = TestServer::start_with(
        BIN,
        Options::default()
            .env("FERROTUBE_CONFIG", &file.to_string_lossy())
            .env("FERROTUBE_INSTANCE__SHORT_DESCRIPTION", "Short from env"),
    )
    .await;
    let about = s.get_json("/api/v1/config/about").await;
    assert_eq!(about["instance"]["name"], "From the file");
    assert_eq!(about["instance"]["shortDescription"], "Short from env");
    let _ = std::fs::remove_file(file);
}

#[tokio::test]
async fn first_start_creates_database_and_random_root_password() {
    let s = TestServer::start_with(
        BIN,
        Options {
            no_template: true,
            random_root_password: true,
            ..Options::default()
        },
    )
    .await;
    let log = s.log_text();
    let password = log
        .split("password ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .map(str::to_string);
    let Some(password) = password else {
        panic!("no generated password in the log:\n{log}")
    };
    s.login("root", &password).await;
    // The server actor exists with its key, and the OAuth client.
    let v: Value = s
        .get_ap("/accounts/peertube")
        .await
        .json()
        .await
        .unwrap_or(Value::Null);
    assert_eq!(v["type"], "Application");
    let (status, _) = send(s.client.get(s.api("/oauth-clients/local"))).await;
    assert_eq!(status, 200);

    // A second start on the same database creates nothing new and logs no password.
    let mut s = s;
    s.stop();
    let _ = std::fs::write(&s.log, "");
    s.spawn().await;
    assert!(!s.log_text().contains("shown only once"));
    s.login("root", &password).await;
}

#[tokio::test]
async fn cli_create_user_and_reset_password() {
    let s = TestServer::start(BIN).await;
    let env = [("FERROTUBE_DATABASE__NAME", s.db.as_str())];
    let (ok, out) = run(
        &[
            "create-user",
            "--username",
            "judy",
            "--email",
            "judy@example.com",
            "--password",
            "judy-password",
        ],
        &env,
    );
    assert!(ok, "{out}");
    s.login("judy", "judy-password").await;
    let channel = s.get_json("/api/v1/video-channels/judy_channel").await;
    assert_eq!(channel["ownerAccount"]["name"], "judy");

    let (ok, out) = run(
        &[
            "create-user",
            "--username",
            "judy",
            "--email",
            "other@example.com",
        ],
        &env,
    );
    assert!(!ok, "{out}");

    let session = s.login("judy", "judy-password").await;
    let (ok, out) = run(
        &[
            "reset-password",
            "--username",
            "judy",
            "--password",
            "fresh-password",
        ],
        &env,
    );
    assert!(ok, "{out}");
    assert_eq!(s.login_full("judy", "judy-password").await.status(), 400);
    s.login("judy", "fresh-password").await;
    // Sessions opened before the reset are over.
    let (status, _) = send(s.client.get(s.api("/users/me")).bearer_auth(&session)).await;
    assert_eq!(status, 401);

    let (ok, out) = run(
        &[
            "reset-password",
            "--username",
            "nobody",
            "--password",
            "whatever1",
        ],
        &env,
    );
    assert!(!ok);
    assert!(out.contains("nobody"), "{out}");
}

#[tokio::test]
async fn migrate_creates_and_migrates_a_missing_database() {
    let name = format!("ft_migrate_{}", free_port());
    let (ok, out) = run(&["migrate"], &[("FERROTUBE_DATABASE__NAME", &name)]);
    assert!(ok, "{out}");
    // The count is a line of its own ("10 migration(s) applied" contains "0 migration(s)").
    let applied = |out: &str| {
        out.lines()
            .find_map(|l| l.strip_suffix(" migration(s) applied"))
            .and_then(|n| n.parse::<u32>().ok())
    };
    assert!(applied(&out).is_some_and(|n| n > 0), "{out}");
    let (ok, out) = run(&["migrate"], &[("FERROTUBE_DATABASE__NAME", &name)]);
    assert!(ok, "{out}");
    assert_eq!(applied(&out), Some(0), "{out}");
    drop_database(&name).await;
}
