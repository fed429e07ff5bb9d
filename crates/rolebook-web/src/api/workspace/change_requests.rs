//! Change requests: opening, reading, saving and dropping edits,
//! validating, reviewing and publishing.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rolebook_accounts::Permission;

use super::*;
use crate::auth::Caller;
use crate::request::RequestContext;
use crate::state::AppState;

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
    let permission = crate::review::permission_to_move(to);
    let writer = writer(&state, &request, &caller, permission).await?;
    if to == CrState::Approved {
        let reviewed = ws.change_request(id).await.map_err(store_error)?;
        crate::review::four_eyes(&state, &reviewed, &writer).await?;
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
    crate::review::serve_published(&state, &version).await;
    Ok(Json(dto::VersionDto::from(&version)).into_response())
}
