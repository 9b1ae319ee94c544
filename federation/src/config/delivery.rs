//! ferrotube's own federation keys: how deliveries treat a failing host, how pending follows
//! heal and how far an outbox crawl goes. PeerTube tries each delivery once and never re-sends a
//! Follow; these make federation survive what PeerTube's does not.

use std::time::Duration;

use serde::Deserialize;

/// `federation.delivery`: the per-host circuit breaker of the delivery job.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    /// One POST to an inbox gives up after this long.
    #[serde(deserialize_with = "super::duration")]
    pub timeout: Duration,
    /// Consecutive failed deliveries to a host that pause all its deliveries.
    pub host_failures_before_pause: i32,
    /// The first pause; each further one, while the host keeps failing, is twice as long.
    #[serde(deserialize_with = "super::duration")]
    pub host_pause: Duration,
    #[serde(deserialize_with = "super::duration")]
    pub host_pause_max: Duration,
    /// A host failing this long without answering is unreachable: its deliveries are dropped
    /// (as PeerTube drops followers) until it answers again.
    #[serde(deserialize_with = "super::duration")]
    pub host_unreachable_after: Duration,
}

/// `federation.pending_follows`: our follows still pending get their Follow again.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PendingFollows {
    /// A follow still pending this long after its Follow is sent it again, then after twice as
    /// long, and so on.
    #[serde(deserialize_with = "super::duration")]
    pub resend_after: Duration,
    /// Re-sends at most.
    pub resend_attempts: i32,
    /// How often pending follows are looked at.
    #[serde(deserialize_with = "super::duration")]
    pub check_interval: Duration,
}

/// `federation.outbox_crawl`: the crawl of a followed actor's outbox after its Accept.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutboxCrawl {
    /// Pages read at most (PeerTube: 2000).
    pub max_pages: u32,
    /// Activities processed at most.
    pub max_items: u32,
}

impl Delivery {
    pub fn validate(&self) -> Result<(), String> {
        if self.timeout.is_zero() {
            return Err("federation.delivery.timeout must not be zero".into());
        }
        if self.host_failures_before_pause < 1 {
            return Err("federation.delivery.host_failures_before_pause must be at least 1".into());
        }
        if self.host_pause.is_zero() || self.host_pause_max < self.host_pause {
            return Err(
                "federation.delivery.host_pause must not be zero nor above host_pause_max".into(),
            );
        }
        Ok(())
    }
}

impl PendingFollows {
    pub fn validate(&self) -> Result<(), String> {
        if self.check_interval.is_zero() || self.resend_after.is_zero() {
            return Err(
                "federation.pending_follows.resend_after and check_interval must not be zero"
                    .into(),
            );
        }
        Ok(())
    }
}
