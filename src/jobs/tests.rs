//! The runner against a real PostgreSQL and Redis: each test gets a database of its own, cloned
//! from the test harness's migrated template, and runs one or more runners in this process.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ferrotube_federation::AppState;
use ferrotube_federation::db;
use ferrotube_federation::jobs::{JobContext, JobError, JobRegistry};
use ferrotube_federation::models::job::{Job, NewJob, is_known_type};
use ferrotube_test_support::db::TestDatabase;
use serde_json::{Value, json};
use tokio::sync::Notify;

use super::{RunnerHandle, Settings, start};

fn ok<T, E: std::fmt::Debug>(r: Result<T, E>, what: &str) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{what}: {e:?}"),
    }
}

/// A migrated database and the state on it; the database is dropped at the end.
struct TestEnv {
    state: AppState,
    _database: TestDatabase,
}

impl TestEnv {
    async fn new() -> TestEnv {
        let mut config = ok(crate::config::load(None), "default configuration");
        let database = TestDatabase::new().await;
        config.database.name = database.name().to_string();
        config.redis.prefix = ferrotube_test_support::redis_prefix();
        let pool = ok(db::pool(&config), "pool");
        let state = ok(AppState::new(config, pool).await, "state (Redis needed)");
        TestEnv {
            state,
            _database: database,
        }
    }

    fn settings(&self, concurrency: &[(&str, usize)]) -> Settings {
        Settings {
            database_url: self.state.config.database_url(),
            poll_interval: Duration::from_secs(30),
            lease: Duration::from_secs(30),
            backoff_base: Duration::from_millis(200),
            max_stalls: 3,
            shutdown_timeout: Duration::from_secs(5),
            concurrency: concurrency
                .iter()
                .map(|(t, n)| (t.to_string(), *n))
                .collect::<BTreeMap<_, _>>(),
        }
    }

    fn start(&self, registry: JobRegistry, settings: Settings) -> RunnerHandle {
        start(self.state.clone(), registry, settings)
    }

    async fn enqueue(&self, job: NewJob) -> i64 {
        let mut conn = ok(self.state.conn().await, "conn");
        match ok(Job::enqueue(&mut conn, &job).await, "enqueue") {
            Some(id) => id,
            None => panic!("not enqueued"),
        }
    }

    async fn job(&self, id: i64) -> Job {
        let mut conn = ok(self.state.conn().await, "conn");
        match ok(Job::find(&mut conn, id).await, "find") {
            Some(j) => j,
            None => panic!("job {id} is gone"),
        }
    }

