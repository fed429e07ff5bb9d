//! `/api/v1/workspace`: the workspace behind `rolebook serve` without
//! `--catalog`, its versions, entity histories and diffs, and change
//! requests (open, edit, validate, review, publish), over
//! `rolebook-store`'s API.
//!
//! Who may call what is in `auth::access::RULES`: published versions are
//! read like the catalog, change requests (drafts) by editors and above,
//! and writes need a signed-in user or an API token
//! (`Authorization: Bearer rbt_…`) whose owner's role and whose scope
//! allow them ([`rolebook_accounts::Policy`]). Every write is in the
//! audit log.
//! A server of catalog files answers every path here with 404.
//!
//! The handlers are in [`versions`] (published versions, entities,
//! histories, diffs, rolling back) and [`change_requests`]; this module
//! holds what they share: finding the workspace and the writer, reading
//! bodies and parameters, and turning the store's errors into answers.
//!
//! Errors: the store's mistakes of the caller become 404, 409 or 422
//! ([`store_error`]); a conflict carries both tokens and the entity as it
//! is now, an invalid change request its diagnostics
//! ([`dto::WorkspaceErrorBody`]); the store's own failures are a 500 with
//! the detail logged.

use std::str::FromStr;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rolebook_store::EntityDiff;
use rolebook_store::{Content, Key, Kind, State as CrState, StoreError, Token, Workspace};
use serde::Serialize;

use super::{check_params, dto};
use crate::error::AppError;
use crate::query;
use crate::request::RequestContext;
use crate::state::AppState;

mod change_requests;
mod versions;

pub use change_requests::*;
pub use versions::*;

/// The 401 every guarded operation may answer.
const UNAUTHORIZED: &str =
    "Not signed in and no API token, or a token that is unknown, revoked or of a disabled user";
/// The 403 every guarded operation may answer.
const FORBIDDEN: &str = "The user's role or the token's scope does not allow this; or a browser's write without the session's CSRF token, or from another site";

/// Workspace answers change at any time and may hold unpublished work: a
/// client revalidates, and a shared cache keeps nothing.
const PRIVATE: HeaderValue = HeaderValue::from_static("private, no-cache");

/// An error of the workspace API: the API's usual error, or a 4xx whose
/// body says how to resolve it.
#[derive(Debug)]
pub enum WsError {
    App(AppError),
    Detailed(StatusCode, Box<dto::WorkspaceErrorDetail>),
}

impl From<AppError> for WsError {
    fn from(error: AppError) -> Self {
        WsError::App(error)
    }
}

impl IntoResponse for WsError {
    fn into_response(self) -> Response {
        match self {
            WsError::App(error) => error.into_response(),
            WsError::Detailed(status, detail) => {
                (status, Json(dto::WorkspaceErrorBody { error: *detail })).into_response()
            }
        }
    }
}

type Result<T, E = WsError> = std::result::Result<T, E>;

fn detail(status: StatusCode, message: String) -> dto::WorkspaceErrorDetail {
    dto::WorkspaceErrorDetail {
        status: status.as_u16(),
        message,
        suggestions: Vec::new(),
        conflict: None,
        stale: None,
        diagnostics: None,
    }
}

/// The status a store error answers with, and its body. Only the caller's
/// mistakes are shown; anything else is a 500 with the detail logged.
fn store_error(error: StoreError) -> WsError {
    if !error.is_client_error() {
        return WsError::App(AppError::Internal(format!("workspace: {error}")));
    }
    let status = crate::review::store_status(&error);
    let mut body = detail(status, error.to_string());
    match error {
        StoreError::Conflict {
            key,
            yours,
            current,
        } => {
            body.conflict = Some(dto::ConflictDto {
                kind: key.kind.as_str().to_string(),
                id: key.id.clone(),
                yours,
                current,
                content: None,
                encoding: encoding_of(key.kind),
            });
        }
        StoreError::Stale(keys) => {
            body.stale = Some(keys.iter().map(dto::EntityKeyDto::from).collect());
        }
        _ => {}
    }
    WsError::Detailed(status, Box::new(body))
}

/// A failed save or deletion; a conflict gets the entity as the change
/// request sees it now, read after the failure, to compare with.
async fn save_error(ws: &Workspace, change_request: i64, key: &Key, error: StoreError) -> WsError {
    let conflicted = matches!(error, StoreError::Conflict { .. });
    let mut answer = store_error(error);
    if conflicted
        && let WsError::Detailed(_, body) = &mut answer
        && let Some(conflict) = body.conflict.as_mut()
    {
        match ws.entity_in(change_request, key).await {
            Ok((document, token)) => {
                conflict.current = token.to_string();
                conflict.content = document.map(|d| content_text(&d.content).0);
            }
            Err(error) => tracing::warn!(%error, "reading a conflicting entity failed"),
        }
    }
    answer
}

