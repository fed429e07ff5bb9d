//! The job-posting builder: `/roles/{id}/posting` (the form and the
//! preview), `/roles/{id}/posting/preview` (the preview alone, for the
//! page's script) and `/downloads/postings/{id}.{ext}?…` (the posting as a
//! file, for the same query).
//!
//! The query is read into the same `PostingInput` the CLI's `rolebook jd`
//! fills, and the files are `rolebook-export`'s `export_posting` bytes, so
//! a download and the CLI's file for the same options are the same bytes.
//! What is typed is nobody else's: answers are `no-store` and never enter
//! the snapshot's cache (a cache keyed by free text would grow without
//! bound). Exports run on the blocking pool behind the downloads'
//! semaphore.

use axum::extract::{Path, RawQuery};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rolebook_core::model::Role;
use rolebook_export::{ExportError, RoleFormat, export_posting};

use super::downloads::{EXPORTS, attachment};
use crate::error::AppError;
use crate::request::RequestContext;
use crate::state::Snapshot;
use crate::views::gap::NO_STORE;
use crate::views::posting::{
    Builder, PostingPage, PreviewFragment, page as builder_page, posting_formats, read_input, today,
};
use crate::views::published_role;

/// The role of a builder address: published, in a snapshot that publishes
/// the whole catalog (a posting is made from all of it, as downloads are).
fn posting_role<'s>(snap: &'s Snapshot, id: &str) -> Result<&'s Role, AppError> {
    if !snap.publication.is_everything() {
        return Err(AppError::not_found(format!(
            "nothing lives at `/roles/{id}/posting`"
        )));
    }
    published_role(snap, id)
}

fn html(status: StatusCode, rendered: Result<String, askama::Error>) -> Response {
    match rendered {
        Ok(body) => (
            status,
            [
                (header::CONTENT_TYPE, crate::cache::HTML),
                (header::CACHE_CONTROL, NO_STORE),
            ],
            body,
        )
            .into_response(),
        Err(e) => AppError::Internal(format!("template: {e}")).into_response(),
    }
}

/// `GET /roles/{id}/posting[?…]`: the form, prefilled from the
/// organisation's settings, and the preview; a form with errors is a 400
/// that shows each beside its field.
pub async fn page(
    request: RequestContext,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    use askama::Template;
    let snap = &request.snap;
    if snap.catalog.role(&id).is_none()
        && let Some(role) = snap.catalog.find_role(&id)
    {
        return Ok(request.redirect_permanent(&format!("/roles/{}/posting", role.id.as_str())));
    }
    let role = posting_role(snap, &id)?;
    let builder = Builder::new(snap, role, &read_input(raw.as_deref()), today());
    let status = if builder.form.has_errors() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page: PostingPage = builder_page(snap, role, builder);
    Ok(html(status, page.render()))
}

/// `GET /roles/{id}/posting/preview?…`: the preview alone, as an HTML
/// fragment for the page's script to put in place.
pub async fn preview(
    request: RequestContext,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    use askama::Template;
    let snap = &request.snap;
    let role = posting_role(snap, &id)?;
    let builder = Builder::new(snap, role, &read_input(raw.as_deref()), today());
    let status = if builder.form.has_errors() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let fragment = PreviewFragment {
        preview: builder.preview,
    };
    Ok(html(status, fragment.render()))
}

/// `GET /downloads/postings/{id}.{ext}?…`: the posting for the query as a
/// DOCX, PDF, HTML, Markdown or JSON-LD file; bad input is a 400 that says
/// what to change.
pub async fn download(
    request: RequestContext,
    Path(file): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let snap = request.snap.clone();
    let (id, extension) = match file.rsplit_once('.') {
        Some((id, extension)) => (id, Some(extension)),
        None => (file.as_str(), None),
    };
    let role = posting_role(&snap, id)?;
    let format = extension
        .and_then(RoleFormat::from_extension)
        .filter(|f| posting_formats().any(|offered| offered == *f))
        .ok_or_else(|| {
            let offered: Vec<String> = posting_formats()
                .map(|f| format!(".{}", f.extension()))
                .collect();
            AppError::not_found(format!("a job posting downloads as {}", offered.join(", ")))
        })?;
    let options = read_input(raw.as_deref())
        .resolve(snap.catalog.organisation(), today())
        .map_err(|error| AppError::bad_request(format!("the posting cannot be made: {error}")))?;
    let permit = EXPORTS
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| AppError::Internal(format!("export queue: {e}")))?;
    let catalog = snap.catalog.clone();
    let role = role.clone();
    let name = format!("{}-job-posting.{}", role.id.as_str(), format.extension());
    // The permit goes with the work: a request that times out does not
    // free a core the export still uses.
    let bytes = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        export_posting(&catalog, &role, &options, format)
    })
    .await
    .map_err(|e| AppError::Internal(format!("export task: {e}")))?
    .map_err(|error| match error {
        ExportError::Invalid(message) => AppError::bad_request(message),
        ExportError::NoPdf => AppError::not_found(error.to_string()),
        other => AppError::Internal(other.to_string()),
    })?;
    Ok((
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(format.media_type()),
            ),
            (header::CONTENT_DISPOSITION, attachment(&name)),
            (header::CACHE_CONTROL, NO_STORE),
        ],
        bytes,
    )
        .into_response())
}
