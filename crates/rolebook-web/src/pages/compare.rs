//! `/compare`: two to four roles side by side.

use axum::response::Response;

use crate::analysis::MAX_COMPARE;
use crate::error::AppError;
use crate::query;
use crate::request::RequestContext;
use crate::views::Links;
use crate::views::compare::compare_page;

pub async fn compare(request: RequestContext) -> Result<Response, AppError> {
    let snap = &request.snap;
    let names = query::list(request.query(), "roles");
    let render = || compare_page(snap, Links::Server, &names);
    // Only canonical comparisons (ids) are cached; anything else renders
    // fresh, which bounds the cache to real role combinations.
    if names.len() <= MAX_COMPARE && names.iter().all(|n| snap.catalog.role(n).is_some()) {
        request.cached(&format!("/compare?{}", names.join(",")), render)
    } else {
        request.fresh(render())
    }
}
