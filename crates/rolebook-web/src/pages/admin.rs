//! `/admin/diagnostics`: what the last catalog load reported.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::cached;
use crate::error::AppError;
use crate::state::AppState;
use crate::views::status::diagnostics_page;

pub async fn diagnostics(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let snap = state.snapshot();
    cached(&snap, &headers, "/admin/diagnostics", || {
        diagnostics_page(&snap)
    })
}
