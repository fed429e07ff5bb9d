//! `/brand/logo.svg` and `/brand/logo.png`: the organisation's logo, as
//! the catalog holds it (checked by core, see `rolebook_core::logo`).
//!
//! The page header shows it with `<img>`, where an SVG never runs
//! scripts; opened on its own, an SVG is a document, so it is answered
//! with a Content-Security-Policy that allows nothing but its inline
//! styles and sandboxes it, in case a future check misses something.
//! Every answer has `nosniff` (the app's layer) and an ETag, cached per
//! snapshot.

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use rolebook_core::LogoKind;

use crate::cache::Cached;
use crate::error::AppError;
use crate::request::RequestContext;
use crate::views::logo_path;

/// What an SVG logo opened on its own may do: draw itself.
pub const SVG_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/// `GET /brand/{file}`.
pub async fn logo(request: RequestContext, Path(file): Path<String>) -> Result<Response, AppError> {
    let logo = request
        .snap
        .catalog
        .logo()
        .filter(|logo| logo.kind().file_name() == file)
        .ok_or_else(|| AppError::not_found(format!("there is no file `/brand/{file}`")))?;
    let kind = logo.kind();
    let mut response = request.cached(&logo_path(kind), || {
        Ok(Cached::new(
            logo.bytes().to_vec(),
            HeaderValue::from_static(kind.media_type()),
        ))
    })?;
    if kind == LogoKind::Svg {
        response.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(SVG_POLICY),
        );
    }
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}
