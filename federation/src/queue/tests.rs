//! The runner against a real PostgreSQL (127.0.0.1:5432, user postgres): each test gets a
//! database of its own, cloned from the test harness's migrated template, and runs one or more
//! runners in this process. Test job types share one context, `Probe`, through which they
//! report to the test.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel_async::AsyncPgConnection;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use ferrotube_test_support::db::TestDatabase;
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;

use super::{
    BackgroundJob, Backoff, JobContext, JobError, JobRegistry, RunnerHandle, Settings, start,
};
use crate::db::DbPool;
use crate::models::job::{Job, JobState, NewJob};

fn ok<T, E: std::fmt::Debug>(r: Result<T, E>, what: &str) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{what}: {e:?}"),
    }
}

/// What test jobs report to their test through.
#[derive(Clone, Default)]
struct Probe {
    /// Signalled when a job starts (or, for some, reports).
    started: Arc<Notify>,
    /// Awaited by jobs that wait for the test's go.
    finish: Arc<Notify>,
    /// Ids of the jobs run.
    seen: Arc<Mutex<Vec<i64>>>,
    /// When each run started.
    runs: Arc<Mutex<Vec<Instant>>>,
    /// Runs under way now, and the most at once.
    now: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
}

/// A migrated database and a pool on it; the database is dropped at the end.
struct TestEnv {
    db: DbPool,
    url: String,
    _database: TestDatabase,
}

impl TestEnv {
    async fn new() -> TestEnv {
        let database = TestDatabase::new().await;
        let url = database.url();
        let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(&url);
        let db = ok(DbPool::builder(manager).max_size(8).build(), "pool");
        TestEnv {
            db,
            url,
            _database: database,
        }
    }

    fn settings(&self, concurrency: &[(&str, usize)]) -> Settings {
        Settings {
            database_url: self.url.clone(),
            poll_interval: Duration::from_secs(30),
            lease: Duration::from_secs(30),
            backoff_base: Duration::from_millis(200),
            max_stalls: 3,
            shutdown_timeout: Duration::from_secs(5),
            concurrency: concurrency
                .iter()
                .map(|(t, n)| (t.to_string(), *n))
                .collect(),
        }
    }

    fn start(
        &self,
        probe: &Probe,
        registry: JobRegistry<Probe>,
        settings: Settings,
    ) -> RunnerHandle {
        start(self.db.clone(), probe.clone(), registry, settings)
    }

    async fn enqueue(&self, job: &impl BackgroundJob) -> i64 {
        let mut conn = ok(self.db.get().await, "conn");
        match ok(job.enqueue(&mut conn).await, "enqueue") {
            Some(id) => id,
            None => panic!("not enqueued"),
        }
    }

    /// A row of a type no runner here knows.
    async fn enqueue_row(&self, job: NewJob) -> i64 {
        let mut conn = ok(self.db.get().await, "conn");
        match ok(Job::enqueue(&mut conn, &job).await, "enqueue") {
            Some(id) => id,
            None => panic!("not enqueued"),
        }
    }

    async fn job(&self, id: i64) -> Job {
        let mut conn = ok(self.db.get().await, "conn");
        match ok(Job::find(&mut conn, id).await, "find") {
            Some(j) => j,
            None => panic!("job {id} is gone"),
        }
    }

