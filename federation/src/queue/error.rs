//! Why a run failed, which decides whether it is tried again.

use std::fmt::Display;

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
}

impl JobError {
    pub fn retry(e: impl Display) -> Self {
        Self::Retry(e.to_string())
    }

    pub fn permanent(e: impl Display) -> Self {
        Self::Permanent(e.to_string())
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
