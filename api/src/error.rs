//! The API crate's one error type, rendered as PeerTube's error body.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ferrotube_federation::FederationError;
use ferrotube_federation::limits::VIDEO_EXTENSIONS;
use ferrotube_federation::problem::{InvalidParam, Problem};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{}", .0.detail)]
    Problem(Box<Problem>),
    #[error(transparent)]
    Federation(#[from] FederationError),
    /// PeerTube's rate limiter answers in plain text.
    #[error("too many requests")]
    TooManyRequests,
    /// 503 with `Retry-After: 300`: the resource is busy (an upload being finalised).
    #[error("try later")]
    TryLater,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self::Problem(Box::new(Problem::new(status, detail)))
    }

    pub fn coded(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        Self::Problem(Box::new(Problem::new(status, detail).with_code(code)))
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, detail)
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, detail)
    }

    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, detail)
    }

    pub fn invalid_params(instance: Option<String>, params: Vec<InvalidParam>) -> Self {
        Self::Problem(Box::new(Problem::invalid_params(instance, params)))
    }

    /// One invalid field, for checks made after parsing.
    pub fn invalid_field(location: &'static str, field: &str, value: serde_json::Value) -> Self {
        Self::invalid_params(
            None,
            vec![InvalidParam::new(
                location,
                field,
                Some(value),
                "Invalid value",
            )],
        )
    }
}

/// PeerTube's answers to what the video life cycle refuses.
fn video_problem(e: &FederationError) -> Option<Problem> {
    let problem = match e {
        FederationError::QuotaReached => Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "The user video quota is exceeded with this video.",
        )
        .with_code("quota_reached"),
        FederationError::UnsupportedVideoType => Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "This file is not supported. Please, make sure it is of the following type: {}",
                VIDEO_EXTENSIONS.join(", ")
            ),
        ),
        FederationError::UnreadableVideo(_) => {
            Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "Video file unreadable.")
        }
        FederationError::NotYourChannel => Problem::new(
            StatusCode::FORBIDDEN,
            "Cannot upload to a channel of another user",
        ),
        _ => return None,
    };
    Some(problem)
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Federation(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            Self::Problem(p) => p.into_response(),
            Self::Federation(e) => match video_problem(&e) {
                Some(p) => p.into_response(),
                None => e.into_response(),
            },
            Self::TooManyRequests => (
                StatusCode::TOO_MANY_REQUESTS,
                "Too many requests, please try again later.",
            )
                .into_response(),
            Self::TryLater => {
                let mut res = Problem::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "The upload is being processed, retry later",
                )
                .into_response();
                res.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from_static("300"),
                );
                res
            }
        }
    }
}
