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
//! Errors: the store's mistakes of the caller become 404, 409 or 422
//! ([`store_error`]); a conflict carries both tokens and the entity as it
//! is now, an invalid change request its diagnostics
//! ([`dto::WorkspaceErrorBody`]); the store's own failures are a 500 with
//! the detail logged.

use std::str::FromStr;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rolebook_accounts::{Permission, Principal};
use rolebook_store::EntityDiff;
use rolebook_store::{Content, Key, Kind, State as CrState, StoreError, Token, Workspace};
use serde::Serialize;

use super::{check_params, dto};
use crate::auth::Caller;
use crate::error::AppError;
use crate::query;
use crate::request::RequestContext;
use crate::state::{AppState, ReloadOutcome};

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
    let status = match &error {
        StoreError::NoSuchVersion(_)
        | StoreError::NoSuchChangeRequest(_)
        | StoreError::NoSuchEntity(_) => StatusCode::NOT_FOUND,
        StoreError::WrongState { .. }
        | StoreError::Conflict { .. }
        | StoreError::Stale(_)
        | StoreError::PublishAgain(_) => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
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
    state.provider().workspace().cloned().ok_or_else(|| {
        AppError::not_found(
            "this server serves catalog files, not a workspace; the workspace API needs `rolebook serve` without `--catalog`",
        )
    })
}

/// Who is writing: a signed-in user or an API token's owner (the guard,
/// `auth::access`, let no one else through), and from where. The store
/// records it as the author and, in the same transaction, in the audit
/// log.
struct Writer {
    actor: rolebook_store::Actor,
    /// Who the policy sees.
    principal: Principal,
}

/// The writer of a request that needs `permission`; the guard checked
/// what the route needs, this checks what the write itself does (an
/// approval needs more than a withdrawal). 403 names what is missing.
async fn writer(
    state: &AppState,
    request: &RequestContext,
    caller: &Caller,
    permission: Permission,
) -> Result<Writer, AppError> {
    let user = caller
        .user
        .as_ref()
        .ok_or_else(|| AppError::unauthorized("sign in first, or send an API token"))?;
    let policy = state.auth().policy(true).await?;
    if !policy.allows(caller.principal, permission) {
        let (role, scope) = permission.needs();
        let message = match caller.principal {
            Principal::Token { scope: held, .. } => format!(
                "this needs the role {role} (or above) and a token of scope {scope} (or above); this token's scope is {held} and its owner's role {}",
                user.role
            ),
            _ => format!(
                "this needs the role {role} (or above); yours is {}",
                user.role
            ),
        };
        return Err(AppError::forbidden(message));
    }
    Ok(Writer {
        actor: rolebook_store::Actor {
            name: user.email.clone(),
            audit_as: user.email.clone(),
            request_id: request.request_id().to_string(),
            address: request.address(),
            token: caller.token(),
        },
        principal: caller.principal,
    })
}

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

/// The workspace: its engine and latest version.
#[utoipa::path(get, path = "/api/v1/workspace", tag = "workspace", operation_id = "workspace_info",
    responses((status = 200, description = "The workspace", body = dto::WorkspaceInfo),
              (status = 404, description = "This server serves catalog files, not a workspace", body = dto::ErrorBody)))]
pub async fn info(State(state): State<AppState>, request: RequestContext) -> Result<Response> {
    let ws = workspace(&state)?;
    check_params(request.query(), &[])?;
    let latest_version = latest(&ws).await?;
    respond(
        &request,
        &dto::WorkspaceInfo {
            engine: match ws.location().engine() {
                rolebook_store::Engine::Sqlite => "sqlite",
                rolebook_store::Engine::Postgres => "postgres",
            }
            .to_string(),
            latest_version,
            served_version: request.snap.version,
        },
    )
}

/// Every published version, newest first.
#[utoipa::path(get, path = "/api/v1/workspace/versions", tag = "workspace", operation_id = "workspace_versions",
    responses((status = 200, description = "Versions, newest first", body = dto::VersionList),
              (status = 404, description = "Not a workspace", body = dto::ErrorBody)))]
pub async fn versions(State(state): State<AppState>, request: RequestContext) -> Result<Response> {
    let ws = workspace(&state)?;
    check_params(request.query(), &[])?;
    let versions = ws.versions().await.map_err(store_error)?;
    respond(
        &request,
        &dto::VersionList {
            versions: versions.iter().map(dto::VersionDto::from).collect(),
        },
    )
}

