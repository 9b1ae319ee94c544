//! The delivery job (`activitypub-http-unicast`): POSTs one signed body to one inbox, through the
//! per-host circuit breaker (`crate::host_health`): a paused host's deliveries are postponed
//! without holding a worker or counting an attempt, an unreachable host's are dropped.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::score;
use crate::fetch;
use crate::host_health::{self, Gate};
use crate::models::actor::Actor;
use crate::queue::{BackgroundJob, JobContext, JobError};
use crate::signatures::http;
use crate::state::AppState;

/// Deliveries to one host running at once in this process, so a big fan-out does not
/// hammer a single instance.
const PER_HOST: usize = 8;
/// How long a delivery waits for one of its host's slots before giving its worker back.
const SLOT_WAIT: Duration = Duration::from_secs(1);
/// When it gave its worker back, it is due again after this.
const SLOT_RETRY: Duration = Duration::from_secs(2);

/// One delivery to one inbox.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Delivery {
    pub inbox: String,
    /// The local actor that signs the request.
    pub actor_id: i64,
    /// The activity, already LD-signed, so every inbox gets the same bytes.
    pub body: Value,
}

impl BackgroundJob for Delivery {
    /// PeerTube's type name; PeerTube tries once, ferrotube retries.
    const NAME: &'static str = "activitypub-http-unicast";
    /// With a 60 s base the last attempt is about 17 hours after the first. Attempts are
    /// counted only while the host answers others: a paused host's deliveries wait for free.
    const MAX_ATTEMPTS: i32 = 11;
    /// PeerTube's; `PER_HOST` keeps a fan-out from hammering one instance.
    const CONCURRENCY: usize = 30;
    const TIMEOUT: Option<Duration> = Some(Duration::from_secs(600));
    type Context = AppState;

    /// The deliveries to one host are paused and resumed together.
    fn group_key(&self) -> Option<String> {
        url::Url::parse(&self.inbox)
            .ok()
            .map(|u| host_health::group_key(&fetch::url_host(&u)))
    }

    async fn run(self, ctx: JobContext<AppState>) -> Result<(), JobError> {
        deliver(&ctx, self).await
    }
}

fn host_permits(host: &str) -> Arc<Semaphore> {
    static HOSTS: OnceLock<Mutex<HashMap<String, Arc<Semaphore>>>> = OnceLock::new();
    let map = HOSTS.get_or_init(Default::default);
    let mut guard = match map.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    };
    guard
        .entry(host.to_string())
        .or_insert_with(|| Arc::new(Semaphore::new(PER_HOST)))
        .clone()
}

/// One of the host's slots, or the job postponed (its worker freed) when they stay busy.
async fn host_slot(host: &str) -> Result<OwnedSemaphorePermit, JobError> {
    match tokio::time::timeout(SLOT_WAIT, host_permits(host).acquire_owned()).await {
        Ok(Ok(permit)) => Ok(permit),
        Ok(Err(e)) => Err(JobError::retry(e)),
        Err(_) => Err(JobError::postpone(
            SLOT_RETRY,
            format!("{PER_HOST} deliveries to {host} running"),
        )),
    }
}

/// What an attempt came to.
enum Outcome {
    Delivered,
    /// The host answered and refused: retrying cannot help.
    Refused(String),
    /// The host did not answer, or answered that it cannot now (5xx, 408, 429).
    HostFailed(String),
}

async fn deliver(ctx: &JobContext<AppState>, p: Delivery) -> Result<(), JobError> {
    let state = &ctx.state;
    let url = url::Url::parse(&p.inbox).map_err(JobError::permanent)?;
    let host = fetch::url_host(&url);
    let probe = match host_health::gate(state, &host).await? {
        Gate::Go { probe } => probe,
        Gate::Wait(pause) => return Err(JobError::postpone(pause, format!("{host} is paused"))),
        Gate::Unreachable(since) => {
            let mut conn = state.conn().await?;
            score::record(&mut conn, &p.inbox, false).await?;
            return Err(JobError::permanent(format!(
                "{host} is unreachable since {since}: delivery dropped"
            )));
        }
    };
    let actor = {
        let mut conn = state.conn().await?;
        Actor::find(&mut conn, p.actor_id)
            .await?
            .ok_or_else(|| JobError::permanent("the sending actor is gone"))?
    };
    let pem = actor
        .private_key_pem
        .as_deref()
        .ok_or_else(|| JobError::permanent("the sending actor has no key"))?;
    let body = serde_json::to_vec(&p.body).map_err(JobError::permanent)?;
    let _slot = host_slot(&host).await?;
    let signed = http::sign_post(&url, &body, &actor.url, pem)?;
    let outcome = post(state, url, body, signed).await?;
    settle(ctx, &p.inbox, &host, probe, outcome).await
}

/// Records what an attempt came to (the host's health, the follow score) and how the job ends.
async fn settle(
    ctx: &JobContext<AppState>,
    inbox: &str,
    host: &str,
    probe: bool,
    outcome: Outcome,
) -> Result<(), JobError> {
    let state = &ctx.state;
    match outcome {
        Outcome::Delivered => {
            host_health::answered(state, host).await?;
            let mut conn = state.conn().await?;
            score::record(&mut conn, inbox, true).await?;
            Ok(())
        }
        Outcome::Refused(msg) => {
            host_health::answered(state, host).await?;
            tracing::warn!(inbox = %inbox, %msg, "delivery refused");
            let mut conn = state.conn().await?;
            score::record(&mut conn, inbox, false).await?;
            Err(JobError::permanent(msg))
        }
        Outcome::HostFailed(msg) => {
            tracing::warn!(inbox = %inbox, %msg, probe, "delivery failed");
            let health = host_health::failed(state, host, &msg, probe).await?;
            let now = Utc::now();
            let result = if health.unreachable_since.is_some() {
                JobError::permanent(format!("{msg}; {host} is unreachable"))
            } else if let Some(t) = health.open_until.filter(|t| *t > now) {
                // The host is down rather than this delivery wrong: wait for it for free.
                let pause = (t - now).to_std().unwrap_or(Duration::ZERO);
                return Err(JobError::postpone(pause, format!("{msg}; {host} paused")));
            } else {
                JobError::retry(msg)
            };
            if result.is_permanent() || ctx.is_last_attempt() {
                // Lost for good: PeerTube's score counts lost deliveries.
                let mut conn = state.conn().await?;
                score::record(&mut conn, inbox, false).await?;
            }
            Err(result)
        }
    }
}

async fn post(
    state: &AppState,
    url: url::Url,
    body: Vec<u8>,
    signed: http::SignedHeaders,
) -> Result<Outcome, JobError> {
    let client = fetch::client(state.config.federation.prevent_ssrf)?;
    let mut req = client
        .post(url.clone())
        .timeout(state.config.federation.delivery.timeout)
        .header("content-type", "application/activity+json")
        .header("accept", fetch::ACCEPT)
        .body(body);
    for (k, v) in signed.pairs() {
        if k != "host" {
            req = req.header(k, v);
        }
    }
    Ok(match req.send().await {
        Ok(resp) if resp.status().is_success() => Outcome::Delivered,
        Ok(resp) => {
            let status = resp.status();
            let msg = format!("{url} answered {status}");
            let busy = status.is_server_error() || matches!(status.as_u16(), 408 | 429);
            if busy {
                Outcome::HostFailed(msg)
            } else {
                Outcome::Refused(msg)
            }
        }
        Err(e) => Outcome::HostFailed(format!("{url}: {e}")),
    })
}
