//! `/downloads/…`: a role, skill or KPI as a document, and the catalog's
//! tables, as files to save (`Content-Disposition: attachment`).
//!
//! The bytes come from `rolebook-export`, the code behind `rolebook
//! export`, so a download and the CLI's file are the same bytes. Exports
//! run on the blocking pool, at most one per core at a time (typesetting a
//! PDF takes a core for a second or so), and are kept in the snapshot's
//! cache: each file is made once per catalog, and revalidated by ETag.
//! A signed-in user's download of the whole catalog's tables from a
//! workspace is recorded in its audit log, as `rolebook workspace export`
//! is (once a minute per user and file).

use std::sync::{Arc, LazyLock};

use axum::extract::{Extension, Path, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use rolebook_core::Catalog;
use rolebook_core::suggest::is_kebab_case;
use rolebook_export::tables::{CatalogTables, SHEETS, sheets, to_xlsx};
use rolebook_export::{ExportError, RoleFormat, export_kpi, export_role, export_skill};
use tokio::sync::Semaphore;

use crate::auth::Caller;
use crate::cache::Cached;
use crate::error::AppError;
use crate::request::RequestContext;
use crate::state::AppState;
use crate::views::catalog::{published_kpi, published_skill};
use crate::views::downloads::{
    CATALOG_JSON, CATALOG_XLSX, Kind, document_path, formats, table_path,
};
use crate::views::published_role;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CSV: &str = "text/csv; charset=utf-8";
const JSON: &str = "application/json";

/// Exports running at once: one per core, so that a burst of PDF requests
/// queues instead of starving the pages.
pub(super) static EXPORTS: LazyLock<Arc<Semaphore>> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    Arc::new(Semaphore::new(cores))
});

/// `GET /downloads/roles/{id}.{ext}`.
pub async fn role(request: RequestContext, Path(file): Path<String>) -> Result<Response, AppError> {
    let (id, extension) = split(&file);
    let snap = &request.snap;
    // A title or alias (`/downloads/roles/CTO.pdf`) goes to the canonical
    // address, as the page does.
    if snap.catalog.role(id).is_none()
        && let Some(role) = snap.catalog.find_role(id)
    {
        let canonical = match extension {
            Some(extension) => format!("/downloads/roles/{}.{extension}", role.id.as_str()),
            None => format!("/downloads/roles/{}", role.id.as_str()),
        };
        return Ok(request.redirect_permanent(&canonical));
    }
    let role = published_role(snap, id)?;
    let format = document_format(Kind::Role, extension)?;
    // The export runs on another thread, with its own copy of the role.
    let owned = role.clone();
    document(
        &request,
        Kind::Role,
        role.id.as_str(),
        format,
        move |catalog| export_role(catalog, &owned, format),
    )
    .await
}

/// `GET /downloads/skills/{id}.{ext}`.
pub async fn skill(
    request: RequestContext,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let (id, extension) = split(&file);
    let skill = published_skill(&request.snap, id)?;
    let format = document_format(Kind::Skill, extension)?;
    // The export runs on another thread, with its own copy of the skill.
    let owned = skill.clone();
    document(
        &request,
        Kind::Skill,
        skill.id.as_str(),
        format,
        move |catalog| export_skill(catalog, &owned, format),
    )
    .await
}

/// `GET /downloads/kpis/{id}.{ext}`.
pub async fn kpi(request: RequestContext, Path(file): Path<String>) -> Result<Response, AppError> {
    let (id, extension) = split(&file);
    let kpi = published_kpi(&request.snap, id)?;
    let format = document_format(Kind::Kpi, extension)?;
    // The export runs on another thread, with its own copy of the KPI.
    let owned = kpi.clone();
    document(
        &request,
        Kind::Kpi,
        kpi.id.as_str(),
        format,
        move |catalog| export_kpi(catalog, &owned, format),
    )
    .await
}

/// `GET /downloads/catalog.xlsx` and `/downloads/catalog.json`: every table
/// in one file, as `rolebook export --all --format xlsx|json` writes it.
pub async fn catalog(
    State(state): State<AppState>,
    request: RequestContext,
    caller: Option<Extension<Caller>>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let response = catalog_file(&request, &file).await?;
    exported(
        &state,
        &request,
        caller.as_deref(),
        response.status(),
        &file,
    )
    .await;
    Ok(response)
}