/// One version and the entities it holds.
#[utoipa::path(get, path = "/api/v1/workspace/versions/{number}", tag = "workspace", operation_id = "workspace_version",
    params(("number" = i64, Path, example = 1, description = "Version number")),
    responses((status = 200, description = "The version", body = dto::VersionDetail),
              (status = 400, description = "Not a number", body = dto::ErrorBody),
              (status = 404, description = "No such version, or not a workspace", body = dto::WorkspaceErrorBody)))]
pub async fn version(
    State(state): State<AppState>,
    request: RequestContext,
    Path(number_text): Path<String>,
) -> Result<Response> {
    let ws = workspace(&state)?;
    check_params(request.query(), &[])?;
    let number = number(&number_text, "version")?;
    let version = ws.version(number).await.map_err(store_error)?;
    let documents = ws.documents(number).await.map_err(store_error)?;
    respond(
        &request,
        &dto::VersionDetail {
            version: dto::VersionDto::from(&version),
            entities: documents
                .iter()
                .map(|d| dto::EntityKeyDto::from(&d.key))
                .collect(),
        },
    )
}

/// One entity as a version holds it, with the token to base a save on.
#[utoipa::path(get, path = "/api/v1/workspace/entities/{kind}/{id}", tag = "workspace", operation_id = "workspace_entity",
    params(("kind" = String, Path, example = "role", description = "`framework`, `organisation`, `logo`, `skill`, `kpi` or `role`"),
           ("id" = String, Path, example = "sre-manager", description = "Entity id (a singleton's is its kind)"),
           ("version" = Option<i64>, Query, description = "Version to read (default the latest)")),
    responses((status = 200, description = "The entity: TOML text, or the logo in base64", body = dto::EntityDto),
              (status = 400, description = "Unknown kind, bad version or parameter", body = dto::ErrorBody),
              (status = 404, description = "No such entity or version, or not a workspace", body = dto::WorkspaceErrorBody)))]
pub async fn entity(
    State(state): State<AppState>,
    request: RequestContext,
    Path((kind, id)): Path<(String, String)>,
) -> Result<Response> {
    let ws = workspace(&state)?;
    check_params(request.query(), &["version"])?;
    let key = key(&kind, &id)?;
    let version = match query_number(request.query(), "version", "version")? {
        Some(v) => v,
        None => latest(&ws).await?,
    };
    let entity = ws.entity(version, &key).await.map_err(store_error)?;
    let (content, encoding) = content_text(&entity.document.content);
    respond(
        &request,
        &dto::EntityDto {
            kind: key.kind.as_str().to_string(),
            id: key.id.clone(),
            file: Some(entity.document.file.clone()),
            version: Some(version),
            content: Some(content),
            encoding,
            token: entity.token.to_string(),
        },
    )
}

/// The versions that changed an entity, oldest first.
#[utoipa::path(get, path = "/api/v1/workspace/entities/{kind}/{id}/history", tag = "workspace", operation_id = "workspace_entity_history",
    params(("kind" = String, Path, example = "role", description = "Entity kind"),
           ("id" = String, Path, example = "sre-manager", description = "Entity id")),
    responses((status = 200, description = "Its history, oldest first", body = dto::EntityHistory),
              (status = 400, description = "Unknown kind or parameter", body = dto::ErrorBody),
              (status = 404, description = "No version ever held it, or not a workspace", body = dto::WorkspaceErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    request: RequestContext,
    Path((kind, id)): Path<(String, String)>,
) -> Result<Response> {
    let ws = workspace(&state)?;
    check_params(request.query(), &[])?;
    let key = key(&kind, &id)?;
    let entries = ws.history(&key).await.map_err(store_error)?;
    if entries.is_empty() {
        return Err(store_error(StoreError::NoSuchEntity(key)));
    }
    respond(
        &request,
        &dto::EntityHistory {
            kind: key.kind.as_str().to_string(),
            id: key.id.clone(),
            entries: entries
                .iter()
                .map(|e| dto::HistoryEntryDto {
                    version: dto::VersionDto::from(&e.version),
                    revision: e.revision,
                    deleted: e.deleted,
                })
                .collect(),
        },
    )
}

/// What changed in an entity from one version to another.
#[utoipa::path(get, path = "/api/v1/workspace/entities/{kind}/{id}/diff", tag = "workspace", operation_id = "workspace_entity_diff",
    params(("kind" = String, Path, example = "role", description = "Entity kind"),
           ("id" = String, Path, example = "sre-manager", description = "Entity id"),
           ("from" = Option<i64>, Query, description = "Older version (default the one before `to`)"),
           ("to" = Option<i64>, Query, description = "Newer version (default the latest)"),
           ("format" = Option<String>, Query, description = "`json` (default), `text` (text/plain) or `markdown` (text/markdown)")),
    responses((status = 200, description = "The changes, field by field",
               content((dto::EntityDiffDto = "application/json"), (String = "text/plain"), (String = "text/markdown"))),
              (status = 400, description = "Unknown kind, format, bad version or parameter", body = dto::ErrorBody),
              (status = 404, description = "Neither version holds it, no such version, or not a workspace", body = dto::WorkspaceErrorBody),
              (status = 422, description = "A side cannot be compared (it does not parse)", body = dto::WorkspaceErrorBody)))]
