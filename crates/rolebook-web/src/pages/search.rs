//! `/search`: full-text search and the "Match a job title" form.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;

use crate::error::AppError;
use crate::query;
use crate::search::parse_kinds;
use crate::state::AppState;
use crate::views::search::search_page;

/// `GET /search?q=…[&kind=…][&title=…]`. Rendered for each request: it
/// depends on free text, which must not grow the cache.
pub async fn page(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let snap = state.snapshot();
    let raw = raw.as_deref();
    let q = query::value(raw, "q").unwrap_or_default();
    let title = query::value(raw, "title").unwrap_or_default();
    let kinds = parse_kinds(raw)?;
    Ok(search_page(&snap, &q, &kinds, &title)?.respond(&headers))
}
