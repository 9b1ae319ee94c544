//! One runner per process: a dispatcher claims due jobs while their type has a free slot and
//! spawns each on its own task; an upkeep task renews the leases of running jobs and takes back
//! those of dead workers; a scheduler enqueues the repeated jobs. Shutdown stops claiming, lets
//! running jobs finish for `shutdown_timeout`, then hands the rest back to the queue.

use std::collections::{BTreeMap, HashMap};
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use diesel_async::{AsyncConnection, AsyncPgConnection};
use futures::FutureExt;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::{JoinHandle, JoinSet};
use uuid::Uuid;

use super::registry::{Entry, Repeat};
use super::{JobContext, JobError, JobRegistry, Settings, listener};
use crate::db::{DbConn, DbPool};
use crate::error::FederationError;
use crate::models::job::{Finished, Job};

/// Shortest idle wait, so a due job held by another claimer does not make us spin.
const MIN_WAIT: Duration = Duration::from_millis(20);

/// A running runner; dropping it leaves the runner running until the process ends.
pub struct RunnerHandle {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl RunnerHandle {
    /// Stops claiming, waits for running jobs (up to `shutdown_timeout`), hands back the rest.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::error!(error = %e, "the job runner ended abnormally");
        }
    }

    /// Stops everything at once without touching the queue, as a killed process would.
    #[cfg(test)]
    pub async fn kill(self) {
        self.task.abort();
        let _ = self.task.await;
    }
}

/// Starts a runner of `registry`'s types on `db`; each job gets a clone of `context`.
pub fn start<C: Clone + Send + Sync + 'static>(
    db: DbPool,
    context: C,
    registry: JobRegistry<C>,
    settings: Settings,
) -> RunnerHandle {
    let (stop, stopped) = watch::channel(false);
    let runner = Runner::new(db, context, registry, settings);
    RunnerHandle {
        stop,
        task: tokio::spawn(runner.run(stopped)),
    }
}

/// What the runner's tasks share.
struct Shared<C> {
    context: C,
    db: DbPool,
    settings: Settings,
    /// Claim tokens of the jobs running here, by job id: their leases are renewed.
    running: Mutex<HashMap<i64, Uuid>>,
}

impl<C> Shared<C> {
    async fn conn(&self) -> Result<DbConn, FederationError> {
        Ok(self.db.get().await?)
    }

    fn running(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Uuid>> {
        self.running.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

struct Runner<C> {
    shared: Arc<Shared<C>>,
    registry: JobRegistry<C>,
    /// Every registered type, so jobs of other types can be claimed and failed.
    known: Vec<String>,
    slots: BTreeMap<String, Arc<Semaphore>>,
    wake: Arc<Notify>,
    tasks: JoinSet<()>,
}

/// Aborts a helper task when the runner goes, however it goes.
struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl<C: Clone + Send + Sync + 'static> Runner<C> {
    fn new(db: DbPool, context: C, registry: JobRegistry<C>, settings: Settings) -> Self {
        let known = registry.job_types();
        let slots = settings
            .concurrency
            .iter()
            .map(|(t, n)| (t.clone(), Arc::new(Semaphore::new(*n))))
            .collect();
        Self {
            shared: Arc::new(Shared {
                context,
                db,
                settings,
                running: Mutex::new(HashMap::new()),
            }),
            registry,
            known,
            slots,
            wake: Arc::new(Notify::new()),
            tasks: JoinSet::new(),
        }
    }

    async fn run(mut self, mut stop: watch::Receiver<bool>) {
        let settings = &self.shared.settings;
        let _listener = AbortOnDrop(tokio::spawn(listener::listen(
            settings.database_url.clone(),
            self.wake.clone(),
        )));
        let _upkeep = AbortOnDrop(tokio::spawn(upkeep(self.shared.clone())));
        let schedule = AbortOnDrop(tokio::spawn(schedule(
            self.shared.db.clone(),
            self.registry.repeats().to_vec(),
        )));
        tracing::info!(concurrency = ?settings.concurrency, "job runner started");
        self.dispatch(&mut stop).await;
        drop(schedule);
        self.drain().await;
    }

    /// Claims and starts jobs until told to stop.
    async fn dispatch(&mut self, stop: &mut watch::Receiver<bool>) {
        let poll = self.shared.settings.poll_interval;
        loop {
            if *stop.borrow() {
                return;
            }
            while self.tasks.try_join_next().is_some() {}
            let ready = self.ready_types();
            let wait = match self.claim(&ready).await {
                Ok(Some(job)) => {
                    self.start_job(job).await;
                    continue;
                }
                Ok(None) => self.idle_wait(&ready).await,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot claim jobs");
                    poll
                }
            };
            let wake = self.wake.clone();
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
                changed = stop.changed() => if changed.is_err() { return },
                Some(_) = self.tasks.join_next(), if !self.tasks.is_empty() => {}
            }
        }
    }

