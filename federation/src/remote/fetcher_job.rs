//! The `activitypub-http-fetcher` job: after an Accept, the followed actor's outbox is read to
//! import what it published before (PeerTube queues the same crawl). Its Create(Video) and
//! Announce items run through the activities' own receive, with the item's actor as the sender:
//! nothing is signed in an outbox, so an item counts only when its actor is on the outbox's host
//! (PeerTube's rule), and each video is fetched again from its origin anyway.

use std::collections::HashMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::actor as remote_actor;
use super::crawl::{Crawl, Limits};
use crate::activities::announce::Announce;
use crate::activities::create::{Create, CreateObject};
use crate::activities::{InboxContext, ReceiveActivity, process, typed_enum};
use crate::error::FederationError;
use crate::models::actor::Actor;
use crate::protocol::HttpUrl;
use crate::queue::{BackgroundJob, JobContext, JobError};
use crate::state::AppState;

/// What the fetched collection holds (PeerTube's `FetchType`; only outboxes are read).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FetchType {
    /// Activities: an actor's outbox.
    Activity,
}

/// The job's payload, PeerTube's shape: `{uri, type}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FetchCollection {
    pub uri: HttpUrl,
    #[serde(rename = "type")]
    pub kind: FetchType,
}

impl FetchCollection {
    /// The crawl of `actor`'s outbox, if it has one.
    pub fn outbox_of(actor: &Actor) -> Option<Self> {
        let uri = HttpUrl::parse(actor.outbox_url.as_deref()?).ok()?;
        Some(Self {
            uri,
            kind: FetchType::Activity,
        })
    }
}

impl BackgroundJob for FetchCollection {
    const NAME: &'static str = "activitypub-http-fetcher";
    /// PeerTube's attempts and concurrency for this type.
    const MAX_ATTEMPTS: i32 = 2;
    const CONCURRENCY: usize = 3;
    const TIMEOUT: Option<Duration> = Some(Duration::from_secs(3600));
    type Context = AppState;

    /// One crawl of a collection waits at a time: it reads the latest pages when it runs.
    fn dedup_key(&self) -> Option<String> {
        Some(self.uri.to_string())
    }

    async fn run(self, ctx: JobContext<AppState>) -> Result<(), JobError> {
        match self.kind {
            FetchType::Activity => crawl_outbox(&ctx.state, &self.uri).await,
        }
    }
}

typed_enum! {
    /// The outbox items we import; others (Update, Delete, Like, …) need a signature.
    pub enum OutboxActivity {
        Create(Create) = "Create",
        Announce(Announce) = "Announce",
    }
}

/// An outbox that is gone is not read again; one that cannot be read now is, once (PeerTube's
/// two attempts).
fn crawl_error(e: FederationError) -> JobError {
    match e {
        FederationError::NotFound(_) => JobError::permanent(e),
        other => JobError::retry(other),
    }
}

async fn crawl_outbox(state: &AppState, outbox: &HttpUrl) -> Result<(), JobError> {
    let config = &state.config.federation.outbox_crawl;
    let limits = Limits {
        max_pages: config.max_pages,
        max_items: config.max_items,
    };
    let started = std::time::Instant::now();
    let mut crawl = Crawl::<OutboxActivity>::start(state, outbox, limits)
        .await
        .map_err(crawl_error)?;
    let host = outbox.host_port();
    let mut senders: HashMap<String, Actor> = HashMap::new();
    let (mut seen, mut imported) = (0u32, 0u32);
    loop {
        let items = match crawl.next_page().await {
            Ok(Some(items)) => items,
            Ok(None) => break,
            // A page that cannot be read ends the crawl; what came before is kept.
            Err(e) => {
                tracing::warn!(%outbox, error = %e, "outbox crawl stopped");
                break;
            }
        };
        for item in items {
            seen += 1;
            match import(state, &host, &mut senders, item).await {
                Ok(true) => imported += 1,
                Ok(false) => {}
                Err(e) => tracing::info!(%outbox, error = %e, "outbox item skipped"),
            }
        }
    }
    tracing::info!(%outbox, seen, imported, elapsed_ms = started.elapsed().as_millis(), "outbox crawled");
    Ok(())
}

/// Runs one item; false when it is not one we import.
async fn import(
    state: &AppState,
    outbox_host: &str,
    senders: &mut HashMap<String, Actor>,
    item: OutboxActivity,
) -> Result<bool, FederationError> {
    let actor_url = match &item {
        OutboxActivity::Create(c) if matches!(c.object, CreateObject::Video(_)) => c.actor(),
        OutboxActivity::Announce(a) => a.actor(),
        _ => return Ok(false),
    };
    if !actor_url.host_port().eq_ignore_ascii_case(outbox_host) {
        return Err(FederationError::BadRequest(format!(
            "{actor_url} is not on the outbox's host {outbox_host}"
        )));
    }
    let key = actor_url.to_string();
    let signer = match senders.get(&key) {
        Some(actor) => actor.clone(),
        None => {
            let actor = remote_actor::get_or_fetch(state, &key).await?;
            senders.insert(key, actor.clone());
            actor
        }
    };
    let cx = InboxContext {
        state: state.clone(),
        signer,
        inbox_owner: None,
        raw: serde_json::to_value(&item)
            .map_err(|e| FederationError::Internal(format!("outbox item: {e}")))?,
    };
    match item {
        OutboxActivity::Create(c) => process(c, &cx).await?,
        OutboxActivity::Announce(a) => process(a, &cx).await?,
        OutboxActivity::Unknown(_) => return Ok(false),
    }
    Ok(true)
}
