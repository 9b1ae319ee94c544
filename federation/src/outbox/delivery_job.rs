//! The delivery job (`activitypub-http-unicast`): POSTs one signed body to one inbox.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::Semaphore;

use super::score;
use crate::fetch;
use crate::models::actor::Actor;
use crate::queue::{BackgroundJob, JobContext, JobError};
use crate::signatures::http;
use crate::state::AppState;

/// Deliveries to one host running at once in this process, so a big fan-out does not
/// hammer a single instance.
const PER_HOST: usize = 8;
const TIMEOUT: Duration = Duration::from_secs(30);

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
    /// With a 60 s base the last attempt is about 17 hours after the first.
    const MAX_ATTEMPTS: i32 = 11;
    /// PeerTube's; `PER_HOST` keeps a fan-out from hammering one instance.
    const CONCURRENCY: usize = 30;
    const TIMEOUT: Option<Duration> = Some(Duration::from_secs(600));
    type Context = AppState;

    async fn run(self, ctx: JobContext<AppState>) -> Result<(), JobError> {
        deliver(&ctx.state, self).await
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

async fn deliver(state: &AppState, p: Delivery) -> Result<(), JobError> {
    let url = url::Url::parse(&p.inbox).map_err(JobError::permanent)?;
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
    let signed = http::sign_post(&url, &body, &actor.url, pem)?;
    let permits = host_permits(&http::host_header(&url));
    let _permit = permits.acquire_owned().await.map_err(JobError::retry)?;
    let client = fetch::client(state.config.federation.prevent_ssrf)?;
    let mut req = client
        .post(url.clone())
        .timeout(TIMEOUT)
        .header("content-type", "application/activity+json")
        .header("accept", fetch::ACCEPT)
        .body(body);
    for (k, v) in signed.pairs() {
        if k != "host" {
            req = req.header(k, v);
        }
    }
    let outcome = req.send().await;
    let mut conn = state.conn().await?;
    match outcome {
        Ok(resp) if resp.status().is_success() => {
            score::record(&mut conn, &p.inbox, true).await?;
            Ok(())
        }
        Ok(resp) => {
            score::record(&mut conn, &p.inbox, false).await?;
            let status = resp.status();
            let msg = format!("{} answered {status}", p.inbox);
            tracing::warn!(inbox = %p.inbox, %status, "delivery refused");
            if status.is_client_error() && status.as_u16() != 408 && status.as_u16() != 429 {
                Err(JobError::permanent(msg))
            } else {
                Err(JobError::retry(msg))
            }
        }
        Err(e) => {
            score::record(&mut conn, &p.inbox, false).await?;
            tracing::warn!(inbox = %p.inbox, error = %e, "delivery failed");
            Err(JobError::retry(format!("{}: {e}", p.inbox)))
        }
    }
}
