//! Turnkey-shaped errors: `{"code": <gRPC code>, "message": "...", "details": []}` with the
//! HTTP status Turnkey uses for that code.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Every way a sandbox request can be refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// No stamp, a malformed stamp, a bad signature, or a credential the organization does not know (401, gRPC 16).
    #[error("{0}")]
    Unauthenticated(String),
    /// Authenticated, but not allowed to do this here (403, gRPC 7).
    #[error("{0}")]
    PermissionDenied(String),
    /// The request body or its parameters are invalid (400, gRPC 3).
    #[error("{0}")]
    InvalidArgument(String),
    /// The request is valid but the state does not allow it, e.g. voting on a finished activity (400, gRPC 9).
    #[error("{0}")]
    FailedPrecondition(String),
    /// The named resource does not exist (404, gRPC 5).
    #[error("{0}")]
    NotFound(String),
    /// A path of Turnkey's public API that the sandbox does not implement (501, gRPC 12).
    #[error("{0}")]
    Unimplemented(String),
    /// Something broke inside the sandbox (500, gRPC 13).
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// The gRPC status code Turnkey puts in `code`.
    #[must_use]
    pub fn grpc_code(&self) -> u16 {
        match self {
            Self::Unauthenticated(_) => 16,
            Self::PermissionDenied(_) => 7,
            Self::InvalidArgument(_) => 3,
            Self::FailedPrecondition(_) => 9,
            Self::NotFound(_) => 5,
            Self::Unimplemented(_) => 12,
            Self::Internal(_) => 13,
        }
    }

    /// The HTTP status for this error.
    #[must_use]
    pub fn http_status(&self) -> StatusCode {
        match self {
            Self::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            Self::PermissionDenied(_) => StatusCode::FORBIDDEN,
            Self::InvalidArgument(_) | Self::FailedPrecondition(_) => StatusCode::BAD_REQUEST,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Unimplemented(_) => StatusCode::NOT_IMPLEMENTED,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The JSON body Turnkey returns for an error.
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "code": self.grpc_code(),
            "message": self.to_string(),
            "details": [],
        })
    }

    /// Shorthand for an internal error from anything displayable.
    pub fn internal(e: impl std::fmt::Display) -> Self {
        Self::Internal(e.to_string())
    }

    /// Shorthand for a bad-input error from anything displayable.
    pub fn invalid(e: impl std::fmt::Display) -> Self {
        Self::InvalidArgument(e.to_string())
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Internal(format!("storage: {e}"))
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        Self::Internal(format!("serialization: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.http_status(), axum::Json(self.to_json())).into_response()
    }
}