pub async fn diff(
    State(state): State<AppState>,
    request: RequestContext,
    Path((kind, id)): Path<(String, String)>,
) -> Result<Response> {
    let ws = workspace(&state)?;
    let raw = request.query();
    check_params(raw, &["from", "to", "format"])?;
    let key = key(&kind, &id)?;
    let to = match query_number(raw, "to", "version")? {
        Some(v) => v,
        None => latest(&ws).await?,
    };
    let from = query_number(raw, "from", "version")?.unwrap_or((to - 1).max(1));
    let diff = ws.diff(&key, from, to).await.map_err(store_error)?;
    diff_answer(&request, diff)
}

// -------------------------------------------------------- change requests

/// Change requests, newest first (without their edits).
#[utoipa::path(get, path = "/api/v1/workspace/change-requests", tag = "workspace", operation_id = "list_change_requests", security(("api_token" = [])),
    params(("state" = Option<String>, Query, example = "draft",
            description = "Only those in this state: `draft`, `in-review`, `approved`, `published`, `rejected`, `withdrawn`")),
    responses((status = 200, description = "Change requests, newest first", body = dto::ChangeRequestList),
              (status = 401, description = UNAUTHORIZED, body = dto::ErrorBody),
              (status = 403, description = FORBIDDEN, body = dto::ErrorBody),
              (status = 400, description = "Unknown state or parameter", body = dto::ErrorBody),
              (status = 404, description = "Not a workspace", body = dto::ErrorBody)))]
pub async fn change_requests(
    State(state): State<AppState>,
    request: RequestContext,
) -> Result<Response> {
    let ws = workspace(&state)?;
    check_params(request.query(), &["state"])?;
    let filter = query::value(request.query(), "state")
        .filter(|s| !s.is_empty())
        .map(|s| parse_state(&s))
        .transpose()?;
    let requests = ws.change_requests(filter).await.map_err(store_error)?;
    respond(
        &request,
        &dto::ChangeRequestList {
            change_requests: requests.iter().map(dto::ChangeRequestDto::from).collect(),
        },
    )
}

fn parse_state(text: &str) -> Result<CrState, AppError> {
    CrState::parse(text).ok_or_else(|| {
        AppError::bad_request(format!(
            "`{text}` is not a state; states: {}",
            CrState::ALL.map(CrState::as_str).join(", ")
        ))
    })
}

/// Rolls back: opens a change request that makes the catalog, or one
/// entity, what it was in version `number`, to review and publish like any
/// other. Needs an editor (signed in, or a token of scope write).
#[utoipa::path(post, path = "/api/v1/workspace/versions/{number}/rollback", tag = "workspace", operation_id = "roll_back_to_version", security(("api_token" = [])),
    params(("number" = i64, Path, example = 1, description = "The version to go back to")),
    request_body = dto::RollBack,
    responses((status = 201, description = "The change request that rolls back", body = dto::ChangeRequestDto),
              (status = 400, description = "Bad JSON, kind or version number", body = dto::ErrorBody),
              (status = 401, description = UNAUTHORIZED, body = dto::ErrorBody),
              (status = 403, description = FORBIDDEN, body = dto::ErrorBody),
              (status = 404, description = "No such version, or not a workspace", body = dto::WorkspaceErrorBody),
              (status = 415, description = "The body is not sent as `application/json`", body = dto::ErrorBody),
              (status = 422, description = "Nothing differs from the latest version", body = dto::WorkspaceErrorBody)))]
