//! The job queue from outside: `GET /api/v1/jobs/{state}`, a job surviving a killed server, and
//! `ferrotube worker`.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::BIN;
use ferrotube_test_support::{Options, TestServer, assert_invalid_field, assert_problem, send};

async fn db(server: &TestServer) -> tokio_postgres::Client {
    let dsn = format!(
        "host=127.0.0.1 port=5432 user=postgres dbname={}",
        server.db
    );
    match tokio_postgres::connect(&dsn, tokio_postgres::NoTls).await {
        Ok((client, conn)) => {
            tokio::spawn(conn);
            client
        }
        Err(e) => panic!("connecting to {}: {e}", server.db),
    }
}

async fn sql(client: &tokio_postgres::Client, query: &str) -> Vec<tokio_postgres::Row> {
    match client.query(query, &[]).await {
        Ok(rows) => rows,
        Err(e) => panic!("{query}: {e}"),
    }
}

/// Lists jobs as root.
async fn jobs(s: &TestServer, token: &str, path_and_query: &str) -> Value {
    let (status, body) = send(
        s.client
            .get(s.api(&format!("/jobs{path_and_query}")))
            .bearer_auth(token),
    )
    .await;
    assert_eq!(status, 200, "{path_and_query}: {body}");
    body
}

/// Polls a job listing until `found` accepts it.
async fn wait_jobs(
    s: &TestServer,
    token: &str,
    path_and_query: &str,
    what: &str,
    found: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let body = jobs(s, token, path_and_query).await;
        if found(&body) {
            return body;
        }
        if Instant::now() > deadline {
            panic!("{what}: {body}\n{}", s.log_text());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn has_id(body: &Value, id: i64) -> bool {
    body["data"]
        .as_array()
        .is_some_and(|d| d.iter().any(|j| j["id"] == json!(id)))
}

/// An OAuth token of root whose refresh token expired yesterday; returns its id.
async fn expired_token(client: &tokio_postgres::Client) -> i64 {
    let rows = sql(
        client,
        "INSERT INTO oauth_tokens (access_token, access_token_expires_at, refresh_token, \
             refresh_token_expires_at, oauth_client_id, user_id) \
         SELECT 'expired-access', now() - interval '2 days', 'expired-refresh', \
             now() - interval '1 day', (SELECT min(id) FROM oauth_clients), \
             (SELECT id FROM users WHERE username = 'root') \
         RETURNING id",
    )
    .await;
    rows[0].get(0)
}

async fn token_exists(client: &tokio_postgres::Client, id: i64) -> bool {
    match client
        .query_opt("SELECT 1 FROM oauth_tokens WHERE id = $1", &[&id])
        .await
    {
        Ok(row) => row.is_some(),
        Err(e) => panic!("token lookup: {e}"),
    }
}

#[tokio::test]
async fn jobs_api_needs_the_manage_jobs_right() {
    let s = TestServer::start(BIN).await;
    let (status, body) = send(s.client.get(s.api("/jobs/completed"))).await;
    assert_problem(status, &body, 401);
    let user = s.create_user("jobless", "jobless-password").await;
    let (status, body) = send(s.client.get(s.api("/jobs/completed")).bearer_auth(&user)).await;
    assert_problem(status, &body, 403);
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("right 7"),
        "{body}"
    );
    let root = s.root_token().await;
    jobs(&s, &root, "/completed").await;
}

#[tokio::test]
async fn jobs_api_lists_filters_pages_and_validates() {
    let s = TestServer::start(BIN).await;
    let root = s.root_token().await;
    // The housekeeping job every runner schedules at start.
    let done = wait_jobs(
        &s,
        &root,
        "/completed?jobType=housekeeping",
        "housekeeping never completed",
        |b| b["total"].as_i64().unwrap_or(0) >= 1,
    )
    .await;
    let job = &done["data"][0];
    assert_eq!(job["state"], "completed");
    assert_eq!(job["type"], "housekeeping");
    assert_eq!(job["data"], json!({}));
    assert_eq!(job["error"], Value::Null);
    assert_eq!(job["progress"], 100);
    assert!(job["id"].is_i64());
    for date in ["createdAt", "processedOn", "finishedOn"] {
        let text = job[date].as_str().unwrap_or_default();
        assert!(text.ends_with('Z') && text.len() == 24, "{date}: {job}");
    }

    let client = db(&s).await;
    sql(
        &client,
        "INSERT INTO jobs (job_type, payload, state, run_at, created_at) \
         VALUES ('email', '{\"to\": \"a@example.com\"}', 'delayed', now() + interval '1 hour', \
                 now() - interval '1 day')",
    )
    .await;
    sql(
        &client,
        "INSERT INTO jobs (job_type, state, attempts, error, processed_on, finished_on, \
             created_at) \
         VALUES ('activitypub-follow', 'failed', 5, 'getaddrinfo ENOTFOUND', now(), now(), \
                 now() + interval '1 day')",
    )
    .await;
    let delayed = jobs(&s, &root, "/delayed").await;
    assert_eq!(delayed["total"], 1, "{delayed}");
    assert_eq!(delayed["data"][0]["type"], "email");
    assert_eq!(delayed["data"][0]["state"], "delayed");
    assert_eq!(delayed["data"][0]["data"]["to"], "a@example.com");
    assert_eq!(delayed["data"][0]["processedOn"], Value::Null);
    assert_eq!(delayed["data"][0]["finishedOn"], Value::Null);
    let failed = jobs(&s, &root, "/failed?jobType=activitypub-follow").await;
    assert_eq!(failed["total"], 1);
    assert_eq!(failed["data"][0]["error"], "getaddrinfo ENOTFOUND");
    assert_eq!(jobs(&s, &root, "/failed?jobType=email").await["total"], 0);
    // PeerTube's states this queue never has.
    assert_eq!(jobs(&s, &root, "/paused").await["total"], 0);
    assert_eq!(jobs(&s, &root, "/waiting-children").await["total"], 0);

    // No state: every job, newest first unless sorted by createdAt.
    let all = jobs(&s, &root, "?count=100").await;
    let total = all["total"].as_i64().unwrap_or(0);
    assert!(total >= 3, "{all}");
    assert_eq!(all["data"].as_array().map(Vec::len), Some(total as usize));
    let newest = jobs(&s, &root, "?count=1").await;
    assert_eq!(newest["data"].as_array().map(Vec::len), Some(1));
    assert_eq!(newest["data"][0]["type"], "activitypub-follow");
    let oldest = jobs(&s, &root, "?sort=createdAt&count=1").await;
    assert_eq!(oldest["data"][0]["type"], "email");
    let second = jobs(&s, &root, "?sort=-createdAt&start=1&count=1").await;
    assert_eq!(second["total"], total);
    assert_eq!(second["data"][0]["id"], all["data"][1]["id"]);

    let bad = |q: &'static str| {
        let req = s.client.get(s.api(&format!("/jobs{q}"))).bearer_auth(&root);
        send(req)
    };
    let (status, body) = bad("/finished").await;
    assert_invalid_field(status, &body, "state");
    let (status, body) = bad("/failed?jobType=not-a-job").await;
    assert_invalid_field(status, &body, "jobType");
    let (status, body) = bad("/failed?sort=-priority").await;
    assert_invalid_field(status, &body, "sort");
    let (status, body) = bad("/failed?count=101").await;
    assert_invalid_field(status, &body, "count");
}

