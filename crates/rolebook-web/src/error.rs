//! What can go wrong with a request, said once for HTML and JSON.
//!
//! 4xx errors tell the client what it did wrong and how to fix it (with
//! "did you mean" links where there are any); 5xx errors say only that
//! something went wrong, and the detail goes to the log.
//!
//! Handlers return `Result<_, AppError>` and use `?`. [`AppError`]'s
//! response carries the error itself as an extension; the API's layer
//! turns it into a JSON body and the pages' layer into an HTML page with
//! the site around it (see `api::error_body` and `pages::ErrorPages`), so
//! a handler never decides how an error looks.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rolebook_core::UnknownRole;

/// A link offered instead of what was not found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub id: String,
    pub title: String,
    /// Page on this site.
    pub href: String,
}

impl Suggestion {
    /// The roles closest to `query`, for a "did you mean" list.
    pub fn roles(catalog: &rolebook_core::Catalog, query: &str) -> Vec<Suggestion> {
        catalog
            .suggest_roles(query)
            .into_iter()
            .map(|role| Suggestion::role(role.id.to_string(), role.title.to_string()))
            .collect()
    }

    fn role(id: String, title: String) -> Self {
        Suggestion {
            href: format!("/roles/{id}"),
            id,
            title,
        }
    }
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
    /// An answer about the request's form rather than its content (405,
    /// 408, 413, 414, 431, …), mostly made by the HTTP layers.
    #[error("{message}")]
    Http { status: StatusCode, message: String },
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

    /// 401: the request does not say who it is from, or says it wrongly.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        AppError::Http {
            status: StatusCode::UNAUTHORIZED,
            message: message.into(),
        }
    }

    /// 403: who the request is from may not do this.
    pub fn forbidden(message: impl Into<String>) -> Self {
        AppError::Http {
            status: StatusCode::FORBIDDEN,
            message: message.into(),
        }
    }

    /// 413 for a body over [`crate::MAX_BODY_BYTES`].
    pub fn too_large() -> Self {
        AppError::Http {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            message: format!(
                "the request body is larger than the limit of {} KiB",
                crate::MAX_BODY_BYTES / 1024
            ),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound { .. } => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Http { status, .. } => *status,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn suggestions(&self) -> &[Suggestion] {
        match self {
            AppError::NotFound { suggestions, .. } => suggestions,
            _ => &[],
        }
    }

    /// Logs server-side detail; called once, when the error becomes a
    /// response.
    pub(crate) fn log(&self) {
        if let AppError::Internal(detail) = self {
            tracing::error!(%detail, "internal error");
        }
    }
}

impl IntoResponse for AppError {
    /// The status and the message as plain text, with the error attached
    /// for the layer that renders it as JSON or HTML.
    fn into_response(self) -> Response {
        self.log();
        let mut response = (self.status(), self.to_string()).into_response();
        response.extensions_mut().insert(self);
        response
    }
}

impl From<UnknownRole> for AppError {
    fn from(unknown: UnknownRole) -> Self {
        AppError::NotFound {
            message: format!("no role matches `{}`", unknown.query),
            suggestions: unknown
                .suggestions
                .into_iter()
                .map(|role| Suggestion::role(role.id, role.title))
                .collect(),
        }
    }
}

impl From<rolebook_core::UnknownFilterValue> for AppError {
    fn from(unknown: rolebook_core::UnknownFilterValue) -> Self {
        AppError::bad_request(unknown.to_string())
    }
}