pub async fn roll_back(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
    Path(number_text): Path<String>,
    payload: Result<Json<dto::RollBack>, JsonRejection>,
) -> Result<Response> {
    let ws = workspace(&state)?;
    let writer = writer(&state, &request, &caller, Permission::EditChangeRequests).await?;
    let version = number(&number_text, "version")?;
    let target = body(payload)?;
    let key = match (&target.kind, &target.id) {
        (Some(kind), Some(id)) => Some(key(kind, id)?),
        (None, None) => None,
        _ => {
            return Err(WsError::App(AppError::bad_request(
                "give both `kind` and `id` to roll back one entity, or neither for the whole catalog",
            )));
        }
    };
    let rolled = ws
        .roll_back(version, key.as_ref(), &writer.actor)
        .await
        .map_err(store_error)?;
    let created = rolled.change_request;
    Ok(opened(&created))
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

/// Opens a change request on the latest version.
///
/// Needs an editor (signed in, or a token of scope write).
#[utoipa::path(post, path = "/api/v1/workspace/change-requests", tag = "workspace", operation_id = "create_change_request", security(("api_token" = [])),
    request_body = dto::NewChangeRequest,
    responses((status = 201, description = "Opened, in draft", body = dto::ChangeRequestDto),
              (status = 400, description = "The body is not the JSON expected", body = dto::ErrorBody),
              (status = 401, description = UNAUTHORIZED, body = dto::ErrorBody),
              (status = 403, description = FORBIDDEN, body = dto::ErrorBody),
              (status = 404, description = "Not a workspace", body = dto::ErrorBody),
              (status = 415, description = "The body is not sent as `application/json`", body = dto::ErrorBody),
              (status = 422, description = "No title, or control characters in the title or description", body = dto::WorkspaceErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
    payload: Result<Json<dto::NewChangeRequest>, JsonRejection>,
) -> Result<Response> {
    let ws = workspace(&state)?;
    let writer = writer(&state, &request, &caller, Permission::EditChangeRequests).await?;
    let new = body(payload)?;
    let created = ws
        .create_change_request(&new.title, &new.description, &writer.actor)
        .await
        .map_err(store_error)?;
    Ok(opened(&created))
}

/// One change request with its edits and its last validation.
#[utoipa::path(get, path = "/api/v1/workspace/change-requests/{id}", tag = "workspace", operation_id = "get_change_request", security(("api_token" = [])),
    params(("id" = i64, Path, example = 1, description = "Change request id")),
    responses((status = 200, description = "The change request", body = dto::ChangeRequestDto),
              (status = 401, description = UNAUTHORIZED, body = dto::ErrorBody),
              (status = 403, description = FORBIDDEN, body = dto::ErrorBody),
              (status = 400, description = "Not a number", body = dto::ErrorBody),
              (status = 404, description = "No such change request, or not a workspace", body = dto::WorkspaceErrorBody)))]
pub async fn change_request(
    State(state): State<AppState>,
    request: RequestContext,
    Path(id): Path<String>,
) -> Result<Response> {
    let ws = workspace(&state)?;
    check_params(request.query(), &[])?;
    let id = number(&id, "change request")?;
    let found = ws.change_request(id).await.map_err(store_error)?;
    respond(&request, &dto::ChangeRequestDto::from(&found))
}

/// An entity as a change request sees it (its edit, else the latest
/// version), with the token to base a save on.
#[utoipa::path(get, path = "/api/v1/workspace/change-requests/{id}/entities/{kind}/{entity}", tag = "workspace", operation_id = "get_change_request_entity", security(("api_token" = [])),
    params(("id" = i64, Path, example = 1, description = "Change request id"),
           ("kind" = String, Path, example = "role", description = "Entity kind"),
           ("entity" = String, Path, example = "sre-manager", description = "Entity id")),
    responses((status = 200, description = "The entity; `content` is absent when it is absent or deleted there", body = dto::EntityDto),
              (status = 401, description = UNAUTHORIZED, body = dto::ErrorBody),
              (status = 403, description = FORBIDDEN, body = dto::ErrorBody),
              (status = 400, description = "Unknown kind, bad id or parameter", body = dto::ErrorBody),
              (status = 404, description = "No such change request, or not a workspace", body = dto::WorkspaceErrorBody)))]
