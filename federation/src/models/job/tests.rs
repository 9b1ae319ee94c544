//! The queue against a real PostgreSQL (127.0.0.1:5432, user postgres): each test gets a
//! database of its own, cloned from the test harness's migrated template.

use std::time::Duration;

use chrono::Utc;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use ferrotube_test_support::db::TestDatabase;
use serde_json::json;

use super::*;

fn ok<T, E: std::fmt::Debug>(r: Result<T, E>, what: &str) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{what}: {e:?}"),
    }
}

const LEASE: Duration = Duration::from_secs(30);

fn types(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// Every type the tests use: a claimer fails jobs of types it does not know.
const ALL: &[&str] = &["t", "u", "a", "b", "c", "other", "federate-video"];

async fn claim(conn: &mut AsyncPgConnection, t: &str) -> Option<Job> {
    ok(
        Job::claim(conn, &types(&[t]), &types(ALL), LEASE).await,
        "claim",
    )
}

async fn enqueue(conn: &mut AsyncPgConnection, job: NewJob) -> Option<i64> {
    ok(Job::enqueue(conn, &job).await, "enqueue")
}

async fn get(conn: &mut AsyncPgConnection, id: i64) -> Job {
    match ok(Job::find(conn, id).await, "find") {
        Some(j) => j,
        None => panic!("job {id} is gone"),
    }
}

fn token(job: &Job) -> Uuid {
    job.lock_token.unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pending_job_is_not_enqueued_twice() {
    let db = TestDatabase::new().await;
    let mut conn = db.conn().await;
    let job = || NewJob::new("t", json!({"n": 1})).dedup_key("video-1");
    let first = enqueue(&mut conn, job()).await;
    assert!(first.is_some());
    assert_eq!(enqueue(&mut conn, job()).await, None, "waiting duplicate");
    // Same key, other type: a different job.
    assert!(
        enqueue(&mut conn, NewJob::new("u", json!({})).dedup_key("video-1"))
            .await
            .is_some()
    );
    // Without a key nothing is de-duplicated.
    assert!(
        enqueue(&mut conn, NewJob::new("t", json!({})))
            .await
            .is_some()
    );
    assert!(
        enqueue(&mut conn, NewJob::new("t", json!({})))
            .await
            .is_some()
    );

    let claimed = match claim(&mut conn, "t").await {
        Some(j) => j,
        None => panic!("nothing to claim"),
    };
    assert_eq!(Some(claimed.id), first);
    // A running job may have read older data: a new one is queued, once.
    let second = enqueue(&mut conn, job()).await;
    assert!(second.is_some(), "a running job does not block a new one");
    assert_eq!(enqueue(&mut conn, job()).await, None, "waiting duplicate");

    // Back to the queue next to its twin, the first one drops its key (both will run).
    let retry = Finished::Retry {
        error: "busy".into(),
        after: Duration::ZERO,
    };
    let retried = ok(
        Job::finish(&mut conn, claimed.id, token(&claimed), &retry).await,
        "retry next to a twin",
    );
    assert!(retried);
    let row = get(&mut conn, claimed.id).await;
    assert_eq!((row.state.as_str(), row.dedup_key), ("delayed", None));
    assert_eq!(
        get(&mut conn, second.unwrap_or_default())
            .await
            .dedup_key
            .as_deref(),
        Some("video-1")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reclaimed_and_released_jobs_do_not_clash_with_their_twins() {
    let db = TestDatabase::new().await;
    let mut conn = db.conn().await;
    let job = || NewJob::new("t", json!({})).dedup_key("k");
    let short = Duration::from_millis(100);
    let t = types(&["t"]);
    let mut claimed = Vec::new();
    // Two jobs with one key, each claimed before the next is enqueued.
    for _ in 0..2 {
        enqueue(&mut conn, job()).await;
        match ok(Job::claim(&mut conn, &t, &t, short).await, "claim") {
            Some(j) => claimed.push(j),
            None => panic!("nothing to claim"),
        }
    }
    let third = enqueue(&mut conn, job()).await;
    assert!(third.is_some());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let reclaimed = ok(Job::reclaim_expired(&mut conn, 3).await, "reclaim");
    assert_eq!(reclaimed.len(), 2);
    let (total, rows) = ok(
        Job::list(
            &mut conn,
            Some(JobState::Waiting),
            None,
            Utc::now(),
            (0, 10),
            true,
        )
        .await,
        "list",
    );
    assert_eq!(total, 3, "all three will run");
    let keyed: Vec<i64> = rows
        .iter()
        .filter(|r| r.dedup_key.is_some())
        .map(|r| r.id)
        .collect();
    assert_eq!(
        keyed,
        vec![third.unwrap_or_default()],
        "one key among the waiting"
    );

    // The same through `release`.
    let Some(a) = claim(&mut conn, "t").await else {
        panic!("nothing to claim");
    };
    let again = enqueue(&mut conn, NewJob::new("t", json!({})).dedup_key("r"));
    assert!(again.await.is_some());
    ok(
        diesel::sql_query("UPDATE jobs SET dedup_key = 'r' WHERE id = $1")
            .bind::<diesel::sql_types::BigInt, _>(a.id)
            .execute(&mut conn)
            .await,
        "key the claimed job",
    );
    assert_eq!(
        ok(Job::release(&mut conn, &[token(&a)]).await, "release"),
        1
    );
    assert_eq!(get(&mut conn, a.id).await.dedup_key, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_claimers_never_share_a_job() {
    let db = TestDatabase::new().await;
    let mut conn = db.conn().await;
    for n in 0..120 {
        enqueue(&mut conn, NewJob::new("t", json!({ "n": n }))).await;
    }
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..6 {
        let mut conn = db.conn().await;
        workers.spawn(async move {
            let mut mine = Vec::new();
            while let Some(job) = claim(&mut conn, "t").await {
                mine.push(job.id);
                let done = ok(
                    Job::finish(&mut conn, job.id, token(&job), &Finished::Completed).await,
                    "finish",
                );
                assert!(done);
            }
            mine
        });
    }
    let mut all = Vec::new();
    while let Some(r) = workers.join_next().await {
        all.extend(ok(r, "worker"));
    }
    let count = all.len();
    all.sort_unstable();
    all.dedup();
    assert_eq!(count, 120, "every job claimed");
    assert_eq!(all.len(), 120, "no job claimed twice");
    let (total, _) = ok(
        Job::list(
            &mut conn,
            Some(JobState::Completed),
            None,
            Utc::now(),
            (0, 1),
            true,
        )
        .await,
        "list",
    );
    assert_eq!(total, 120);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims_follow_priority_then_run_at_and_wait_for_delays() {
    let db = TestDatabase::new().await;
    let mut conn = db.conn().await;
    let low = enqueue(&mut conn, NewJob::new("t", json!({})).priority(5)).await;
    let first = enqueue(&mut conn, NewJob::new("t", json!({}))).await;
    let second = enqueue(&mut conn, NewJob::new("t", json!({}))).await;
    let later = enqueue(
        &mut conn,
        NewJob::new("t", json!({})).delay(Duration::from_millis(300)),
    )
    .await;
    assert_eq!(
        get(&mut conn, later.unwrap_or_default()).await.state,
        JobState::Delayed
    );
    // Another type is not claimed.
    enqueue(&mut conn, NewJob::new("other", json!({}))).await;

    let mut order = Vec::new();
    while let Some(j) = claim(&mut conn, "t").await {
        order.push(Some(j.id));
    }
    assert_eq!(order, vec![first, second, low]);
    let due = ok(
        Job::next_due_in(&mut conn, &types(&["t"]), &types(ALL)).await,
        "due",
    );
    assert!(due.is_some_and(|d| d > Duration::ZERO && d <= Duration::from_millis(300)));
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(claim(&mut conn, "t").await.map(|j| j.id), later);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_of_unknown_types_are_offered_to_be_failed() {
    let db = TestDatabase::new().await;
    let mut conn = db.conn().await;
    let id = enqueue(&mut conn, NewJob::new("mystery", json!({}))).await;
    // A runner knowing only "t" (with no free slot) still gets it.
    let job = ok(
        Job::claim(&mut conn, &[], &types(&["t"]), LEASE).await,
        "claim",
    );
    assert_eq!(job.map(|j| j.id), id);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retried_job_waits_then_fails_for_good() {
    let db = TestDatabase::new().await;
    let mut conn = db.conn().await;
    let id = enqueue(&mut conn, NewJob::new("t", json!({})).max_attempts(2))
        .await
        .unwrap_or_default();
    let Some(job) = claim(&mut conn, "t").await else {
        panic!("nothing to claim");
    };
    assert_eq!(job.attempts, 1);
    let retry = Finished::Retry {
        error: "connection refused".into(),
        after: Duration::from_millis(300),
    };
    assert!(ok(
        Job::finish(&mut conn, id, token(&job), &retry).await,
        "finish"
    ));
    let row = get(&mut conn, id).await;
    assert_eq!(row.state, JobState::Delayed);
    assert_eq!(row.error.as_deref(), Some("connection refused"));
    assert_eq!(row.effective_state(Utc::now()), JobState::Delayed);
    assert!(
        claim(&mut conn, "t").await.is_none(),
        "not before its back-off"
    );
    tokio::time::sleep(Duration::from_millis(350)).await;
    let Some(job) = claim(&mut conn, "t").await else {
        panic!("not claimable after its back-off");
    };
    assert_eq!(job.attempts, 2);
    let failed = Finished::Failed {
        error: "still refused".into(),
    };
    assert!(ok(
        Job::finish(&mut conn, id, token(&job), &failed).await,
        "finish"
    ));
    let row = get(&mut conn, id).await;
    assert_eq!(row.state, JobState::Failed);
    assert!(row.finished_on.is_some());
    assert!(row.lock_token.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_leases_are_reclaimed_and_the_old_claim_is_fenced_off() {
    let db = TestDatabase::new().await;
    let mut conn = db.conn().await;
    let id = enqueue(&mut conn, NewJob::new("t", json!({})))
        .await
        .unwrap_or_default();
    let short = Duration::from_millis(200);
    let Some(job) = ok(
        Job::claim(&mut conn, &types(&["t"]), &types(&["t"]), short).await,
        "claim",
    ) else {
        panic!("nothing to claim");
    };
    assert!(ok(Job::reclaim_expired(&mut conn, 3).await, "reclaim").is_empty());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let reclaimed = ok(Job::reclaim_expired(&mut conn, 3).await, "reclaim");
    assert_eq!(reclaimed, vec![(id, JobState::Waiting)]);
    let row = get(&mut conn, id).await;
    assert_eq!(
        (row.attempts, row.stalls),
        (0, 1),
        "the cut-short run is not counted"
    );

    // The dead worker's claim can no longer write anything.
    assert!(!ok(
        Job::finish(&mut conn, id, token(&job), &Finished::Completed).await,
        "f"
    ));
    assert!(!ok(
        Job::set_progress(&mut conn, id, token(&job), 50).await,
        "p"
    ));

    let Some(again) = claim(&mut conn, "t").await else {
        panic!("not claimable again");
    };
    assert_ne!(again.lock_token, job.lock_token);
    assert!(ok(
        Job::set_progress(&mut conn, id, token(&again), 120).await,
        "p"
    ));
    assert_eq!(get(&mut conn, id).await.progress, 100, "clamped");
    assert!(ok(
        Job::finish(&mut conn, id, token(&again), &Finished::Completed).await,
        "f"
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn renewed_leases_hold_and_repeated_stalls_fail_the_job() {
    let db = TestDatabase::new().await;
    let mut conn = db.conn().await;
    let id = enqueue(&mut conn, NewJob::new("t", json!({})))
        .await
        .unwrap_or_default();
    let short = Duration::from_millis(200);
    let t = types(&["t"]);
    let Some(job) = ok(Job::claim(&mut conn, &t, &t, short).await, "claim") else {
        panic!("nothing to claim");
    };
    let renewed = ok(
        Job::extend_leases(&mut conn, &[token(&job), Uuid::new_v4()], LEASE).await,
        "extend",
    );
    assert_eq!(renewed, vec![token(&job)]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(ok(Job::reclaim_expired(&mut conn, 2).await, "reclaim").is_empty());

    // Two deaths with max_stalls = 2: failed.
    ok(
        diesel::sql_query("UPDATE jobs SET locked_until = now() - interval '1 second'")
            .execute(&mut conn)
            .await,
        "expire",
    );
    assert_eq!(
        ok(Job::reclaim_expired(&mut conn, 2).await, "reclaim"),
        vec![(id, JobState::Waiting)]
    );
    let Some(_) = ok(Job::claim(&mut conn, &t, &t, short).await, "claim") else {
        panic!("nothing to claim");
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        ok(Job::reclaim_expired(&mut conn, 2).await, "reclaim"),
        vec![(id, JobState::Failed)]
    );
    let row = get(&mut conn, id).await;
    assert!(row.error.unwrap_or_default().contains("2 times"));
    assert!(row.finished_on.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn released_jobs_get_their_attempt_back() {
    let db = TestDatabase::new().await;
    let mut conn = db.conn().await;
    let id = enqueue(&mut conn, NewJob::new("t", json!({})))
        .await
        .unwrap_or_default();
    let Some(job) = claim(&mut conn, "t").await else {
        panic!("nothing to claim");
    };
    assert_eq!(
        ok(Job::release(&mut conn, &[token(&job)]).await, "release"),
        1
    );
    let row = get(&mut conn, id).await;
    assert_eq!((row.state.as_str(), row.attempts), ("waiting", 0));
    assert!(claim(&mut conn, "t").await.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_listing_filters_sorts_and_pages() {
    let db = TestDatabase::new().await;
    let mut conn = db.conn().await;
    let mut ids = Vec::new();
    for t in ["a", "a", "b", "c"] {
        ids.push(
            enqueue(&mut conn, NewJob::new(t, json!({})))
                .await
                .unwrap_or_default(),
        );
    }
    enqueue(
        &mut conn,
        NewJob::new("a", json!({})).delay(Duration::from_secs(3600)),
    )
    .await;
    let Some(b) = claim(&mut conn, "b").await else {
        panic!("no b");
    };
    let Some(c) = claim(&mut conn, "c").await else {
        panic!("no c");
    };
    ok(
        Job::finish(&mut conn, c.id, token(&c), &Finished::Completed).await,
        "finish",
    );
    let now = Utc::now();
    let mut count = async |state, t: Option<&str>| {
        ok(
            Job::list(&mut conn, state, t, now, (0, 100), true).await,
            "list",
        )
        .0
    };
    assert_eq!(count(None, None).await, 5);
    assert_eq!(count(Some(JobState::Waiting), None).await, 2);
    assert_eq!(count(Some(JobState::Delayed), None).await, 1);
    assert_eq!(count(Some(JobState::Active), None).await, 1);
    assert_eq!(count(Some(JobState::Completed), None).await, 1);
    assert_eq!(count(Some(JobState::Failed), None).await, 0);
    assert_eq!(count(None, Some("a")).await, 3);
    assert_eq!(count(Some(JobState::Waiting), Some("a")).await, 2);

    let (total, page) = ok(
        Job::list(&mut conn, None, None, now, (1, 2), false).await,
        "l",
    );
    assert_eq!(total, 5);
    assert_eq!(page.len(), 2);
    assert!(page[0].id > page[1].id, "newest first");
    let (_, asc) = ok(
        Job::list(&mut conn, None, None, now, (0, 2), true).await,
        "l",
    );
    assert_eq!(
        asc.iter().map(|j| j.id).collect::<Vec<_>>(),
        ids[..2].to_vec()
    );
    assert_eq!(
        get(&mut conn, b.id).await.effective_state(now),
        JobState::Active
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_finished_jobs_are_purged() {
    let db = TestDatabase::new().await;
    let mut conn = db.conn().await;
    for _ in 0..3 {
        enqueue(&mut conn, NewJob::new("t", json!({}))).await;
    }
    for _ in 0..2 {
        let Some(j) = claim(&mut conn, "t").await else {
            panic!("nothing to claim");
        };
        ok(
            Job::finish(&mut conn, j.id, token(&j), &Finished::Completed).await,
            "finish",
        );
    }
    ok(
        diesel::sql_query(
            "UPDATE jobs SET finished_on = now() - interval '8 days' \
             WHERE id = (SELECT min(id) FROM jobs)",
        )
        .execute(&mut conn)
        .await,
        "age",
    );
    let week = Duration::from_secs(7 * 86_400);
    assert_eq!(ok(Job::purge_finished(&mut conn, week).await, "purge"), 1);
    let (total, _) = ok(
        Job::list(&mut conn, None, None, Utc::now(), (0, 10), true).await,
        "l",
    );
    assert_eq!(
        total, 2,
        "the recent completed job and the waiting one stay"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runnable_jobs_notify_listeners_at_commit() {
    let db = TestDatabase::new().await;
    let (client, mut connection) = ok(
        tokio_postgres::connect(&db.url(), tokio_postgres::NoTls).await,
        "connect",
    );
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(Ok(m)) = std::future::poll_fn(|cx| connection.poll_message(cx)).await {
            if let tokio_postgres::AsyncMessage::Notification(n) = m {
                let _ = tx.send((n.channel().to_string(), n.payload().to_string()));
            }
        }
    });
    ok(
        client.batch_execute("LISTEN ferrotube_jobs").await,
        "listen",
    );
    let mut conn = db.conn().await;
    enqueue(&mut conn, NewJob::new("federate-video", json!({}))).await;
    let got = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await;
    assert_eq!(
        ok(got, "no notification"),
        Some(("ferrotube_jobs".to_string(), "federate-video".to_string()))
    );
}
