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
    #[error("{context}: {source}")]
    Io {
        context: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("media: {0}")]
    Media(#[from] ferrotube_media::MediaError),
    // What the video life cycle refuses; the REST API answers each with PeerTube's body.
    /// The upload would pass the user's total or daily video quota.
    #[error("the user video quota is exceeded with this video")]
    QuotaReached,
    /// Not one of the video file types accepted (`limits::VIDEO_EXTENSIONS`).
    #[error("unsupported video file type")]
    UnsupportedVideoType,
    /// ffprobe cannot read the uploaded file: the uploader's fault.
    #[error("unreadable video file: {0}")]
    UnreadableVideo(#[source] ferrotube_media::MediaError),
    /// An uploaded avatar or banner ffmpeg cannot read.
    #[error("unreadable image: {0}")]
    UnreadableImage(#[source] ferrotube_media::MediaError),
    /// The channel belongs to another user.
    #[error("cannot use a channel of another user")]
    NotYourChannel,
}

impl FederationError {
    pub fn problem(&self) -> Problem {
        match self {
            Self::NotFound(m) => Problem::new(StatusCode::NOT_FOUND, m.clone()),
            Self::BadRequest(m) => Problem::new(StatusCode::BAD_REQUEST, m.clone()),
            Self::Invalid(p) => (**p).clone(),
            Self::Conflict(m) => Problem::new(StatusCode::CONFLICT, m.clone()),
            Self::Forbidden(m) => Problem::new(StatusCode::FORBIDDEN, m.clone()),
            Self::QuotaReached => Problem::new(StatusCode::PAYLOAD_TOO_LARGE, self.to_string()),
            Self::UnsupportedVideoType => {
                Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, self.to_string())
            }
            Self::UnreadableVideo(_) => {
                Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "Video file unreadable.")
            }
            Self::NotYourChannel => Problem::new(StatusCode::FORBIDDEN, self.to_string()),
            Self::UnreadableImage(_) => Problem::new(StatusCode::BAD_REQUEST, "Unreadable image."),
            Self::Database(_)
            | Self::Pool(_)
            | Self::Redis(_)
            | Self::Internal(_)
            | Self::Io { .. }
            | Self::Media(_) => {
                tracing::error!(error = %self, "internal error");
                Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error")
            }
        }
    }
}

impl FederationError {
    pub fn io(context: &'static str) -> impl FnOnce(std::io::Error) -> Self {
        move |source| Self::Io { context, source }
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