pub async fn entity_in(
    State(state): State<AppState>,
    request: RequestContext,
    Path((id, kind, entity)): Path<(String, String, String)>,
) -> Result<Response> {
    let ws = workspace(&state)?;
    check_params(request.query(), &[])?;
    let id = number(&id, "change request")?;
    let key = key(&kind, &entity)?;
    let (document, token) = ws.entity_in(id, &key).await.map_err(store_error)?;
    let (content, encoding) = match &document {
        Some(d) => {
            let (text, encoding) = content_text(&d.content);
            (Some(text), encoding)
        }
        None => (None, encoding_of(key.kind)),
    };
    respond(
        &request,
        &dto::EntityDto {
            kind: key.kind.as_str().to_string(),
            id: key.id.clone(),
            file: document.map(|d| d.file),
            version: None,
            content,
            encoding,
            token: token.to_string(),
        },
    )
}

/// Saves an entity's new content in a change request.
///
/// `base` is the token read with the entity: when someone saved it since,
/// nothing is saved and the answer is 409 with both tokens and the content
/// now, to compare and save again. Needs an editor (signed in, or a token
/// of scope write).
#[utoipa::path(put, path = "/api/v1/workspace/change-requests/{id}/entities/{kind}/{entity}", tag = "workspace", operation_id = "save_change_request_entity", security(("api_token" = [])),
    params(("id" = i64, Path, example = 1, description = "Change request id"),
           ("kind" = String, Path, example = "role", description = "Entity kind"),
           ("entity" = String, Path, example = "sre-manager", description = "Entity id")),
    request_body = dto::SaveEntity,
    responses((status = 200, description = "Saved; the token to base the next save on", body = dto::Saved),
              (status = 400, description = "Bad JSON, kind, token or base64", body = dto::ErrorBody),
              (status = 401, description = UNAUTHORIZED, body = dto::ErrorBody),
              (status = 403, description = FORBIDDEN, body = dto::ErrorBody),
              (status = 404, description = "No such change request, or not a workspace", body = dto::WorkspaceErrorBody),
              (status = 409, description = "A stale base (with both sides), or the change request is closed", body = dto::WorkspaceErrorBody),
              (status = 413, description = "The body is over the server's limit", body = dto::ErrorBody),
              (status = 415, description = "The body is not sent as `application/json`", body = dto::ErrorBody),
              (status = 422, description = "The content is refused (a wrong id, too large, text for the logo)", body = dto::WorkspaceErrorBody)))]
pub async fn save(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
    Path((id, kind, entity)): Path<(String, String, String)>,
    payload: Result<Json<dto::SaveEntity>, JsonRejection>,
) -> Result<Response> {
    let ws = workspace(&state)?;
    let writer = writer(&state, &request, &caller, Permission::EditChangeRequests).await?;
    let id = number(&id, "change request")?;
    let key = key(&kind, &entity)?;
    let save = body(payload)?;
    let base = token(&save.base)?;
    let content = match save.encoding.unwrap_or(encoding_of(key.kind)) {
        dto::ContentEncoding::Text => Content::Text(save.content),
        dto::ContentEncoding::Base64 => Content::Bytes(
            BASE64
                .decode(save.content.trim())
                .map_err(|e| AppError::bad_request(format!("`content` is not base64: {e}")))?,
        ),
    };
    match ws.save(id, &key, Some(content), &base, &writer.actor).await {
        Ok(token) => Ok(saved(&key, &token)),
        Err(error) => Err(save_error(&ws, id, &key, error).await),
    }
}

