//! `/admin/diagnostics`: what the last catalog load reported, for those
//! who may see it ([`RequestContext::may_see_diagnostics`]). To anyone
//! else it answers as a path with nothing at it: 404 for every method, so
//! that it does not reveal that it exists.

use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use super::nothing_at;
use crate::error::AppError;
use crate::request::RequestContext;
use crate::views::status::diagnostics_page;

pub async fn diagnostics(
    request: RequestContext,
    method: Method,
    uri: Uri,
) -> Result<Response, AppError> {
    if !request.may_see_diagnostics() {
        return Err(nothing_at(&request.snap, uri.path()));
    }
    if method != Method::GET && method != Method::HEAD {
        // Bare, as routing answers it; the error layer shapes it.
        let allow = [(header::ALLOW, HeaderValue::from_static("GET,HEAD"))];
        return Ok((StatusCode::METHOD_NOT_ALLOWED, allow).into_response());
    }
    let snap = &request.snap;
    request.cached("/admin/diagnostics", || diagnostics_page(snap))
}
