//! The HTML pages: thin handlers per area that read the request, pick the
//! snapshot and call a builder in [`crate::views`].
//!
//! Pages that are the same for every visitor are cached per snapshot (see
//! [`crate::cache`]). Handlers return [`AppError`]; [`error_body`] turns it
//! into the error page, with suggestions, around the site's layout.

mod admin;
mod career;
mod catalog;
mod compare;
pub(crate) mod gap;
mod search;

use axum::Router;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use axum::routing::{get, post};
use tower::util::MapResponseLayer;

use crate::error::{AppError, Suggestion};

use crate::state::AppState;
use crate::views::status::error_page;

/// Every HTML route, with the error page for any [`AppError`].
pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/", get(catalog::home))
        .route("/roles/{id}", get(catalog::role))
        .route("/skills", get(catalog::skills))
        .route("/skills/{id}", get(catalog::skill))
        .route("/kpis", get(catalog::kpis))
        .route("/kpis/{id}", get(catalog::kpi))
        .route("/compare", get(compare::compare))
        .route("/career", get(career::career_index))
        .route("/career/{id}", get(career::career))
        .route("/search", get(search::page))
        .route("/gap", get(gap::page).post(gap::submit))
        .route(
            "/gap/profile.toml",
            get(gap::download).post(gap::download_form),
        )
        .route("/gap/upload", post(gap::upload))
        .route("/admin/diagnostics", get(admin::diagnostics))
        .fallback(not_found)
        .layer(MapResponseLayer::new(move |response| {
            error_body(&state, response)
        }))
}

/// The pages' error layer: an [`AppError`] response becomes the error page
/// with its status; every other response passes untouched.
fn error_body(state: &AppState, mut response: Response) -> Response {
    match response.extensions_mut().remove::<AppError>() {
        Some(error) => error_page(&state.snapshot(), &error),
        None => response,
    }
}

/// Any URL no route matches: 404 with suggestions from its last segment.
async fn not_found(State(state): State<AppState>, uri: Uri) -> AppError {
    let snap = state.snapshot();
    let last = uri
        .path()
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    let words = last.replace(['-', '_', '+'], " ");
    let suggestions = if words.trim().is_empty() {
        Vec::new()
    } else {
        Suggestion::roles(&snap.catalog, &words)
    };
    AppError::NotFound {
        message: format!("nothing lives at `{}`", uri.path()),
        suggestions,
    }
}