/// Saves the deletion of an entity in a change request.
///
/// `base` is the token read with the entity, as for a save. Needs an
/// editor (signed in, or a token of scope write).
#[utoipa::path(delete, path = "/api/v1/workspace/change-requests/{id}/entities/{kind}/{entity}", tag = "workspace", operation_id = "delete_change_request_entity", security(("api_token" = [])),
    params(("id" = i64, Path, example = 1, description = "Change request id"),
           ("kind" = String, Path, example = "role", description = "Entity kind"),
           ("entity" = String, Path, example = "sre-manager", description = "Entity id"),
           ("base" = String, Query, example = "r12", description = "The token read with the entity")),
    responses((status = 200, description = "Deletion saved; the token to base the next save on", body = dto::Saved),
              (status = 400, description = "Missing or bad base, unknown kind", body = dto::ErrorBody),
              (status = 401, description = UNAUTHORIZED, body = dto::ErrorBody),
              (status = 403, description = FORBIDDEN, body = dto::ErrorBody),
              (status = 404, description = "No such change request or entity, or not a workspace", body = dto::WorkspaceErrorBody),
              (status = 409, description = "A stale base (with both sides), or the change request is closed", body = dto::WorkspaceErrorBody),
              (status = 422, description = "Not an entity id", body = dto::WorkspaceErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
    Path((id, kind, entity)): Path<(String, String, String)>,
) -> Result<Response> {
    let (ws, writer, id, key, base) =
        based_write(&state, &request, &caller, (&id, &kind, &entity)).await?;
    match ws.save(id, &key, None, &base, &writer.actor).await {
        Ok(token) => Ok(saved(&key, &token)),
        Err(error) => Err(save_error(&ws, id, &key, error).await),
    }
}

/// What a deletion or a dropped edit starts from: the workspace, after
/// the writer checks, with the change request, entity and `?base=`.
async fn based_write(
    state: &AppState,
    request: &RequestContext,
    caller: &Caller,
    (id, kind, entity): (&str, &str, &str),
) -> Result<(Workspace, Writer, i64, Key, Token)> {
    let ws = workspace(state)?;
    let writer = writer(state, request, caller, Permission::EditChangeRequests).await?;
    check_params(request.query(), &["base"])?;
    let id = number(id, "change request")?;
    let key = key(kind, entity)?;
    let base = query::value(request.query(), "base")
        .ok_or_else(|| AppError::bad_request("give the token you read as `?base=TOKEN`"))?;
    Ok((ws, writer, id, key, token(&base)?))
}

/// The answer to a write: the entity and the token to base the next on.
fn saved(key: &Key, token: &Token) -> Response {
    Json(dto::Saved {
        kind: key.kind.as_str().to_string(),
        id: key.id.clone(),
        token: token.to_string(),
    })
    .into_response()
}

/// Drops a change request's edit of an entity: the change request no
/// longer changes it. `base` is the token read with the edit (`e…`); the
/// answer's token is the entity's as it now reads in the change request.
/// Needs an editor (signed in, or a token of scope write).
#[utoipa::path(delete, path = "/api/v1/workspace/change-requests/{id}/edits/{kind}/{entity}", tag = "workspace", operation_id = "discard_change_request_edit", security(("api_token" = [])),
    params(("id" = i64, Path, example = 1, description = "Change request id"),
           ("kind" = String, Path, example = "role", description = "Entity kind"),
           ("entity" = String, Path, example = "sre-manager", description = "Entity id"),
           ("base" = String, Query, example = "e12", description = "The token read with the edit")),
    responses((status = 200, description = "Edit dropped; the token to base the next save on", body = dto::Saved),
              (status = 400, description = "Missing or bad base, unknown kind", body = dto::ErrorBody),
              (status = 401, description = UNAUTHORIZED, body = dto::ErrorBody),
              (status = 403, description = FORBIDDEN, body = dto::ErrorBody),
              (status = 404, description = "No such change request or entity, or not a workspace", body = dto::WorkspaceErrorBody),
              (status = 409, description = "A stale base (with both sides), or the change request is closed", body = dto::WorkspaceErrorBody),
              (status = 422, description = "The change request has no edit of this entity", body = dto::WorkspaceErrorBody)))]
pub async fn discard(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
    Path((id, kind, entity)): Path<(String, String, String)>,
) -> Result<Response> {
    let (ws, writer, id, key, base) =
        based_write(&state, &request, &caller, (&id, &kind, &entity)).await?;
    if let Err(error) = ws.discard(id, &key, &base, &writer.actor).await {
        return Err(save_error(&ws, id, &key, error).await);
    }
    let (_, token) = ws.entity_in(id, &key).await.map_err(store_error)?;
    Ok(saved(&key, &token))
}

