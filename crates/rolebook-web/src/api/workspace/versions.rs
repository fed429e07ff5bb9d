//! Published versions: the workspace, its versions, an entity's content,
//! history and diffs, and rolling back to a version.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Extension, Path, State};
use axum::response::Response;
use rolebook_accounts::Permission;

use super::*;
use crate::auth::Caller;
use crate::request::RequestContext;
use crate::state::AppState;

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