    /// Registered types with a free slot.
    fn ready_types(&self) -> Vec<String> {
        self.slots
            .iter()
            .filter(|(_, s)| s.available_permits() > 0)
            .map(|(t, _)| t.clone())
            .collect()
    }

    async fn claim(&self, ready: &[String]) -> Result<Option<Job>, FederationError> {
        let mut conn = self.shared.conn().await?;
        let lease = self.shared.settings.lease;
        Ok(Job::claim(&mut conn, ready, &self.known, lease).await?)
    }

    /// Until the next delayed job is due, at most the poll interval.
    async fn idle_wait(&self, ready: &[String]) -> Duration {
        let poll = self.shared.settings.poll_interval;
        let due = match self.shared.conn().await {
            Ok(mut conn) => Job::next_due_in(&mut conn, ready, &self.known).await,
            Err(_) => return poll,
        };
        match due {
            Ok(Some(d)) => d.clamp(MIN_WAIT, poll.max(MIN_WAIT)),
            _ => poll,
        }
    }

    async fn start_job(&mut self, job: Job) {
        let Some(token) = job.lock_token else {
            return;
        };
        let Some(entry) = self.registry.entry(&job.job_type).cloned() else {
            let error = format!(
                "no handler for job type {:?} in this ferrotube",
                job.job_type
            );
            tracing::warn!(job = job.id, job_type = %job.job_type, "{error}");
            record(&self.shared, job.id, token, &Finished::Failed { error }).await;
            return;
        };
        let permit = match self.slots.get(&job.job_type) {
            Some(slots) => slots.clone().acquire_owned().await.ok(),
            None => None,
        };
        self.shared.running().insert(job.id, token);
        self.tasks
            .spawn(execute(self.shared.clone(), entry, job, token, permit));
    }

    /// After the dispatcher stopped: waits for running jobs, then hands back the unfinished.
    async fn drain(&mut self) {
        if !self.tasks.is_empty() {
            tracing::info!(
                running = self.tasks.len(),
                "waiting for running jobs to finish"
            );
        }
        let timeout = self.shared.settings.shutdown_timeout;
        let tasks = &mut self.tasks;
        let finished = tokio::time::timeout(timeout, async {
            while tasks.join_next().await.is_some() {}
        })
        .await;
        if finished.is_err() {
            self.tasks.abort_all();
            while self.tasks.join_next().await.is_some() {}
            let tokens: Vec<Uuid> = self.shared.running().drain().map(|(_, t)| t).collect();
            let released = match self.shared.conn().await {
                Ok(mut conn) => Job::release(&mut conn, &tokens).await.map_err(Into::into),
                Err(e) => Err(e),
            };
            match released {
                Ok(n) => tracing::info!(jobs = n, "handed unfinished jobs back to the queue"),
                Err(e) => tracing::warn!(
                    error = %e,
                    "cannot hand unfinished jobs back; they run again when their lease passes"
                ),
            }
        }
        tracing::info!("job runner stopped");
    }
}

/// Runs one claimed job and records its outcome.
async fn execute<C: Clone + Send + Sync + 'static>(
    shared: Arc<Shared<C>>,
    entry: Entry<C>,
    job: Job,
    token: Uuid,
    _slot: Option<OwnedSemaphorePermit>,
) {
    let started = Instant::now();
    let ctx = JobContext::new(shared.context.clone(), shared.db.clone(), &job);
    let payload = job.payload.clone();
    let timeout = entry.timeout;
    let run = AssertUnwindSafe(async move {
        let run = (entry.run)(ctx, payload);
        match timeout {
            Some(limit) => tokio::time::timeout(limit, run).await.unwrap_or_else(|_| {
                Err(JobError::Retry(format!(
                    "timed out after {} s",
                    limit.as_secs_f64()
                )))
            }),
            None => run.await,
        }
    });
    let result = run.catch_unwind().await.unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(JobError::Retry(format!("the handler panicked: {message}")))
    });
    let outcome = match result {
        Ok(()) => Finished::Completed,
        Err(JobError::Postpone { reason, after }) => Finished::Postponed { reason, after },
        Err(JobError::Retry(error)) if job.attempts < job.max_attempts => Finished::Retry {
            error,
            after: entry
                .backoff
                .delay(shared.settings.backoff_base, job.attempts),
        },
        Err(e) => Finished::Failed {
            error: e.to_string(),
        },
    };
    let elapsed_ms = started.elapsed().as_millis();
    match &outcome {
        Finished::Completed => {
            tracing::debug!(job = job.id, job_type = %job.job_type, elapsed_ms, "job completed")
        }
        Finished::Retry { error, after } => tracing::warn!(
            job = job.id, job_type = %job.job_type, attempt = job.attempts, %error,
            retry_in_ms = after.as_millis(), "job failed; will retry"
        ),
        Finished::Failed { error } => tracing::warn!(
            job = job.id, job_type = %job.job_type, attempt = job.attempts, %error, "job failed"
        ),
        Finished::Postponed { reason, after } => tracing::debug!(
            job = job.id, job_type = %job.job_type, %reason, run_in_ms = after.as_millis(),
            "job postponed"
        ),
    }
    record(&shared, job.id, token, &outcome).await;
    shared.running().remove(&job.id);
}