/// What a change request's edit of an entity changes from the latest
/// version.
#[utoipa::path(get, path = "/api/v1/workspace/change-requests/{id}/entities/{kind}/{entity}/diff", tag = "workspace", operation_id = "change_request_entity_diff", security(("api_token" = [])),
    params(("id" = i64, Path, example = 1, description = "Change request id"),
           ("kind" = String, Path, example = "role", description = "Entity kind"),
           ("entity" = String, Path, example = "sre-manager", description = "Entity id"),
           ("format" = Option<String>, Query, description = "`json` (default), `text` or `markdown`")),
    responses((status = 200, description = "The changes, field by field",
               content((dto::EntityDiffDto = "application/json"), (String = "text/plain"), (String = "text/markdown"))),
              (status = 400, description = "Unknown kind, format or parameter", body = dto::ErrorBody),
              (status = 401, description = UNAUTHORIZED, body = dto::ErrorBody),
              (status = 403, description = FORBIDDEN, body = dto::ErrorBody),
              (status = 404, description = "No such change request or entity, or not a workspace", body = dto::WorkspaceErrorBody),
              (status = 422, description = "A side cannot be compared (it does not parse)", body = dto::WorkspaceErrorBody)))]
pub async fn edit_diff(
    State(state): State<AppState>,
    request: RequestContext,
    Path((id, kind, entity)): Path<(String, String, String)>,
) -> Result<Response> {
    let ws = workspace(&state)?;
    check_params(request.query(), &["format"])?;
    let id = number(&id, "change request")?;
    let key = key(&kind, &entity)?;
    let diff = ws.edit_diff(id, &key).await.map_err(store_error)?;
    if diff.status == "unchanged" && diff.changes.is_none() {
        return Err(store_error(StoreError::NoSuchEntity(key)));
    }
    diff_answer(&request, diff)
}

/// Validates a change request: its edits applied to the latest version,
/// checked as one catalog; the result is stored with it.
///
/// Needs an editor (signed in, or a token of scope write).
#[utoipa::path(post, path = "/api/v1/workspace/change-requests/{id}/validate", tag = "workspace", operation_id = "validate_change_request", security(("api_token" = [])),
    params(("id" = i64, Path, example = 1, description = "Change request id")),
    responses((status = 200, description = "The validation (errors refuse publishing)", body = dto::ValidationDto),
              (status = 400, description = "Not a change request number", body = dto::ErrorBody),
              (status = 401, description = UNAUTHORIZED, body = dto::ErrorBody),
              (status = 403, description = FORBIDDEN, body = dto::ErrorBody),
              (status = 404, description = "No such change request, or not a workspace", body = dto::WorkspaceErrorBody)))]
pub async fn validate(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Response> {
    let ws = workspace(&state)?;
    writer(&state, &request, &caller, Permission::EditChangeRequests).await?;
    let id = number(&id, "change request")?;
    let validation = ws.validate(id).await.map_err(store_error)?;
    Ok(Json(dto::ValidationDto::from(&validation)).into_response())
}

/// Moves a change request to another state: `in-review` from draft,
/// `approved` or `rejected` from review, back to `draft`, or `withdrawn`.
///
/// Approving and rejecting need an approver (not for a change request
/// they opened or edited, unless the workspace allows it), the rest an
/// editor; signed in, or with a token of scope write.
#[utoipa::path(post, path = "/api/v1/workspace/change-requests/{id}/transition", tag = "workspace", operation_id = "transition_change_request", security(("api_token" = [])),
    params(("id" = i64, Path, example = 1, description = "Change request id")),
    request_body = dto::Transition,
    responses((status = 200, description = "Moved", body = dto::ChangeRequestDto),
              (status = 400, description = "Bad JSON or unknown state", body = dto::ErrorBody),
              (status = 401, description = UNAUTHORIZED, body = dto::ErrorBody),
              (status = 403, description = FORBIDDEN, body = dto::ErrorBody),
              (status = 404, description = "No such change request, or not a workspace", body = dto::WorkspaceErrorBody),
              (status = 409, description = "Not allowed from its state", body = dto::WorkspaceErrorBody),
              (status = 415, description = "The body is not sent as `application/json`", body = dto::ErrorBody),
              (status = 422, description = "A note with control characters", body = dto::WorkspaceErrorBody)))]
