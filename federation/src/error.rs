//! The federation crate's one error type, mapped to PeerTube's error body.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::problem::Problem;

#[derive(Debug, thiserror::Error)]
pub enum FederationError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("invalid parameters")]
    Invalid(Box<Problem>),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("database: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("database pool: {0}")]
    Pool(String),
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("{0}")]
    Internal(String),
}

impl FederationError {
    pub fn problem(&self) -> Problem {
        match self {
            Self::NotFound(m) => Problem::new(StatusCode::NOT_FOUND, m.clone()),
            Self::BadRequest(m) => Problem::new(StatusCode::BAD_REQUEST, m.clone()),
            Self::Invalid(p) => (**p).clone(),
            Self::Conflict(m) => Problem::new(StatusCode::CONFLICT, m.clone()),
            Self::Forbidden(m) => Problem::new(StatusCode::FORBIDDEN, m.clone()),
            Self::Database(_) | Self::Pool(_) | Self::Redis(_) | Self::Internal(_) => {
                tracing::error!(error = %self, "internal error");
                Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error")
            }
        }
    }
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for FederationError {
    fn from(e: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        Self::Pool(e.to_string())
    }
}

impl IntoResponse for FederationError {
    fn into_response(self) -> Response {
        self.problem().into_response()
    }
}
