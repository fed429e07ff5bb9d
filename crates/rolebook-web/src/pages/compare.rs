//! `/compare`: two to four roles side by side.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::cached;
use crate::analysis::MAX_COMPARE;
use crate::error::AppError;
use crate::query;
use crate::state::AppState;
use crate::views::Links;
use crate::views::compare::compare_page;

pub async fn compare(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let snap = state.snapshot();
    let names = query::list(raw.as_deref(), "roles");
    let render = || compare_page(&snap, Links::Server, &names);
    // Only canonical comparisons (ids) are cached; anything else renders
    // fresh, which bounds the cache to real role combinations.
    if names.len() <= MAX_COMPARE && names.iter().all(|n| snap.catalog.role(n).is_some()) {
        cached(
            &snap,
            &headers,
            &format!("/compare?{}", names.join(",")),
            render,
        )
    } else {
        Ok(render()?.respond(&headers))
    }
}