/// The job's worker is killed while the job waits on a row lock; after a restart the job runs
/// again once its lease passes, and completes.
#[tokio::test]
async fn a_job_in_flight_when_the_server_is_killed_completes_after_restart() {
    let options = Options::default().env("FERROTUBE_JOBS__LEASE", "2 seconds");
    let mut s = TestServer::start_with(BIN, options).await;
    let root = s.root_token().await;
    wait_jobs(
        &s,
        &root,
        "/completed?jobType=housekeeping",
        "first housekeeping",
        |b| b["total"].as_i64().unwrap_or(0) >= 1,
    )
    .await;
    let client = db(&s).await;
    let token = expired_token(&client).await;

    // Hold the expired token's row: the next housekeeping blocks deleting it.
    let locker = db(&s).await;
    sql(&locker, "BEGIN").await;
    sql(
        &locker,
        &format!("SELECT id FROM oauth_tokens WHERE id = {token} FOR UPDATE"),
    )
    .await;
    s.stop();
    s.spawn().await;
    let active = wait_jobs(
        &s,
        &root,
        "/active?jobType=housekeeping",
        "housekeeping never started",
        |b| b["total"] == 1,
    )
    .await;
    let id = active["data"][0]["id"].as_i64().unwrap_or_default();
    // Wait until its DELETE is really blocked on our lock, then kill the server.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let waiting = sql(
            &client,
            &format!(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = '{}' \
                 AND wait_event_type = 'Lock' AND query ILIKE 'DELETE%oauth_tokens%'",
                s.db
            ),
        )
        .await;
        if waiting[0].get::<_, i64>(0) >= 1 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the housekeeping DELETE never blocked"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    s.stop();
    sql(&locker, "ROLLBACK").await;
    let row = sql(&client, &format!("SELECT state FROM jobs WHERE id = {id}")).await;
    assert_eq!(
        row[0].get::<_, String>(0),
        "active",
        "left active by the dead process"
    );

    s.spawn().await;
    wait_jobs(
        &s,
        &root,
        "/completed?jobType=housekeeping",
        "the interrupted job never completed",
        |b| has_id(b, id),
    )
    .await;
    let row = sql(
        &client,
        &format!("SELECT attempts, stalls FROM jobs WHERE id = {id}"),
    )
    .await;
    assert_eq!(
        (row[0].get::<_, i32>(0), row[0].get::<_, i32>(1)),
        (1, 1),
        "ran again once, its cut-short attempt not counted"
    );
    assert!(!token_exists(&client, token).await);
    assert!(
        s.log_text()
            .contains("took back a job whose worker stopped")
    );
}