/// Stores a job's outcome, retrying while the database is unreachable; the lease stays renewed
/// meanwhile. If it never gets through, the job runs again once its lease passes.
async fn record<C>(shared: &Shared<C>, id: i64, token: Uuid, outcome: &Finished) {
    let mut delay = Duration::from_millis(200);
    for _ in 0..6 {
        let stored = match shared.conn().await {
            Ok(mut conn) => Job::finish(&mut conn, id, token, outcome)
                .await
                .map_err(FederationError::from),
            Err(e) => Err(e),
        };
        match stored {
            Ok(true) => return,
            Ok(false) => {
                tracing::warn!(
                    job = id,
                    "the job's lease was lost before it ended; outcome dropped"
                );
                return;
            }
            Err(e) => tracing::warn!(job = id, error = %e, "cannot record the job's outcome yet"),
        }
        tokio::time::sleep(delay).await;
        delay *= 2;
    }
    tracing::error!(
        job = id,
        "cannot record the job's outcome; it runs again after its lease"
    );
}

/// Renews the leases of the jobs running here and takes back expired ones, on a connection of
/// its own so that busy jobs holding the pool cannot make our leases lapse.
async fn upkeep<C>(shared: Arc<Shared<C>>) {
    let every = (shared.settings.lease / 3).max(Duration::from_millis(100));
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut conn: Option<AsyncPgConnection> = None;
    loop {
        tick.tick().await;
        if conn.is_none() {
            match AsyncPgConnection::establish(&shared.settings.database_url).await {
                Ok(c) => conn = Some(c),
                Err(e) => {
                    tracing::warn!(error = %e, "job upkeep cannot connect");
                    continue;
                }
            }
        }
        if let Some(c) = conn.as_mut()
            && let Err(e) = upkeep_once(&shared, c).await
        {
            tracing::warn!(error = %e, "job upkeep failed");
            conn = None;
        }
    }
}

async fn upkeep_once<C>(
    shared: &Shared<C>,
    conn: &mut AsyncPgConnection,
) -> diesel::QueryResult<()> {
    let settings = &shared.settings;
    let tokens: Vec<Uuid> = shared.running().values().copied().collect();
    let renewed = Job::extend_leases(conn, &tokens, settings.lease).await?;
    if renewed.len() < tokens.len() {
        let running = shared.running();
        for (id, token) in running.iter() {
            if tokens.contains(token) && !renewed.contains(token) {
                tracing::warn!(
                    job = id,
                    "a running job lost its lease; another worker may run it"
                );
            }
        }
    }
    for (id, state) in Job::reclaim_expired(conn, settings.max_stalls).await? {
        tracing::warn!(job = id, %state, "took back a job whose worker stopped");
    }
    Ok(())
}

/// Enqueues each repeated job now and then at its interval, de-duplicated by type.
async fn schedule(db: DbPool, repeats: Vec<Repeat>) {
    let mut timers = JoinSet::new();
    for repeat in repeats {
        let db = db.clone();
        timers.spawn(async move {
            let mut tick = tokio::time::interval(repeat.every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let enqueued = async {
                    let row = (repeat.row)()?;
                    let mut conn = db.get().await?;
                    Job::enqueue(&mut conn, &row).await?;
                    Ok::<_, FederationError>(())
                };
                if let Err(e) = enqueued.await {
                    tracing::warn!(job_type = repeat.job_type, error = %e, "cannot schedule job");
                }
            }
        });
    }
    while timers.join_next().await.is_some() {}
}