    /// Waits until job `id` is in `state`.
    async fn wait_state(&self, id: i64, state: &str, within: Duration) -> Job {
        let deadline = Instant::now() + within;
        loop {
            let job = self.job(id).await;
            if job.state == state {
                return job;
            }
            if Instant::now() > deadline {
                panic!("job {id} still {} (wanted {state}): {job:?}", job.state);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn count_in(&self, state: &str) -> i64 {
        use diesel::prelude::*;
        use diesel_async::RunQueryDsl;
        use ferrotube_federation::models::job::jobs;
        let mut conn = ok(self.state.conn().await, "conn");
        ok(
            jobs::table
                .filter(jobs::state.eq(state))
                .count()
                .get_result(&mut conn)
                .await,
            "count",
        )
    }
}

/// A handler that signals its start and then never ends (until its task is dropped).
fn hanging(
    started: Arc<Notify>,
) -> impl Fn(JobContext, Value) -> futures::future::BoxFuture<'static, Result<(), JobError>>
+ Send
+ Sync
+ 'static {
    move |_ctx, _payload| {
        let started = started.clone();
        Box::pin(async move {
            started.notify_one();
            std::future::pending::<()>().await;
            Ok(())
        })
    }
}

async fn within<T>(limit: Duration, what: &str, f: impl Future<Output = T>) -> T {
    ok(tokio::time::timeout(limit, f).await, what)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_job_runs_twice_across_concurrent_runners() {
    let env = TestEnv::new().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mut runners = Vec::new();
    for _ in 0..3 {
        let seen = seen.clone();
        let mut registry = JobRegistry::new();
        registry.register("test-count", move |ctx: JobContext, _p: Value| {
            let seen = seen.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(2)).await;
                if let Ok(mut s) = seen.lock() {
                    s.push(ctx.job_id);
                }
                Ok(())
            }
        });
        runners.push(env.start(registry, env.settings(&[("test-count", 4)])));
    }
    let mut ids = Vec::new();
    for n in 0..150 {
        ids.push(
            env.enqueue(NewJob::new("test-count", json!({ "n": n })))
                .await,
        );
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while env.count_in("completed").await < 150 {
        assert!(Instant::now() < deadline, "jobs not all completed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for r in runners {
        r.shutdown().await;
    }
    let mut ran = seen.lock().map(|s| s.clone()).unwrap_or_default();
    ran.sort_unstable();
    assert_eq!(ran, ids, "each job ran exactly once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notify_wakes_an_idle_runner_well_before_the_poll() {
    let env = TestEnv::new().await;
    let ran = Arc::new(Notify::new());
    let signal = ran.clone();
    let mut registry = JobRegistry::new();
    registry.register("test-wake", move |_ctx: JobContext, _p: Value| {
        let signal = signal.clone();
        async move {
            signal.notify_one();
            Ok(())
        }
    });
    // Polling every 30 s: only the notification can start the job quickly.
    let runner = env.start(registry, env.settings(&[("test-wake", 1)]));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut worst = Duration::ZERO;
    for _ in 0..3 {
        let sent = Instant::now();
        env.enqueue(NewJob::new("test-wake", json!({}))).await;
        within(Duration::from_secs(5), "job not started", ran.notified()).await;
        worst = worst.max(sent.elapsed());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    runner.shutdown().await;
    assert!(worst < Duration::from_secs(1), "wake-up took {worst:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_job_backs_off_exponentially_then_fails() {
    let env = TestEnv::new().await;
    let runs = Arc::new(Mutex::new(Vec::new()));
    let seen = runs.clone();
    let mut registry = JobRegistry::new();
    registry.register("test-fail", move |_ctx: JobContext, _p: Value| {
        let seen = seen.clone();
        async move {
            if let Ok(mut s) = seen.lock() {
                s.push(Instant::now());
            }
            Err(JobError::retry("remote answered 503"))
        }
    });
    let runner = env.start(registry, env.settings(&[("test-fail", 1)]));
    let id = env
        .enqueue(NewJob::new("test-fail", json!({})).max_attempts(3))
        .await;
    let job = env.wait_state(id, "failed", Duration::from_secs(10)).await;
    runner.shutdown().await;
    assert_eq!(job.attempts, 3);
    assert_eq!(job.error.as_deref(), Some("remote answered 503"));
    let runs = runs.lock().map(|r| r.clone()).unwrap_or_default();
    assert_eq!(runs.len(), 3);
    let first_gap = runs[1] - runs[0];
    let second_gap = runs[2] - runs[1];
    // Base 200 ms, doubled; the 30 s poll proves the runner sleeps until the retry is due.
    assert!(first_gap >= Duration::from_millis(190), "{first_gap:?}");
    assert!(second_gap >= Duration::from_millis(390), "{second_gap:?}");
    assert!(second_gap < Duration::from_secs(3), "{second_gap:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_permanent_error_fails_at_once() {
    let env = TestEnv::new().await;
    let mut registry = JobRegistry::new();
    registry.register("test-bad", |_ctx: JobContext, _p: Value| async {
        Err(JobError::permanent("the video is gone"))
    });
    let runner = env.start(registry, env.settings(&[("test-bad", 1)]));
    let id = env
        .enqueue(NewJob::new("test-bad", json!({})).max_attempts(5))
        .await;
    let job = env.wait_state(id, "failed", Duration::from_secs(10)).await;
    runner.shutdown().await;
    assert_eq!(job.attempts, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_in_flight_when_its_worker_dies_runs_again() {
    let env = TestEnv::new().await;
    let mut settings = env.settings(&[("test-crash", 1)]);
    settings.lease = Duration::from_millis(900);
    settings.poll_interval = Duration::from_millis(300);

    let started = Arc::new(Notify::new());
    let mut first = JobRegistry::new();
    first.register("test-crash", hanging(started.clone()));
    let dying = env.start(first, settings.clone());
    let id = env
        .enqueue(NewJob::new("test-crash", json!({})).max_attempts(1))
        .await;
    within(
        Duration::from_secs(5),
        "job not started",
        started.notified(),
    )
    .await;
    assert_eq!(env.job(id).await.state, "active");
    let killed_at = Instant::now();
    dying.kill().await;

    let mut second = JobRegistry::new();
    second.register("test-crash", |_ctx: JobContext, _p: Value| async { Ok(()) });
    let restarted = env.start(second, settings);
    let job = env
        .wait_state(id, "completed", Duration::from_secs(10))
        .await;
    restarted.shutdown().await;
    assert!(
        killed_at.elapsed() >= Duration::from_millis(500),
        "ran before the lease passed"
    );
    assert_eq!(job.stalls, 1);
    assert_eq!(
        job.attempts, 1,
        "the cut-short run is not counted against max_attempts"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_job_types_fail_with_a_clear_error() {
    let env = TestEnv::new().await;
    let mut registry = JobRegistry::new();
    registry.register("test-known", |_ctx: JobContext, _p: Value| async { Ok(()) });
    let runner = env.start(registry, env.settings(&[("test-known", 1)]));
    let id = env.enqueue(NewJob::new("test-nobody", json!({}))).await;
    let job = env.wait_state(id, "failed", Duration::from_secs(10)).await;
    runner.shutdown().await;
    let error = job.error.unwrap_or_default();
    assert!(
        error.contains("no handler for job type \"test-nobody\""),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_handler_fails_its_job_not_the_runner() {
    let env = TestEnv::new().await;
    let mut registry = JobRegistry::new();
    registry.register("test-panic", |_ctx: JobContext, p: Value| async move {
        if p["panic"] == json!(true) {
            panic!("boom");
        }
        Ok(())
    });
    let runner = env.start(registry, env.settings(&[("test-panic", 1)]));
    let bad = env
        .enqueue(NewJob::new("test-panic", json!({ "panic": true })))
        .await;
    let job = env.wait_state(bad, "failed", Duration::from_secs(10)).await;
    assert!(job.error.unwrap_or_default().contains("panicked: boom"));
    let good = env.enqueue(NewJob::new("test-panic", json!({}))).await;
    env.wait_state(good, "completed", Duration::from_secs(10))
        .await;
    runner.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrency_is_limited_per_type() {
    let env = TestEnv::new().await;
    let now = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let (n, p) = (now.clone(), peak.clone());
    let mut registry = JobRegistry::new();
    registry
        .register("test-pair", move |_ctx: JobContext, _p: Value| {
            let (n, p) = (n.clone(), p.clone());
            async move {
                let running = n.fetch_add(1, Ordering::SeqCst) + 1;
                p.fetch_max(running, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(150)).await;
                n.fetch_sub(1, Ordering::SeqCst);
                Ok(())
            }
        })
        .register("test-elsewhere", |_ctx: JobContext, _p: Value| async {
            Ok(())
        });
    // 0: this process leaves the type to others, without failing its jobs.
    let settings = env.settings(&[("test-pair", 2), ("test-elsewhere", 0)]);
    let runner = env.start(registry, settings);
    let elsewhere = env.enqueue(NewJob::new("test-elsewhere", json!({}))).await;
    let mut ids = Vec::new();
    for _ in 0..6 {
        ids.push(env.enqueue(NewJob::new("test-pair", json!({}))).await);
    }
    for id in ids {
        env.wait_state(id, "completed", Duration::from_secs(10))
            .await;
    }
    runner.shutdown().await;
    assert_eq!(peak.load(Ordering::SeqCst), 2);
    assert_eq!(env.job(elsewhere).await.state, "waiting");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_is_stored_while_the_job_runs() {
    let env = TestEnv::new().await;
    let reported = Arc::new(Notify::new());
    let finish = Arc::new(Notify::new());
    let (r, f) = (reported.clone(), finish.clone());
    let mut registry = JobRegistry::new();
    registry.register("test-progress", move |ctx: JobContext, _p: Value| {
        let (r, f) = (r.clone(), f.clone());
        async move {
            ctx.progress(42.7).await?;
            r.notify_one();
            f.notified().await;
            Ok(())
        }
    });
    let runner = env.start(registry, env.settings(&[("test-progress", 1)]));
    let id = env.enqueue(NewJob::new("test-progress", json!({}))).await;
    within(Duration::from_secs(5), "no progress", reported.notified()).await;
    let job = env.job(id).await;
    assert_eq!((job.state.as_str(), job.progress), ("active", 42));
    finish.notify_one();
    let job = env
        .wait_state(id, "completed", Duration::from_secs(10))
        .await;
    runner.shutdown().await;
    assert_eq!(job.progress, 100);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_running_jobs_finish() {
    let env = TestEnv::new().await;
    let started = Arc::new(Notify::new());
    let s = started.clone();
    let mut registry = JobRegistry::new();
    registry.register("test-slow", move |_ctx: JobContext, _p: Value| {
        let s = s.clone();
        async move {
            s.notify_one();
            tokio::time::sleep(Duration::from_millis(400)).await;
            Ok(())
        }
    });
    let runner = env.start(registry, env.settings(&[("test-slow", 1)]));
    let id = env.enqueue(NewJob::new("test-slow", json!({}))).await;
    within(Duration::from_secs(5), "not started", started.notified()).await;
    runner.shutdown().await;
    assert_eq!(env.job(id).await.state, "completed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_hands_unfinished_jobs_back() {
    let env = TestEnv::new().await;
    let started = Arc::new(Notify::new());
    let mut registry = JobRegistry::new();
    registry.register("test-hang", hanging(started.clone()));
    let mut settings = env.settings(&[("test-hang", 1)]);
    settings.shutdown_timeout = Duration::from_millis(200);
    let runner = env.start(registry, settings);
    let id = env.enqueue(NewJob::new("test-hang", json!({}))).await;
    within(Duration::from_secs(5), "not started", started.notified()).await;
    let stopping = Instant::now();
    runner.shutdown().await;
    assert!(stopping.elapsed() < Duration::from_secs(3));
    let job = env.job(id).await;
    assert_eq!((job.state.as_str(), job.attempts), ("waiting", 0));
    assert!(job.lock_token.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_jobs_are_not_piled_up_by_several_runners() {
    let env = TestEnv::new().await;
    let mut runners = Vec::new();
    for _ in 0..2 {
        let mut registry = JobRegistry::new();
        registry
            .register("test-repeat", |_ctx: JobContext, _p: Value| async {
                Ok(())
            })
            .repeat("test-repeat", Duration::from_secs(3600));
        // Concurrency 0: the jobs stay queued, and both runners still schedule.
        runners.push(env.start(registry, env.settings(&[("test-repeat", 0)])));
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while env.count_in("waiting").await == 0 {
        assert!(Instant::now() < deadline, "never scheduled");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    for r in runners {
        r.shutdown().await;
    }
    assert_eq!(env.count_in("waiting").await, 1);
}

#[test]
fn every_registered_type_is_listed_for_the_admin_api() {
    let config = ok(crate::config::load(None), "default configuration");
    for t in super::registry(&config).job_types() {
        assert!(is_known_type(&t), "{t} missing from models::job::JOB_TYPES");
    }
}

#[test]
fn concurrency_comes_from_the_config_in_either_spelling() {
    let path = std::env::temp_dir().join(format!("ft-jobs-{}.yaml", std::process::id()));
    let yaml = "jobs:\n  concurrency:\n    video_transcoding: 0\n    email: 7\n";
    ok(std::fs::write(&path, yaml), "write config");
    let loaded = crate::config::load(Some(&path));
    let _ = std::fs::remove_file(&path);
    let mut config = ok(loaded, "configuration");
    config.transcoding.concurrency = 4;
    let mut registry = JobRegistry::new();
    for t in [
        "video-transcoding",
        "email",
        "manage-video-torrent",
        "test-unlisted",
    ] {
        registry.register(t, |_ctx: JobContext, _p: Value| async { Ok(()) });
    }
    let settings = Settings::new(&config, &registry);
    let of = |t: &str| settings.concurrency.get(t).copied();
    // The environment's spelling (underscores) wins over the default file's.
    assert_eq!(of("video-transcoding"), Some(0));
    assert_eq!(of("email"), Some(7));
    assert_eq!(of("manage-video-torrent"), Some(1));
    assert_eq!(of("test-unlisted"), Some(1));
    config.jobs.concurrency.remove("video_transcoding");
    assert_eq!(
        Settings::new(&config, &registry)
            .concurrency
            .get("video-transcoding"),
        Some(&4),
        "transcoding.concurrency, as PeerTube"
    );
}