async fn catalog_file(request: &RequestContext, file: &str) -> Result<Response, AppError> {
    match format!("/downloads/{file}").as_str() {
        CATALOG_XLSX => {
            deliver(request, CATALOG_XLSX, "catalog.xlsx", XLSX, |catalog| {
                to_xlsx(catalog, &sheets(catalog, &CatalogTables::new(catalog)))
            })
            .await
        }
        CATALOG_JSON => {
            deliver(request, CATALOG_JSON, "catalog.json", JSON, |catalog| {
                CatalogTables::new(catalog).to_json()
            })
            .await
        }
        other => Err(AppError::not_found(format!(
            "nothing lives at `{other}`; the catalog downloads as {CATALOG_XLSX}, {CATALOG_JSON} or one CSV file per table under /downloads/catalog/"
        ))),
    }
}

/// `GET /downloads/catalog/{table}.csv`: one table, as `rolebook export
/// --all --format csv --table …` prints it.
pub async fn table(
    State(state): State<AppState>,
    request: RequestContext,
    caller: Option<Extension<Caller>>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let response = table_file(&request, &file).await?;
    let path = format!("catalog/{file}");
    exported(
        &state,
        &request,
        caller.as_deref(),
        response.status(),
        &path,
    )
    .await;
    Ok(response)
}

async fn table_file(request: &RequestContext, file: &str) -> Result<Response, AppError> {
    let Some(index) = SHEETS.iter().position(|(_, name)| *name == file) else {
        let files: Vec<&str> = SHEETS.iter().map(|(_, name)| *name).collect();
        return Err(AppError::not_found(format!(
            "there is no table `{file}`; the catalog's CSV files are {}",
            files.join(", ")
        )));
    };
    let path = table_path(file);
    deliver(request, &path, file, CSV, move |catalog| {
        let mut sheets = sheets(catalog, &CatalogTables::new(catalog));
        sheets.swap_remove(index).to_csv().map(String::into_bytes)
    })
    .await
}

/// Records a download of the catalog's tables (sent whole, not a 304) in
/// a workspace's audit log; a failure to record is logged, and the file
/// is sent anyway.
async fn exported(
    state: &AppState,
    request: &RequestContext,
    caller: Option<&Caller>,
    status: axum::http::StatusCode,
    file: &str,
) {
    let Some(accounts) = state.auth().accounts() else {
        return;
    };
    // Anonymous visitors download a catalog anyone may read, and are no
    // one to account for: recording them would let anyone fill the log.
    // A user's repeated download of one file is recorded once a minute.
    let Some(user) = caller.and_then(|c| c.user.as_ref()) else {
        return;
    };
    if status != axum::http::StatusCode::OK
        || !state.auth().first_download_in_a_while(&user.email, file)
    {
        return;
    }
    let context = rolebook_accounts::Context {
        actor: caller.map_or("anonymous", Caller::actor).to_string(),
        request_id: request.request_id().to_string(),
        address: request.address(),
    };
    let object = request
        .snap
        .version
        .map_or_else(|| "catalog".to_string(), |v| format!("version:{v}"));
    let detail = format!("downloaded {file}");
    if let Err(error) = accounts
        .record(&context, "catalog-exported", &object, &detail)
        .await
    {
        tracing::error!(%error, "recording a catalog download failed");
    }
}

/// `sre-manager.docx` → (`sre-manager`, `docx`). Ids hold no dot, so the
/// last one starts the extension.
fn split(file: &str) -> (&str, Option<&str>) {
    match file.rsplit_once('.') {
        Some((stem, extension)) => (stem, Some(extension)),
        None => (file, None),
    }
}

/// The format an extension names, or a 404 that lists the formats.
fn document_format(kind: Kind, extension: Option<&str>) -> Result<RoleFormat, AppError> {
    let mut offered: Vec<String> = formats().map(|f| format!(".{}", f.extension())).collect();
    let last = offered.pop().unwrap_or_default();
    let found = extension
        .and_then(RoleFormat::from_extension)
        .filter(|f| formats().any(|offered| offered == *f));
    found.ok_or_else(|| {
        let asked = match extension {
            Some(extension) => format!("there is no `.{extension}` download"),
            None => "a download names its format".to_string(),
        };
        AppError::not_found(format!(
            "{asked}; a {} downloads as {} or {last}",
            kind.noun(),
            offered.join(", ")
        ))
    })
}