pub async fn transition(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    payload: Result<Json<dto::Transition>, JsonRejection>,
) -> Result<Response> {
    let ws = workspace(&state)?;
    let id = number(&id, "change request")?;
    let transition = body(payload)?;
    let to = parse_state(transition.to.trim())?;
    let reviewing = matches!(to, CrState::Approved | CrState::Rejected);
    let permission = if reviewing {
        Permission::Review
    } else {
        Permission::EditChangeRequests
    };
    let writer = writer(&state, &request, &caller, permission).await?;
    if to == CrState::Approved {
        // Four eyes: not a change request one had a hand in (everyone who
        // ever did, not only the latest edits' authors: a later save over
        // one's edit does not launder it), unless the workspace allows it.
        let reviewed = ws.change_request(id).await.map_err(store_error)?;
        let policy = state.auth().policy(true).await?;
        let had_a_hand = reviewed.contributors.contains(&writer.actor.name);
        if !policy.may_approve(writer.principal, had_a_hand) {
            return Err(WsError::App(AppError::Http {
                status: StatusCode::FORBIDDEN,
                message: "an approver may not approve a change request they opened or edited (the workspace setting `self-approval` is off)".to_string(),
            }));
        }
    }
    let moved = ws
        .transition(id, to, &writer.actor, &transition.note)
        .await
        .map_err(store_error)?;
    Ok(Json(dto::ChangeRequestDto::from(&moved)).into_response())
}

/// Publishes an approved change request as the next version, and serves
/// it at once.
///
/// Refused (422, with the diagnostics) when the edits make the catalog
/// invalid, and (409) when an entity it edits was published since its
/// edit was based. Needs an approver (signed in, or a token of scope
/// write).
#[utoipa::path(post, path = "/api/v1/workspace/change-requests/{id}/publish", tag = "workspace", operation_id = "publish_change_request", security(("api_token" = [])),
    params(("id" = i64, Path, example = 1, description = "Change request id")),
    request_body = dto::Publish,
    responses((status = 200, description = "The version published", body = dto::VersionDto),
              (status = 400, description = "Bad JSON", body = dto::ErrorBody),
              (status = 401, description = UNAUTHORIZED, body = dto::ErrorBody),
              (status = 403, description = FORBIDDEN, body = dto::ErrorBody),
              (status = 404, description = "No such change request, or not a workspace", body = dto::WorkspaceErrorBody),
              (status = 409, description = "Not approved, saved meanwhile, or stale edits (listed)", body = dto::WorkspaceErrorBody),
              (status = 415, description = "The body is not sent as `application/json`", body = dto::ErrorBody),
              (status = 422, description = "The edits leave the catalog invalid (diagnostics included), or the message has control characters", body = dto::WorkspaceErrorBody)))]
pub async fn publish(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    payload: Result<Json<dto::Publish>, JsonRejection>,
) -> Result<Response> {
    let ws = workspace(&state)?;
    let writer = writer(&state, &request, &caller, Permission::Publish).await?;
    let id = number(&id, "change request")?;
    let publish = body(payload)?;
    let version = match ws.publish(id, &writer.actor, &publish.message).await {
        Ok(version) => version,
        Err(StoreError::Invalid(errors)) => {
            let mut body = detail(
                StatusCode::UNPROCESSABLE_ENTITY,
                StoreError::Invalid(errors).to_string(),
            );
            match ws.validate(id).await {
                Ok(validation) => {
                    body.diagnostics = Some(
                        validation
                            .diagnostics
                            .iter()
                            .map(dto::DiagnosticDto::from)
                            .collect(),
                    );
                }
                Err(error) => tracing::warn!(%error, "validating a refused change request failed"),
            }
            return Err(WsError::Detailed(
                StatusCode::UNPROCESSABLE_ENTITY,
                Box::new(body),
            ));
        }
        Err(error) => return Err(store_error(error)),
    };
    // Serve the new version now rather than at the watcher's next tick.
    let reloading = state.clone();
    match tokio::task::spawn_blocking(move || reloading.reload()).await {
        Ok(ReloadOutcome::Loaded { roles, warnings }) => {
            tracing::info!(
                version = version.number,
                roles,
                warnings,
                "published and reloaded"
            );
        }
        Ok(ReloadOutcome::Kept { errors }) => {
            tracing::warn!(
                version = version.number,
                errors,
                "published, but the reload kept the last version"
            );
        }
        Err(error) => tracing::error!(%error, "reload after publishing failed"),
    }
    Ok(Json(dto::VersionDto::from(&version)).into_response())
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
