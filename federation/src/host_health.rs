//! The per-host circuit breaker of our deliveries, shared by every process through PostgreSQL
//! (`models::host_health`). PeerTube tries each delivery once; we retry, and this keeps a dead
//! host from occupying the workers meanwhile:
//!
//! - closed: deliveries go; `federation.delivery.host_failures_before_pause` consecutive failures
//!   open it and hold every waiting delivery to the host (its job group) until the end of the
//!   pause, without counting their attempts;
//! - half-open: once the pause has passed, one delivery probes the host; a failure reopens the
//!   breaker for twice as long (up to `host_pause_max`), an answer closes it and resumes the
//!   host's deliveries at once;
//! - unreachable: a host failing for `host_unreachable_after` has its deliveries dropped, as
//!   PeerTube drops followers, until it answers again: a delivery or a fetch that gets an answer,
//!   or an activity it sends us.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::config::Delivery;
use crate::error::FederationError;
use crate::models::host_health::{Breaker, HostHealth};
use crate::models::job::Job;
use crate::state::AppState;

/// Whether a delivery to a host may go now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    /// Deliver; `probe` when this delivery tests a host whose pause has passed.
    Go { probe: bool },
    /// The host is paused for this long still.
    Wait(Duration),
    /// Unreachable since then: drop the delivery.
    Unreachable(DateTime<Utc>),
}

/// The job group of the deliveries to `host`.
pub fn group_key(host: &str) -> String {
    format!("host:{}", host.to_ascii_lowercase())
}

fn breaker(config: &Delivery) -> Breaker {
    Breaker {
        threshold: config.host_failures_before_pause,
        pause: config.host_pause,
        pause_max: config.host_pause_max,
        unreachable_after: config.host_unreachable_after,
    }
}

/// How long other deliveries wait while a probe runs: its own time limit and a margin.
fn probe_window(config: &Delivery) -> Duration {
    config.timeout + Duration::from_secs(5)
}

fn until(t: DateTime<Utc>, now: DateTime<Utc>) -> Duration {
    (t - now).to_std().unwrap_or(Duration::ZERO)
}

/// Decides whether a delivery to `host` may go now.
pub async fn gate(state: &AppState, host: &str) -> Result<Gate, FederationError> {
    let host = host.to_ascii_lowercase();
    let config = &state.config.federation.delivery;
    let mut conn = state.conn().await?;
    let Some(health) = HostHealth::find(&mut conn, &host).await? else {
        return Ok(Gate::Go { probe: false });
    };
    if let Some(since) = health.unreachable_since {
        return Ok(Gate::Unreachable(since));
    }
    let now = Utc::now();
    let wait = match health.open_until {
        None => return Ok(Gate::Go { probe: false }),
        Some(t) if t > now => until(t, now),
        Some(_) => {
            if HostHealth::take_probe(&mut conn, &host, probe_window(config)).await? {
                tracing::info!(%host, "probing a paused host");
                return Ok(Gate::Go { probe: true });
            }
            // Another worker probes it: wait for its outcome.
            let t = HostHealth::find(&mut conn, &host)
                .await?
                .and_then(|h| h.open_until)
                .unwrap_or(now);
            until(t, now).max(Duration::from_millis(100))
        }
    };
    // The host's other waiting deliveries wait too, so they are not claimed one by one.
    HostHealth::hold_group(&mut conn, &host, &group_key(&host)).await?;
    Ok(Gate::Wait(wait))
}

/// Records a failed delivery to `host` (`probe`: the one testing a paused host). When the
/// breaker is open afterwards, the host's waiting deliveries move to the end of the pause.
pub async fn failed(
    state: &AppState,
    host: &str,
    error: &str,
    probe: bool,
) -> Result<HostHealth, FederationError> {
    let host = host.to_ascii_lowercase();
    let config = &state.config.federation.delivery;
    let mut conn = state.conn().await?;
    let health =
        HostHealth::record_failure(&mut conn, &host, error, probe, &breaker(config)).await?;
    let now = Utc::now();
    if health.unreachable_since.is_some() {
        tracing::warn!(%host, since = ?health.failing_since, "host unreachable: its deliveries are dropped until it answers");
    } else if let Some(t) = health.open_until.filter(|t| *t > now) {
        let pause = until(t, now);
        let moved = HostHealth::hold_group(&mut conn, &host, &group_key(&host)).await?;
        tracing::warn!(%host, failures = health.consecutive_failures, pause_ms = pause.as_millis(), postponed = moved, "deliveries to the host paused");
    }
    Ok(health)
}

/// `host` answered (a delivery, a fetch, an activity it sent): the breaker closes, and the
/// deliveries that waited for it are due at once.
pub async fn answered(state: &AppState, host: &str) -> Result<(), FederationError> {
    let host = host.to_ascii_lowercase();
    let mut conn = state.conn().await?;
    if HostHealth::record_answer(&mut conn, &host).await? {
        let resumed = Job::resume_group(&mut conn, &group_key(&host)).await?;
        tracing::info!(%host, resumed, "host answers again: its deliveries resume");
    }
    Ok(())
}

/// As `answered`, for callers that must not fail because of the bookkeeping.
pub async fn answered_quietly(state: &AppState, host: &str) {
    if let Err(e) = answered(state, host).await {
        tracing::warn!(%host, error = %e, "cannot record that a host answered");
    }
}
