//! `/search`: full-text search and the "Match a job title" form.

use axum::response::Response;

use crate::error::AppError;
use crate::query;
use crate::request::RequestContext;
use crate::search::parse_kinds;
use crate::views::search::search_page;

/// `GET /search?q=…[&kind=…][&title=…]`. Rendered for each request: it
/// depends on free text, which must not grow the cache.
pub async fn page(request: RequestContext) -> Result<Response, AppError> {
    let snap = &request.snap;
    let raw = request.query();
    let q = query::value(raw, "q").unwrap_or_default();
    let title = query::value(raw, "title").unwrap_or_default();
    let kinds = parse_kinds(raw)?;
    request.fresh(search_page(snap, &q, &kinds, &title))
}