/// 404 on a server of catalog files.
fn workspace(state: &AppState) -> Result<Workspace, AppError> {
    crate::review::workspace(state)
}

use crate::review::{Writer, writer};

/// A JSON body, or 400 (413 over the body limit, 415 without
/// `Content-Type: application/json`) saying what is wrong with it.
fn body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, AppError> {
    match body {
        Ok(Json(value)) => Ok(value),
        Err(rejection) => Err(match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => AppError::too_large(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::Http {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                message: "send the body as JSON with `Content-Type: application/json`".to_string(),
            },
            _ => AppError::bad_request(format!(
                "the JSON body cannot be read: {}",
                rejection.body_text()
            )),
        }),
    }
}

fn respond<T: Serialize>(request: &RequestContext, value: &T) -> Result<Response> {
    let mut response = request.respond(&super::json(value)?);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, PRIVATE);
    Ok(response)
}

fn key(kind: &str, id: &str) -> Result<Key, AppError> {
    let kind = Kind::parse(kind).ok_or_else(|| {
        AppError::bad_request(format!(
            "`{kind}` is not a kind of entity; kinds: {}",
            Kind::ALL.map(Kind::as_str).join(", ")
        ))
    })?;
    Ok(Key::new(kind, id))
}

fn number(text: &str, what: &str) -> Result<i64, AppError> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| AppError::bad_request(format!("`{text}` is not a {what} number")))
}

fn query_number(raw: Option<&str>, name: &str, what: &str) -> Result<Option<i64>, AppError> {
    query::value(raw, name)
        .map(|text| number(&text, what))
        .transpose()
}

fn token(text: &str) -> Result<Token, AppError> {
    Token::from_str(text.trim()).map_err(|e| AppError::bad_request(e.to_string()))
}

fn encoding_of(kind: Kind) -> dto::ContentEncoding {
    if kind == Kind::Logo {
        dto::ContentEncoding::Base64
    } else {
        dto::ContentEncoding::Text
    }
}

fn content_text(content: &Content) -> (String, dto::ContentEncoding) {
    match content {
        Content::Text(text) => (text.clone(), dto::ContentEncoding::Text),
        Content::Bytes(bytes) => (BASE64.encode(bytes), dto::ContentEncoding::Base64),
    }
}

async fn latest(ws: &Workspace) -> Result<i64> {
    ws.latest_version()
        .await
        .map_err(store_error)?
        .ok_or_else(|| store_error(StoreError::NotInitialised))
}

/// A diff as JSON, or as text or Markdown for people (`?format=`).
fn diff_answer(request: &RequestContext, diff: EntityDiff) -> Result<Response> {
    let format = query::value(request.query(), "format");
    let (body, content_type) = match format.as_deref() {
        None | Some("json") => return respond(request, &dto::EntityDiffDto::from(diff)),
        Some("text") => (diff.to_text(), "text/plain; charset=utf-8"),
        Some("markdown") => (diff.to_markdown(), "text/markdown; charset=utf-8"),
        Some(other) => {
            return Err(AppError::bad_request(format!(
                "`{other}` is not a format; formats: json, text, markdown"
            ))
            .into());
        }
    };
    let cached = crate::cache::Cached::new(body, HeaderValue::from_static(content_type));
    let mut response = request.respond(&cached);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, PRIVATE);
    Ok(response)
}

// ------------------------------------------------------------------ reads

// -------------------------------------------------------- change requests

fn parse_state(text: &str) -> Result<CrState, AppError> {
    CrState::parse(text).ok_or_else(|| {
        AppError::bad_request(format!(
            "`{text}` is not a state; states: {}",
            CrState::ALL.map(CrState::as_str).join(", ")
        ))
    })
}

/// The answer to opening a change request: 201, with where it is.
fn opened(created: &rolebook_store::ChangeRequest) -> Response {
    let location = format!("/api/v1/workspace/change-requests/{}", created.id);
    let mut response = (
        StatusCode::CREATED,
        Json(dto::ChangeRequestDto::from(created)),
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_map_to_statuses() {
        let status = |e: StoreError| match store_error(e) {
            WsError::App(app) => app.status(),
            WsError::Detailed(status, _) => status,
        };
        assert_eq!(status(StoreError::NoSuchVersion(3)), StatusCode::NOT_FOUND);
        assert_eq!(status(StoreError::Stale(Vec::new())), StatusCode::CONFLICT);
        assert_eq!(
            status(StoreError::Invalid(2)),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            status(StoreError::BadEdit("no".into())),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            status(StoreError::NotInitialised),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
