//! What can go wrong with a request, said once for HTML and JSON.
//!
//! 4xx errors tell the client what it did wrong and how to fix it (with
//! "did you mean" links where there are any); 5xx errors say only that
//! something went wrong, and the detail goes to the log.

use axum::http::StatusCode;

/// A link offered instead of what was not found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub id: String,
    pub title: String,
    /// Page on this site.
    pub href: String,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum AppError {
    #[error("{message}")]
    NotFound {
        message: String,
        suggestions: Vec<Suggestion>,
    },
    #[error("{0}")]
    BadRequest(String),
    /// The detail is logged, never shown.
    #[error("something went wrong")]
    Internal(String),
}

impl AppError {
    pub fn not_found(message: impl Into<String>) -> Self {
        AppError::NotFound {
            message: message.into(),
            suggestions: Vec::new(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        AppError::BadRequest(message.into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound { .. } => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn suggestions(&self) -> &[Suggestion] {
        match self {
            AppError::NotFound { suggestions, .. } => suggestions,
            _ => &[],
        }
    }

    /// Logs server-side detail; call before answering.
    pub fn log(&self) {
        if let AppError::Internal(detail) = self {
            tracing::error!(%detail, "internal error");
        }
    }
}
