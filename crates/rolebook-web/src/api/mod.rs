//! The JSON API under `/api/v1`, and its OpenAPI 3.1 document generated
//! from the handlers and from the `rolebook-wire` and [`dto`] types.
//!
//! Every answer carries an ETag and `Cache-Control: no-cache`; answers
//! that depend only on the URL are cached per snapshot like the pages.
//! Errors are [`dto::ErrorBody`] with a 4xx status that says what to fix:
//! handlers return [`AppError`] and [`error_body`] writes it.

mod career;
mod catalog;
pub mod dto;
mod search;
mod workspace;

use axum::Json;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, delete, get, post};
use rolebook_core::model::Role;
use serde::Serialize;
use tower::util::MapResponseLayer;
use utoipa::OpenApi;

use crate::cache::{self, Cached};
use crate::error::{AppError, Suggestion};
pub(crate) use crate::query::check_params;
use crate::request::RequestContext;
use crate::routed::Routed;
use crate::state::Snapshot;

/// Every route under `/api/v1`, with JSON errors.
pub fn router() -> Routed {
    Routed::new()
        .route("/framework", get(catalog::framework))
        .route("/roles", get(catalog::roles))
        .route("/roles/{id}", get(catalog::role))
        .route("/skills", get(catalog::skills))
        .route("/skills/{id}", get(catalog::skill))
        .route("/kpis", get(catalog::kpis))
        .route("/kpis/{id}", get(catalog::kpi))
        .route("/compare", get(career::compare))
        .route("/career/{id}", get(career::career))
        .route("/career/{id}/paths", get(career::paths))
        .route("/search", get(search::search))
        .route("/resolve", get(search::resolve))
        .route("/openapi.json", get(openapi))
        .route("/workspace", get(workspace::info))
        .route("/workspace/versions", get(workspace::versions))
        .route("/workspace/versions/{number}", get(workspace::version))
        .route(
            "/workspace/versions/{number}/rollback",
            post(workspace::roll_back),
        )
        .route("/workspace/entities/{kind}/{id}", get(workspace::entity))
        .route(
            "/workspace/entities/{kind}/{id}/history",
            get(workspace::history),
        )
        .route("/workspace/entities/{kind}/{id}/diff", get(workspace::diff))
        .route(
            "/workspace/change-requests",
            get(workspace::change_requests).post(workspace::create),
        )
        .route(
            "/workspace/change-requests/{id}",
            get(workspace::change_request),
        )
        .route(
            "/workspace/change-requests/{id}/entities/{kind}/{entity}",
            get(workspace::entity_in)
                .put(workspace::save)
                .delete(workspace::delete),
        )
        .route(
            "/workspace/change-requests/{id}/edits/{kind}/{entity}",
            delete(workspace::discard),
        )
        .route(
            "/workspace/change-requests/{id}/entities/{kind}/{entity}/diff",
            get(workspace::edit_diff),
        )
        .route(
            "/workspace/change-requests/{id}/validate",
            post(workspace::validate),
        )
        .route(
            "/workspace/change-requests/{id}/transition",
            post(workspace::transition),
        )
        .route(
            "/workspace/change-requests/{id}/publish",
            post(workspace::publish),
        )
        .map(|router| {
            router
                .fallback(not_found)
                .layer(MapResponseLayer::new(error_body))
        })
}

/// `/api` and any path under it that no version serves, with any method:
/// a JSON 404 rather than the HTML page.
pub fn unversioned() -> Routed {
    Routed::new()
        .route("/api", any(not_found))
        .route("/api/{*rest}", any(not_found))
        .map(|router| router.layer(MapResponseLayer::new(error_body)))
}

fn json<T: Serialize>(value: &T) -> Result<Cached, AppError> {
    serde_json::to_vec(value)
        .map(|body| Cached::new(body, cache::JSON))
        .map_err(|e| AppError::Internal(format!("json: {e}")))
}

/// The API's error layer: an [`AppError`] response gets its JSON body
/// ([`dto::ErrorBody`]); every other response passes untouched.
pub fn error_body(mut response: Response) -> Response {
    match response.extensions_mut().remove::<AppError>() {
        Some(error) => error_response(&error),
        None => response,
    }
}

/// `error` as the API answers it: its status and [`dto::ErrorBody`].
pub(crate) fn error_response(error: &AppError) -> Response {
    let status = error.status();
    let body = dto::ErrorBody {
        error: dto::ErrorDetail {
            status: status.as_u16(),
            message: error.to_string(),
            suggestions: error
                .suggestions()
                .iter()
                .map(|Suggestion { id, title, href }| dto::SuggestionDto {
                    id: id.clone(),
                    title: title.clone(),
                    href: href.clone(),
                })
                .collect(),
        },
    };
    (status, Json(body)).into_response()
}