    /// Waits until job `id` is in `state`.
    async fn wait_state(&self, id: i64, state: JobState, within: Duration) -> Job {
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

    async fn count_in(&self, state: JobState) -> i64 {
        let mut conn = ok(self.db.get().await, "conn");
        ok(Job::count_in_state(&mut conn, state).await, "count")
    }
}

/// Declares a test job type: an empty payload and `Probe` as its context.
macro_rules! test_job {
    ($ty:ident, $name:literal, $attempts:literal, |$ctx:ident| $body:expr) => {
        #[derive(Default, Serialize, Deserialize)]
        struct $ty {}

        impl BackgroundJob for $ty {
            const NAME: &'static str = $name;
            const MAX_ATTEMPTS: i32 = $attempts;
            type Context = Probe;

            async fn run(self, $ctx: JobContext<Probe>) -> Result<(), JobError> {
                $body
            }
        }
    };
}

/// Signals its start and then never ends (until its task is dropped).
async fn hang(probe: &Probe) -> Result<(), JobError> {
    probe.started.notify_one();
    std::future::pending::<()>().await;
    Ok(())
}

async fn within<T>(limit: Duration, what: &str, f: impl Future<Output = T>) -> T {
    ok(tokio::time::timeout(limit, f).await, what)
}

#[test]
fn backoff_doubles_from_the_base() {
    let base = Duration::from_secs(60);
    let backoff = |attempt| Backoff::Configured.delay(base, attempt);
    assert_eq!(backoff(1), Duration::from_secs(60));
    assert_eq!(backoff(2), Duration::from_secs(120));
    assert_eq!(backoff(3), Duration::from_secs(240));
    assert_eq!(backoff(0), Duration::from_secs(60));
    assert!(backoff(1000) >= backoff(21));
    let own = Backoff::Exponential(Duration::from_secs(1));
    assert_eq!(own.delay(base, 3), Duration::from_secs(4));
}

#[derive(Serialize, Deserialize)]
struct TestCount {
    n: i32,
}

impl BackgroundJob for TestCount {
    const NAME: &'static str = "test-count";
    type Context = Probe;

