//! Why a run failed, which decides whether it is tried again.

use std::fmt::Display;
use std::time::Duration;

use crate::error::FederationError;

/// The text is what the admin list shows as the job's `error`.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Worth another attempt (network, a busy resource): retried with exponential back-off
    /// while attempts remain.
    #[error("{0}")]
    Retry(String),
    /// Retrying cannot help (a bad payload, a deleted video): the job fails now.
    #[error("{0}")]
    Permanent(String),
    /// Not run now for a reason outside the job (its host is paused): it is due again after
    /// `after`, and this run does not count as an attempt.
    #[error("postponed: {reason}")]
    Postpone { reason: String, after: Duration },
}

impl JobError {
    pub fn retry(e: impl Display) -> Self {
        Self::Retry(e.to_string())
    }

    pub fn permanent(e: impl Display) -> Self {
        Self::Permanent(e.to_string())
    }

    pub fn postpone(after: Duration, reason: impl Display) -> Self {
        Self::Postpone {
            reason: reason.to_string(),
            after,
        }
    }

    pub fn is_permanent(&self) -> bool {
        matches!(self, Self::Permanent(_))
    }
}

impl From<FederationError> for JobError {
    fn from(e: FederationError) -> Self {
        Self::retry(e)
    }
}

impl From<diesel::result::Error> for JobError {
    fn from(e: diesel::result::Error) -> Self {
        Self::retry(format!("database: {e}"))
    }
}
