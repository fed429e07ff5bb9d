//! `/admin/diagnostics`: what the last catalog load reported.

use axum::response::Response;

use crate::error::AppError;
use crate::request::RequestContext;
use crate::views::status::diagnostics_page;

pub async fn diagnostics(request: RequestContext) -> Result<Response, AppError> {
    let snap = &request.snap;
    request.cached("/admin/diagnostics", || diagnostics_page(snap))
}