/// `ferrotube worker` runs jobs without an HTTP server and stops cleanly on SIGTERM.
#[tokio::test]
async fn worker_command_runs_jobs_and_stops_on_sigterm() {
    let mut s = TestServer::start(BIN).await;
    let root = s.root_token().await;
    wait_jobs(
        &s,
        &root,
        "/completed?jobType=housekeeping",
        "first housekeeping",
        |b| b["total"].as_i64().unwrap_or(0) >= 1,
    )
    .await;
    s.stop();
    let client = db(&s).await;
    let token = expired_token(&client).await;
    let rows = sql(
        &client,
        "INSERT INTO jobs (job_type) VALUES ('housekeeping') RETURNING id",
    )
    .await;
    let id: i64 = rows[0].get(0);

    let log = s.storage.with_extension("worker.log");
    let out = std::fs::File::create(&log).ok().map(Stdio::from);
    let mut worker = match Command::new(BIN)
        .arg("worker")
        .env_remove("FERROTUBE_CONFIG")
        .env("FERROTUBE_DATABASE__NAME", &s.db)
        .env("FERROTUBE_REDIS__PREFIX", &s.redis_prefix)
        .env("FERROTUBE_STORAGE__ROOT", &s.storage)
        .env("FERROTUBE_WEBSERVER__HOSTNAME", "127.0.0.1")
        .env("FERROTUBE_WEBSERVER__PORT", s.port.to_string())
        .env("FERROTUBE_FEDERATION__ACTOR_KEY_BITS", "1024")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(out.unwrap_or_else(Stdio::null))
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => panic!("cannot start ferrotube worker: {e}"),
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let row = sql(&client, &format!("SELECT state FROM jobs WHERE id = {id}")).await;
        if row[0].get::<_, String>(0) == "completed" {
            break;
        }
        if Instant::now() > deadline || matches!(worker.try_wait(), Ok(Some(_))) {
            let _ = worker.kill();
            panic!(
                "the worker did not run the job:\n{}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!token_exists(&client, token).await);

    let term = Command::new("kill")
        .args(["-TERM", &worker.id().to_string()])
        .status();
    assert!(term.is_ok_and(|st| st.success()));
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        match worker.try_wait() {
            Ok(Some(status)) => break status,
            _ if Instant::now() > deadline => {
                let _ = worker.kill();
                panic!("the worker ignored SIGTERM");
            }
            _ => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    };
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    assert!(status.success(), "{status}: {text}");
    assert!(text.contains("job runner stopped"), "{text}");
}