/// The role with id `id` (ids only: the API's paths are canonical), or a
/// 404 with the closest roles.
fn role_by_id<'s>(snap: &'s Snapshot, id: &str) -> Result<&'s Role, AppError> {
    snap.catalog.role(id).ok_or_else(|| AppError::NotFound {
        message: format!("there is no role with id `{id}`"),
        suggestions: Suggestion::roles(&snap.catalog, id),
    })
}

/// Liveness and the catalog being served.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "The server is up", body = dto::Health)))]
pub async fn health(request: RequestContext) -> Response {
    let snap = &request.snap;
    let body = dto::Health {
        status: if snap.problem.is_some() {
            "degraded"
        } else {
            "ok"
        }
        .to_string(),
        catalog: dto::CatalogHealth {
            source: snap.source_label.clone(),
            generation: snap.generation,
            roles: snap.catalog.roles().len(),
            skills: snap.catalog.skills().len(),
            kpis: snap.catalog.kpis().len(),
            problem: snap.shown_problem().map(|p| p.summary.clone()),
        },
    };
    let mut response = Json(body).into_response();
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    response
}

/// Unknown paths under `/api`: a JSON 404 rather than the HTML page.
pub async fn not_found(uri: axum::http::Uri) -> AppError {
    AppError::not_found(format!(
        "no API endpoint at `{}`; see /api/v1/openapi.json",
        uri.path()
    ))
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "rolebook API",
        description = "Role blueprints for technology organisations: roles, skills, KPIs, comparisons and career paths, and the workspace they are kept in (versions, histories, diffs, change requests). The catalog endpoints are read-only, open to anyone unless the workspace's setting `anonymous-read` is off. Change requests are read by editors and above; writes (POST, PUT, DELETE) need a signed-in user or an API token (`Authorization: Bearer rbt_…`, made on the account page or with `rolebook token create`) whose owner's role and whose scope allow them. Every GET response has an ETag; send If-None-Match to get 304 Not Modified.",
        license(name = "MIT OR Apache-2.0", identifier = "MIT OR Apache-2.0"),
    ),
    paths(catalog::framework, catalog::roles, catalog::role, catalog::skills, catalog::skill, catalog::kpis, catalog::kpi,
        career::compare, career::career, career::paths, search::search, search::resolve, health,
        workspace::info, workspace::versions, workspace::version, workspace::roll_back, workspace::entity, workspace::history,
        workspace::diff, workspace::change_requests, workspace::create, workspace::change_request,
        workspace::entity_in, workspace::save, workspace::delete, workspace::discard, workspace::edit_diff,
        workspace::validate, workspace::transition, workspace::publish),
    modifiers(&ApiToken),
    tags(
        (name = "catalog", description = "The framework"),
        (name = "roles", description = "Role blueprints"),
        (name = "skills", description = "The skill taxonomy"),
        (name = "kpis", description = "The KPI catalog"),
        (name = "career", description = "Comparisons and career paths"),
        (name = "search", description = "Full-text search and job-title resolution"),
        (name = "operations", description = "Health"),
        (name = "workspace", description = "The versioned workspace `rolebook serve` serves without `--catalog`: versions, entity histories and diffs, change requests. Every path answers 404 on a server of catalog files. Change requests are drafts: editors and above read them. Writes need an editor's or approver's session or API token; other requests get 401 or 403."),
    )
)]
#[derive(Debug)]
pub struct ApiDoc;

/// The API token scheme the guarded operations name.
#[derive(Debug)]
struct ApiToken;

impl utoipa::Modify for ApiToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("rbt_…")
            .description(Some(
                "An API token, made on the account page or with `rolebook token create`; its owner's role and its scope (read, write, admin) bound what it may do. A browser's session cookie works too, with the session's CSRF token in `X-CSRF-Token` for writes.",
            ))
            .build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("api_token", SecurityScheme::Http(scheme));
    }
}

/// The OpenAPI document as JSON.
pub fn openapi_json() -> String {
    ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|_| "{}".to_string())
}

static OPENAPI: std::sync::LazyLock<Cached> =
    std::sync::LazyLock::new(|| Cached::new(openapi_json(), cache::JSON));

/// `GET /api/v1/openapi.json`.
pub async fn openapi(headers: HeaderMap) -> Response {
    OPENAPI.respond(&headers)
}