/// One role, skill or KPI in one format.
async fn document(
    request: &RequestContext,
    kind: Kind,
    id: &str,
    format: RoleFormat,
    export: impl FnOnce(&Catalog) -> Result<Vec<u8>, ExportError> + Send + 'static,
) -> Result<Response, AppError> {
    let path = document_path(kind, id, format);
    let file = format!("{id}.{}", format.extension());
    deliver(request, &path, &file, format.media_type(), export).await
}

/// The file at `path`, from the snapshot's cache or exported now, as an
/// attachment named `file`.
async fn deliver(
    request: &RequestContext,
    path: &str,
    file: &str,
    media_type: &'static str,
    export: impl FnOnce(&Catalog) -> Result<Vec<u8>, ExportError> + Send + 'static,
) -> Result<Response, AppError> {
    let snap = request.snap.clone();
    if !snap.publication.is_everything() {
        // The files are made from the whole catalog; a snapshot that
        // publishes part of it offers none (its pages link none).
        return Err(AppError::not_found(format!("nothing lives at `{path}`")));
    }
    let body = match snap.cache.get(path) {
        Some(hit) => hit,
        None => {
            let permit = EXPORTS
                .clone()
                .acquire_owned()
                .await
                .map_err(|e| AppError::Internal(format!("export queue: {e}")))?;
            // A request for the same file may have made it while this one
            // waited.
            match snap.cache.get(path) {
                Some(hit) => hit,
                None => {
                    let catalog = snap.catalog.clone();
                    // The permit goes with the work: a request that times
                    // out does not free a core the export still uses.
                    let bytes = tokio::task::spawn_blocking(move || {
                        let _permit = permit;
                        export(&catalog)
                    })
                    .await
                    .map_err(|e| AppError::Internal(format!("export task: {e}")))?
                    .map_err(export_error)?;
                    snap.cache.insert(
                        path.to_string(),
                        Cached::new(bytes, HeaderValue::from_static(media_type)),
                    )
                }
            }
        }
    };
    let mut response = request.respond(&body);
    response
        .headers_mut()
        .insert(header::CONTENT_DISPOSITION, attachment(file));
    Ok(response)
}

/// `attachment; filename="sre-manager.docx"`. Catalog ids are kebab-case;
/// anything else is not put in a header.
pub(super) fn attachment(file: &str) -> HeaderValue {
    let safe = file
        .split('.')
        .all(|part| is_kebab_case(part) || part.chars().all(|c| c.is_ascii_alphanumeric()));
    safe.then(|| HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")).ok())
        .flatten()
        .unwrap_or(HeaderValue::from_static("attachment"))
}

fn export_error(error: ExportError) -> AppError {
    match error {
        ExportError::NoPdf => AppError::not_found(error.to_string()),
        other => AppError::Internal(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_split_at_the_last_dot() {
        assert_eq!(split("sre-manager.docx"), ("sre-manager", Some("docx")));
        assert_eq!(split("Sr. Manager.pdf"), ("Sr. Manager", Some("pdf")));
        assert_eq!(split("sre-manager"), ("sre-manager", None));
    }

    #[test]
    fn unknown_formats_get_a_404_that_lists_the_formats() {
        assert_eq!(
            document_format(Kind::Role, Some("docx")).ok(),
            Some(RoleFormat::Docx)
        );
        for extension in [Some("exe"), Some(""), Some("DOCX"), None] {
            let error = document_format(Kind::Skill, extension).expect_err("refused");
            assert_eq!(error.status(), axum::http::StatusCode::NOT_FOUND);
            let message = error.to_string();
            assert!(
                message.ends_with("a skill downloads as .docx, .pdf, .md, .html, .json or .jsonld")
                    || !rolebook_export::PDF_SUPPORTED,
                "{message}"
            );
        }
    }

    #[test]
    fn only_safe_file_names_reach_the_header() {
        assert_eq!(
            attachment("sre-manager.docx"),
            "attachment; filename=\"sre-manager.docx\""
        );
        assert_eq!(
            attachment("catalog.xlsx"),
            "attachment; filename=\"catalog.xlsx\""
        );
        assert_eq!(attachment("a\"b.pdf"), "attachment");
        assert_eq!(attachment("x\u{7f}.pdf"), "attachment");
    }
}
