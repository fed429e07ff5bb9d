//! Pages about the server itself: catalog diagnostics and the error page.

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{Layout, capitalise, render, typographic_quotes};
use crate::cache::{self, Cached};
use crate::error::{AppError, Suggestion};
use crate::state::Snapshot;

#[derive(Template)]
#[template(path = "diagnostics.html")]
struct DiagnosticsPage {
    layout: Layout,
    report: String,
    errors: usize,
    warnings: usize,
    generation: u64,
    roles: usize,
}

/// What the last load of the catalog reported.
pub(crate) fn diagnostics_page(snap: &Snapshot) -> Result<Cached, AppError> {
    render(&DiagnosticsPage {
        layout: Layout::new(
            snap,
            "Catalog diagnostics",
            "Problems found in the catalog files.",
            "",
        ),
        report: snap.report.rendered.clone(),
        errors: snap.report.errors,
        warnings: snap.report.warnings,
        generation: snap.generation,
        roles: snap.catalog.roles().len(),
    })
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    status: u16,
    heading: &'static str,
    message: String,
    suggestions: Vec<Suggestion>,
}

/// The error page for `error`, with its status code. The error was logged
/// when it became a response.
pub(crate) fn error_page(snap: &Snapshot, error: &AppError) -> Response {
    let status = error.status();
    let heading = match status {
        StatusCode::NOT_FOUND => "Page not found",
        s if s.is_client_error() => "That request did not work",
        _ => "Something went wrong",
    };
    let page = ErrorPage {
        layout: Layout::new(snap, heading, heading, ""),
        status: status.as_u16(),
        heading,
        message: for_people(&error.to_string()),
        suggestions: error.suggestions().to_vec(),
    };
    match page.render() {
        Ok(html) => (status, [(header::CONTENT_TYPE, cache::HTML)], html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            (status, error.to_string()).into_response()
        }
    }
}

/// An error message as page text: a capital first letter and typographic
/// quotes instead of the backticks used in terminal and JSON messages.
fn for_people(message: &str) -> String {
    capitalise(&typographic_quotes(message))
}
