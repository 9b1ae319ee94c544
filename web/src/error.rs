//! The web crate's one error type: an HTML error page for pages, PeerTube's error body for the
//! services (oEmbed, feeds).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ferrotube_federation::FederationError;
use ferrotube_federation::problem::{InvalidParam, Problem};

use crate::site::Site;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("{0}")]
    NotFound(&'static str),
    /// A video an anonymous viewer may not see (private, internal, not yet published).
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("{0}")]
    BadRequest(String),
    /// A query parameter that fails validation, reported as PeerTube's validator does.
    #[error("Incorrect request parameters: {name}")]
    InvalidQuery {
        name: &'static str,
        value: Option<String>,
    },
    #[error("{0}")]
    NotAcceptable(String),
    #[error("{0}")]
    NotImplemented(&'static str),
    #[error(transparent)]
    Federation(#[from] FederationError),
    #[error("database: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("rendering: {0}")]
    Render(String),
}

pub type WebResult<T> = Result<T, WebError>;

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        Self::Render(e.to_string())
    }
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::BadRequest(_) | Self::InvalidQuery { .. } => StatusCode::BAD_REQUEST,
            Self::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            Self::NotImplemented(_) => StatusCode::NOT_IMPLEMENTED,
            Self::Federation(e) => e.problem().status,
            Self::Database(_) | Self::Render(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the viewer is told: internal details stay in the log.
    pub fn public_message(&self) -> String {
        match self {
            Self::Federation(e) => e.problem().detail,
            Self::Database(_) | Self::Render(_) => {
                tracing::error!(error = %self, "web page failed");
                "Internal server error".into()
            }
            other => other.to_string(),
        }
    }

    /// PeerTube's error body, for the services.
    pub fn problem(&self) -> Response {
        match self {
            Self::InvalidQuery { name, value } => Problem::invalid_params(
                None,
                vec![InvalidParam::new(
                    "query",
                    name,
                    value.clone().map(serde_json::Value::String),
                    "Invalid value",
                )],
            )
            .into_response(),
            _ => Problem::new(self.status(), self.public_message()).into_response(),
        }
    }

    /// The error as an HTML page.
    pub fn page(&self, site: &Site) -> Response {
        crate::pages::error::render(site, self.status(), &self.public_message())
    }
}