    async fn run(self, ctx: JobContext<Probe>) -> Result<(), JobError> {
        tokio::time::sleep(Duration::from_millis(2)).await;
        if let Ok(mut s) = ctx.state.seen.lock() {
            s.push(ctx.job_id);
        }
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_job_runs_twice_across_concurrent_runners() {
    let env = TestEnv::new().await;
    let probe = Probe::default();
    let mut runners = Vec::new();
    for _ in 0..3 {
        let mut registry = JobRegistry::new();
        registry.register::<TestCount>();
        runners.push(env.start(&probe, registry, env.settings(&[("test-count", 4)])));
    }
    let mut ids = Vec::new();
    for n in 0..150 {
        ids.push(env.enqueue(&TestCount { n }).await);
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while env.count_in(JobState::Completed).await < 150 {
        assert!(Instant::now() < deadline, "jobs not all completed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for r in runners {
        r.shutdown().await;
    }
    let mut ran = probe.seen.lock().map(|s| s.clone()).unwrap_or_default();
    ran.sort_unstable();
    assert_eq!(ran, ids, "each job ran exactly once");
}

test_job!(TestWake, "test-wake", 1, |ctx| {
    ctx.state.started.notify_one();
    Ok(())
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notify_wakes_an_idle_runner_well_before_the_poll() {
    let env = TestEnv::new().await;
    let probe = Probe::default();
    let mut registry = JobRegistry::new();
    registry.register::<TestWake>();
    // Polling every 30 s: only the notification can start the job quickly.
    let runner = env.start(&probe, registry, env.settings(&[("test-wake", 1)]));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut worst = Duration::ZERO;
    for _ in 0..3 {
        let sent = Instant::now();
        env.enqueue(&TestWake {}).await;
        within(
            Duration::from_secs(5),
            "job not started",
            probe.started.notified(),
        )
        .await;
        worst = worst.max(sent.elapsed());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    runner.shutdown().await;
    assert!(worst < Duration::from_secs(1), "wake-up took {worst:?}");
}

test_job!(TestFail, "test-fail", 3, |ctx| {
    if let Ok(mut s) = ctx.state.runs.lock() {
        s.push(Instant::now());
    }
    Err(JobError::retry("remote answered 503"))
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_job_backs_off_exponentially_then_fails() {
    let env = TestEnv::new().await;
    let probe = Probe::default();
    let mut registry = JobRegistry::new();
    registry.register::<TestFail>();
    let runner = env.start(&probe, registry, env.settings(&[("test-fail", 1)]));
    // Three attempts: TestFail::MAX_ATTEMPTS.
    let id = env.enqueue(&TestFail {}).await;
    let job = env
        .wait_state(id, JobState::Failed, Duration::from_secs(10))
        .await;
    runner.shutdown().await;
    assert_eq!(job.attempts, 3);
    assert_eq!(job.error.as_deref(), Some("remote answered 503"));
    let runs = probe.runs.lock().map(|r| r.clone()).unwrap_or_default();
    assert_eq!(runs.len(), 3);
    let first_gap = runs[1] - runs[0];
    let second_gap = runs[2] - runs[1];
    // Base 200 ms, doubled; the 30 s poll proves the runner sleeps until the retry is due.
    assert!(first_gap >= Duration::from_millis(190), "{first_gap:?}");
    assert!(second_gap >= Duration::from_millis(390), "{second_gap:?}");
    assert!(second_gap < Duration::from_secs(3), "{second_gap:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_take_their_type_attempts_and_priority() {
    let env = TestEnv::new().await;
    let id = env.enqueue(&TestFail {}).await;
    assert_eq!(env.job(id).await.max_attempts, 3);
    assert_eq!(
        NewJob::new("not-a-type", serde_json::json!({})).max_attempts,
        1
    );
    let id = env.enqueue(&TestPanic { panic: false }).await;
    let row = env.job(id).await;
    assert_eq!((row.max_attempts, row.priority), (1, 0));
    assert_eq!(row.payload, serde_json::json!({ "panic": false }));
}

test_job!(TestBad, "test-bad", 5, |_ctx| {
    Err(JobError::permanent("the video is gone"))
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_permanent_error_fails_at_once() {
    let env = TestEnv::new().await;
    let probe = Probe::default();
    let mut registry = JobRegistry::new();
    registry.register::<TestBad>();
    let runner = env.start(&probe, registry, env.settings(&[("test-bad", 1)]));
    // Five attempts allowed (TestBad::MAX_ATTEMPTS), one made.
    let id = env.enqueue(&TestBad {}).await;
    let job = env
        .wait_state(id, JobState::Failed, Duration::from_secs(10))
        .await;
    runner.shutdown().await;
    assert_eq!(job.attempts, 1);
}

// Two behaviours of one type name: the first runner hangs, the one after the crash completes.
test_job!(TestCrashHang, "test-crash", 1, |ctx| hang(&ctx.state).await);
test_job!(TestCrashOk, "test-crash", 1, |_ctx| Ok(()));

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_in_flight_when_its_worker_dies_runs_again() {
    let env = TestEnv::new().await;
    let probe = Probe::default();
    let mut settings = env.settings(&[("test-crash", 1)]);
    settings.lease = Duration::from_millis(900);
    settings.poll_interval = Duration::from_millis(300);

    let mut first = JobRegistry::new();
    first.register::<TestCrashHang>();
    let dying = env.start(&probe, first, settings.clone());
    let id = env.enqueue(&TestCrashHang {}).await;
    within(
        Duration::from_secs(5),
        "job not started",
        probe.started.notified(),
    )
    .await;
    assert_eq!(env.job(id).await.state, JobState::Active);
    let killed_at = Instant::now();
    dying.kill().await;

    let mut second = JobRegistry::new();
    second.register::<TestCrashOk>();
    let restarted = env.start(&probe, second, settings);
    let job = env
        .wait_state(id, JobState::Completed, Duration::from_secs(10))
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

test_job!(TestKnown, "test-known", 1, |_ctx| Ok(()));

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_job_types_fail_with_a_clear_error() {
    let env = TestEnv::new().await;
    let probe = Probe::default();
    let mut registry = JobRegistry::new();
    registry.register::<TestKnown>();
    let runner = env.start(&probe, registry, env.settings(&[("test-known", 1)]));
    let id = env
        .enqueue_row(NewJob::new("test-nobody", serde_json::json!({})))
        .await;
    let job = env
        .wait_state(id, JobState::Failed, Duration::from_secs(10))
        .await;
    runner.shutdown().await;
    let error = job.error.unwrap_or_default();
    assert!(
        error.contains("no handler for job type \"test-nobody\""),
        "{error}"
    );
}

#[derive(Serialize, Deserialize)]
struct TestPanic {
    panic: bool,
}

impl BackgroundJob for TestPanic {
    const NAME: &'static str = "test-panic";
    type Context = Probe;

    async fn run(self, _ctx: JobContext<Probe>) -> Result<(), JobError> {
        if self.panic {
            panic!("boom");
        }
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_handler_fails_its_job_not_the_runner() {
    let env = TestEnv::new().await;
    let probe = Probe::default();
    let mut registry = JobRegistry::new();
    registry.register::<TestPanic>();
    let runner = env.start(&probe, registry, env.settings(&[("test-panic", 1)]));
    let bad = env.enqueue(&TestPanic { panic: true }).await;
    let job = env
        .wait_state(bad, JobState::Failed, Duration::from_secs(10))
        .await;
    assert!(job.error.unwrap_or_default().contains("panicked: boom"));
    let good = env.enqueue(&TestPanic { panic: false }).await;
    env.wait_state(good, JobState::Completed, Duration::from_secs(10))
        .await;
    runner.shutdown().await;
}

test_job!(TestPair, "test-pair", 1, |ctx| {
    let (n, p) = (&ctx.state.now, &ctx.state.peak);
    let running = n.fetch_add(1, Ordering::SeqCst) + 1;
    p.fetch_max(running, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(150)).await;
    n.fetch_sub(1, Ordering::SeqCst);
    Ok(())
});
test_job!(TestElsewhere, "test-elsewhere", 1, |_ctx| Ok(()));

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrency_is_limited_per_type() {
    let env = TestEnv::new().await;
    let probe = Probe::default();
    let mut registry = JobRegistry::new();
    registry.register::<TestPair>().register::<TestElsewhere>();
    // 0: this process leaves the type to others, without failing its jobs.
    let settings = env.settings(&[("test-pair", 2), ("test-elsewhere", 0)]);
    let runner = env.start(&probe, registry, settings);
    let elsewhere = env.enqueue(&TestElsewhere {}).await;
    let mut ids = Vec::new();
    for _ in 0..6 {
        ids.push(env.enqueue(&TestPair {}).await);
    }
    for id in ids {
        env.wait_state(id, JobState::Completed, Duration::from_secs(10))
            .await;
    }
    runner.shutdown().await;
    assert_eq!(probe.peak.load(Ordering::SeqCst), 2);
    assert_eq!(env.job(elsewhere).await.state, JobState::Waiting);
}

test_job!(TestProgress, "test-progress", 1, |ctx| {
    ctx.progress(42.7).await?;
    ctx.state.started.notify_one();
    ctx.state.finish.notified().await;
    Ok(())
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_is_stored_while_the_job_runs() {
    let env = TestEnv::new().await;
    let probe = Probe::default();
    let mut registry = JobRegistry::new();
    registry.register::<TestProgress>();
    let runner = env.start(&probe, registry, env.settings(&[("test-progress", 1)]));
    let id = env.enqueue(&TestProgress {}).await;
    within(
        Duration::from_secs(5),
        "no progress",
        probe.started.notified(),
    )
    .await;
    let job = env.job(id).await;
    assert_eq!((job.state.as_str(), job.progress), ("active", 42));
    probe.finish.notify_one();
    let job = env
        .wait_state(id, JobState::Completed, Duration::from_secs(10))
        .await;
    runner.shutdown().await;
    assert_eq!(job.progress, 100);
}

test_job!(TestSlow, "test-slow", 1, |ctx| {
    ctx.state.started.notify_one();
    tokio::time::sleep(Duration::from_millis(400)).await;
    Ok(())
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_running_jobs_finish() {
    let env = TestEnv::new().await;
    let probe = Probe::default();
    let mut registry = JobRegistry::new();
    registry.register::<TestSlow>();
    let runner = env.start(&probe, registry, env.settings(&[("test-slow", 1)]));
    let id = env.enqueue(&TestSlow {}).await;
    within(
        Duration::from_secs(5),
        "not started",
        probe.started.notified(),
    )
    .await;
    runner.shutdown().await;
    assert_eq!(env.job(id).await.state, JobState::Completed);
}

test_job!(TestHang, "test-hang", 1, |ctx| hang(&ctx.state).await);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_hands_unfinished_jobs_back() {
    let env = TestEnv::new().await;
    let probe = Probe::default();
    let mut registry = JobRegistry::new();
    registry.register::<TestHang>();
    let mut settings = env.settings(&[("test-hang", 1)]);
    settings.shutdown_timeout = Duration::from_millis(200);
    let runner = env.start(&probe, registry, settings);
    let id = env.enqueue(&TestHang {}).await;
    within(
        Duration::from_secs(5),
        "not started",
        probe.started.notified(),
    )
    .await;
    let stopping = Instant::now();
    runner.shutdown().await;
    assert!(stopping.elapsed() < Duration::from_secs(3));
    let job = env.job(id).await;
    assert_eq!((job.state.as_str(), job.attempts), ("waiting", 0));
    assert!(job.lock_token.is_none());
}

test_job!(TestRepeat, "test-repeat", 1, |_ctx| Ok(()));

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_jobs_are_not_piled_up_by_several_runners() {
    let env = TestEnv::new().await;
    let probe = Probe::default();
    let mut runners = Vec::new();
    for _ in 0..2 {
        let mut registry = JobRegistry::new();
        registry.repeat::<TestRepeat>(Duration::from_secs(3600));
        // Concurrency 0: the jobs stay queued, and both runners still schedule.
        runners.push(env.start(&probe, registry, env.settings(&[("test-repeat", 0)])));
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while env.count_in(JobState::Waiting).await == 0 {
        assert!(Instant::now() < deadline, "never scheduled");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    for r in runners {
        r.shutdown().await;
    }
    assert_eq!(env.count_in(JobState::Waiting).await, 1);
}

test_job!(TestPostpone, "test-postpone", 1, |ctx| {
    let runs = ctx.state.runs.lock().map(|mut r| {
        r.push(Instant::now());
        r.len()
    });
    if runs.unwrap_or(0) < 3 {
        return Err(JobError::postpone(
            Duration::from_millis(300),
            "its host is paused",
        ));
    }
    Ok(())
});

/// A postponed run is not an attempt: a one-attempt job postponed twice still completes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postponed_job_runs_again_without_spending_an_attempt() {
    let env = TestEnv::new().await;
    let probe = Probe::default();
    let mut registry = JobRegistry::new();
    registry.register::<TestPostpone>();
    let runner = env.start(&probe, registry, env.settings(&[("test-postpone", 1)]));
    let id = env.enqueue(&TestPostpone {}).await;
    let job = env
        .wait_state(id, JobState::Completed, Duration::from_secs(10))
        .await;
    runner.shutdown().await;
    assert_eq!((job.attempts, job.max_attempts), (1, 1));
    let runs = probe.runs.lock().map(|r| r.clone()).unwrap_or_default();
    assert_eq!(runs.len(), 3);
    assert!(runs[1] - runs[0] >= Duration::from_millis(290));
}

/// A job of group `host:a` or `host:b` (its payload says which).
#[derive(Serialize, Deserialize)]
struct TestGrouped {
    group: String,
}

impl BackgroundJob for TestGrouped {
    const NAME: &'static str = "test-grouped";
    type Context = Probe;

    fn group_key(&self) -> Option<String> {
        Some(self.group.clone())
    }

    async fn run(self, _ctx: JobContext<Probe>) -> Result<(), JobError> {
        Ok(())
    }
}

/// A group's waiting jobs come back together; other groups stay.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_is_resumed_together() {
    use diesel_async::RunQueryDsl;
    let env = TestEnv::new().await;
    let a1 = env
        .enqueue(&TestGrouped {
            group: "host:a".into(),
        })
        .await;
    let a2 = env
        .enqueue(&TestGrouped {
            group: "host:a".into(),
        })
        .await;
    let b = env
        .enqueue(&TestGrouped {
            group: "host:b".into(),
        })
        .await;
    assert_eq!(env.job(a1).await.group_key.as_deref(), Some("host:a"));
    let mut conn = ok(env.db.get().await, "conn");
    let later = "UPDATE jobs SET state = 'delayed', run_at = now() + interval '1 hour'";
    ok(diesel::sql_query(later).execute(&mut conn).await, "delay");
    let resumed = ok(Job::resume_group(&mut conn, "host:a").await, "resume");
    assert_eq!(resumed, 2);
    for id in [a1, a2] {
        let job = env.job(id).await;
        assert_eq!((job.state.as_str(), job.attempts), ("waiting", 0));
        assert!(job.run_at <= chrono::Utc::now());
    }
    assert!(env.job(b).await.run_at > chrono::Utc::now());
}
