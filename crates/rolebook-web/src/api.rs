//! The JSON API under `/api/v1`, and its OpenAPI 3.1 document generated
//! from these handlers and the DTOs in [`crate::dto`].
//!
//! Every answer carries an ETag and `Cache-Control: no-cache`; answers
//! that depend only on the URL are cached per snapshot like the pages.
//! Errors are [`dto::ErrorBody`] with a 4xx status that says what to fix.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::OpenApi;

use rolebook_wire as wire;

use crate::analysis::{self, MAX_PATHS};
use crate::cache::{self, Cached};
use crate::dto;
use crate::error::{AppError, Suggestion};
use crate::pages::describe_hit;
use crate::search;
use crate::state::{AppState, Snapshot};

fn json<T: Serialize>(value: &T) -> Result<Cached, AppError> {
    serde_json::to_vec(value)
        .map(|body| Cached::new(body, cache::JSON))
        .map_err(|e| AppError::Internal(format!("json: {e}")))
}

/// The JSON error answer for `error`.
pub fn error_response(error: AppError) -> Response {
    error.log();
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

fn cached(
    snap: &Arc<Snapshot>,
    headers: &HeaderMap,
    key: &str,
    build: impl FnOnce(&Snapshot) -> Result<Cached, AppError>,
) -> Response {
    match snap.cache.get_or_render(key, || build(snap)) {
        Ok(body) => body.respond(headers),
        Err(error) => error_response(error),
    }
}

fn fresh(headers: &HeaderMap, result: Result<Cached, AppError>) -> Response {
    match result {
        Ok(body) => body.respond(headers),
        Err(error) => error_response(error),
    }
}

/// Rejects query parameters the endpoint does not know, so a typo
/// (`?famly=`) is an error rather than silently ignored.
fn check_params(raw: Option<&str>, known: &[&str]) -> Result<(), AppError> {
    for (key, _) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        if !known.contains(&key.as_ref()) {
            let expected = if known.is_empty() {
                "this endpoint takes no query parameters".to_string()
            } else {
                format!("known parameters: {}", known.join(", "))
            };
            return Err(AppError::bad_request(format!(
                "unknown query parameter `{key}`; {expected}"
            )));
        }
    }
    Ok(())
}

fn not_found_role(snap: &Snapshot, id: &str) -> AppError {
    AppError::NotFound {
        message: format!("there is no role with id `{id}`"),
        suggestions: analysis::role_suggestions(&snap.catalog, id),
    }
}

/// The levels, job families and proficiency scale.
#[utoipa::path(get, path = "/api/v1/framework", tag = "catalog",
    responses((status = 200, description = "The framework", body = wire::Framework),
              (status = 400, description = "Unknown query parameter", body = dto::ErrorBody)))]
pub async fn framework(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let snap = state.snapshot();
    if let Err(e) = check_params(q.as_deref(), &[]) {
        return error_response(e);
    }
    cached(&snap, &headers, "api:framework", |s| {
        json(&wire::Framework::of(&s.catalog))
    })
}

/// Every role, optionally filtered by family and level.
#[utoipa::path(get, path = "/api/v1/roles", tag = "roles",
    params(
        ("family" = Option<String>, Query, example = "security", description = "Only roles of this family id, e.g. `security`"),
        ("level" = Option<String>, Query, example = "manager", description = "Only roles of this level id, e.g. `director`"),
    ),
    responses((status = 200, description = "Roles sorted by id", body = wire::RoleList),
              (status = 400, description = "Unknown family, level or parameter", body = dto::ErrorBody)))]
pub async fn roles(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let snap = state.snapshot();
    let raw = q.as_deref();
    if let Err(e) = check_params(raw, &["family", "level"]) {
        return error_response(e);
    }
    let family = analysis::query_value(raw, "family");
    let level = analysis::query_value(raw, "level");
    let build = |s: &Snapshot| {
        let catalog = &s.catalog;
        if let Some(f) = &family
            && catalog.family(f).is_none()
        {
            let known: Vec<&str> = catalog.families().iter().map(|f| f.id.as_str()).collect();
            return Err(AppError::bad_request(format!(
                "unknown family `{f}`; known: {}",
                known.join(", ")
            )));
        }
        if let Some(l) = &level
            && catalog.level(l).is_none()
        {
            let known: Vec<&str> = catalog.levels().iter().map(|l| l.id.as_str()).collect();
            return Err(AppError::bad_request(format!(
                "unknown level `{l}`; known: {}",
                known.join(", ")
            )));
        }
        let roles: Vec<wire::RoleSummary> = catalog
            .roles()
            .iter()
            .filter(|r| family.as_deref().is_none_or(|f| r.family.as_str() == f))
            .filter(|r| level.as_deref().is_none_or(|l| r.level.as_str() == l))
            .map(|r| wire::RoleSummary::of(catalog, r))
            .collect();
        json(&wire::RoleList {
            total: roles.len(),
            roles,
        })
    };
    let valid = family
        .as_deref()
        .is_none_or(|f| snap.catalog.family(f).is_some())
        && level
            .as_deref()
            .is_none_or(|l| snap.catalog.level(l).is_some());
    if valid {
        let key = format!(
            "api:roles?{}&{}",
            family.as_deref().unwrap_or(""),
            level.as_deref().unwrap_or("")
        );
        cached(&snap, &headers, &key, build)
    } else {
        fresh(&headers, build(&snap))
    }
}

/// One complete role blueprint.
#[utoipa::path(get, path = "/api/v1/roles/{id}", tag = "roles",
    params(("id" = String, Path, example = "sre-manager", description = "Role id, e.g. `sre-manager`")),
    responses((status = 200, description = "The blueprint", body = wire::Role),
              (status = 400, description = "Unknown query parameter", body = dto::ErrorBody),
              (status = 404, description = "No such role; suggestions included", body = dto::ErrorBody)))]
pub async fn role(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let snap = state.snapshot();
    if let Err(e) = check_params(q.as_deref(), &[]) {
        return error_response(e);
    }
    match snap.catalog.role(&id) {
        Some(_) => cached(&snap, &headers, &format!("api:role:{id}"), |s| {
            match s.catalog.role(&id) {
                Some(role) => json(&wire::Role::of(&s.catalog, role)),
                None => Err(not_found_role(s, &id)),
            }
        }),
        None => error_response(not_found_role(&snap, &id)),
    }
}

/// Every skill in the taxonomy.
#[utoipa::path(get, path = "/api/v1/skills", tag = "skills",
    responses((status = 200, description = "Skills sorted by id", body = wire::SkillList),
              (status = 400, description = "Unknown query parameter", body = dto::ErrorBody)))]
pub async fn skills(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let snap = state.snapshot();
    if let Err(e) = check_params(q.as_deref(), &[]) {
        return error_response(e);
    }
    cached(&snap, &headers, "api:skills", |s| {
        let catalog = &s.catalog;
        let skills: Vec<wire::SkillSummary> = catalog
            .skills()
            .iter()
            .map(|k| wire::SkillSummary {
                id: k.id.to_string(),
                name: k.name.clone(),
                category: k.category.label().to_string(),
                description: k.description.clone(),
                roles: catalog.roles_requiring_skill(&k.id).len(),
            })
            .collect();
        json(&wire::SkillList {
            total: skills.len(),
            skills,
        })
    })
}

/// One skill: its levels and the roles that need it.
#[utoipa::path(get, path = "/api/v1/skills/{id}", tag = "skills",
    params(("id" = String, Path, example = "incident-management", description = "Skill id, e.g. `incident-management`")),
    responses((status = 200, description = "The skill", body = wire::Skill),
              (status = 400, description = "Unknown query parameter", body = dto::ErrorBody),
              (status = 404, description = "No such skill", body = dto::ErrorBody)))]
pub async fn skill(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let snap = state.snapshot();
    if let Err(e) = check_params(q.as_deref(), &[]) {
        return error_response(e);
    }
    if snap.catalog.skill(&id).is_none() {
        return error_response(AppError::not_found(format!(
            "there is no skill with id `{id}`"
        )));
    }
    cached(&snap, &headers, &format!("api:skill:{id}"), |s| {
        match s.catalog.skill(&id) {
            Some(skill) => json(&wire::Skill::of(&s.catalog, skill)),
            None => Err(AppError::not_found(format!(
                "there is no skill with id `{id}`"
            ))),
        }
    })
}

/// Every KPI in the catalog.
#[utoipa::path(get, path = "/api/v1/kpis", tag = "kpis",
    responses((status = 200, description = "KPIs sorted by id", body = wire::KpiList),
              (status = 400, description = "Unknown query parameter", body = dto::ErrorBody)))]
pub async fn kpis(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let snap = state.snapshot();
    if let Err(e) = check_params(q.as_deref(), &[]) {
        return error_response(e);
    }
    cached(&snap, &headers, "api:kpis", |s| {
        let catalog = &s.catalog;
        let kpis: Vec<wire::KpiSummary> = catalog
            .kpis()
            .iter()
            .map(|k| wire::KpiSummary {
                id: k.id.to_string(),
                name: k.name.clone(),
                category: k.category.clone(),
                unit: k.unit.clone(),
                direction: k.direction.label().to_string(),
                owners: catalog.roles_owning_kpi(&k.id).len(),
            })
            .collect();
        json(&wire::KpiList {
            total: kpis.len(),
            kpis,
        })
    })
}

/// One KPI: definition, formula, pitfalls, benchmarks and owners.
#[utoipa::path(get, path = "/api/v1/kpis/{id}", tag = "kpis",
    params(("id" = String, Path, example = "mean-time-to-restore", description = "KPI id, e.g. `mean-time-to-restore`")),
    responses((status = 200, description = "The KPI", body = wire::Kpi),
              (status = 400, description = "Unknown query parameter", body = dto::ErrorBody),
              (status = 404, description = "No such KPI", body = dto::ErrorBody)))]
pub async fn kpi(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let snap = state.snapshot();
    if let Err(e) = check_params(q.as_deref(), &[]) {
        return error_response(e);
    }
    if snap.catalog.kpi(&id).is_none() {
        return error_response(AppError::not_found(format!(
            "there is no KPI with id `{id}`"
        )));
    }
    cached(&snap, &headers, &format!("api:kpi:{id}"), |s| {
        match s.catalog.kpi(&id) {
            Some(kpi) => json(&wire::Kpi::of(&s.catalog, kpi)),
            None => Err(AppError::not_found(format!(
                "there is no KPI with id `{id}`"
            ))),
        }
    })
}

/// Two to four roles compared with the first: skill deltas, KPIs only one
/// owns, scope and decision differences, and the skill gap.
#[utoipa::path(get, path = "/api/v1/compare", tag = "career",
    params(("roles" = Vec<String>, Query, explode = true, style = Form, example = json!(["sre-manager", "sre-director"]),
            description = "2 to 4 role ids, titles or aliases; repeated (`roles=a&roles=b`) or comma-separated")),
    responses((status = 200, description = "The comparison", body = wire::Comparison),
              (status = 400, description = "Too few or too many roles, or one named twice", body = dto::ErrorBody),
              (status = 404, description = "A role does not exist; suggestions included", body = dto::ErrorBody)))]
pub async fn compare(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let snap = state.snapshot();
    if let Err(e) = check_params(q.as_deref(), &["roles"]) {
        return error_response(e);
    }
    let names = analysis::query_list(q.as_deref(), "roles");
    let build = |s: &Snapshot| {
        let catalog = &s.catalog;
        let roles = analysis::compare_roles(catalog, &names)?;
        let diffs = analysis::diffs(catalog, &roles);
        let mut kpis_owned_by_one = Vec::new();
        for role in &roles {
            for own in &role.kpis {
                let owners = roles
                    .iter()
                    .filter(|r| r.kpis.iter().any(|k| k.kpi == own.kpi))
                    .count();
                if owners == 1 {
                    kpis_owned_by_one.push(wire::SoleOwner {
                        kpi: own.kpi.to_string(),
                        name: catalog
                            .kpi(&own.kpi)
                            .map_or_else(|| own.kpi.to_string(), |k| k.name.clone()),
                        role: role.id.to_string(),
                        target: own.target.clone(),
                    });
                }
            }
        }
        json(&wire::Comparison {
            roles: roles
                .iter()
                .map(|r| wire::RoleSummary::of(catalog, r))
                .collect(),
            diffs: diffs.iter().map(wire::RoleDiff::from).collect(),
            kpis_owned_by_one,
        })
    };
    let canonical = names.len() <= analysis::MAX_COMPARE
        && names.iter().all(|n| snap.catalog.role(n).is_some());
    if canonical {
        cached(
            &snap,
            &headers,
            &format!("api:compare?{}", names.join(",")),
            build,
        )
    } else {
        fresh(&headers, build(&snap))
    }
}

/// The career graph around a role: moves from it (smallest gap first),
/// moves into it, and moves to titles outside the catalog.
#[utoipa::path(get, path = "/api/v1/career/{id}", tag = "career",
    params(("id" = String, Path, example = "sre-manager", description = "Role id")),
    responses((status = 200, description = "Moves from and into the role", body = wire::CareerView),
              (status = 400, description = "Unknown query parameter", body = dto::ErrorBody),
              (status = 404, description = "No such role", body = dto::ErrorBody)))]
pub async fn career(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let snap = state.snapshot();
    if let Err(e) = check_params(q.as_deref(), &[]) {
        return error_response(e);
    }
    if snap.catalog.role(&id).is_none() {
        return error_response(not_found_role(&snap, &id));
    }
    cached(&snap, &headers, &format!("api:career:{id}"), |s| {
        let catalog = &s.catalog;
        let role = catalog.role(&id).ok_or_else(|| not_found_role(s, &id))?;
        let (next, incoming) = analysis::moves(catalog, role);
        json(&wire::CareerView::of(
            wire::RoleSummary::of(catalog, role),
            &next,
            &incoming,
        ))
    })
}

/// The paths from one role to another with the smallest total skill gap.
#[utoipa::path(get, path = "/api/v1/career/{id}/paths", tag = "career",
    params(("id" = String, Path, example = "sre-manager", description = "Role id to start from"),
           ("to" = String, Query, example = "chief-technology-officer", description = "Role id, title or alias to reach"),
           ("k" = Option<u8>, Query, minimum = 1, maximum = 10, description = "How many paths (1 to 10, default 3)")),
    responses((status = 200, description = "Paths, smallest total gap first", body = wire::Paths),
              (status = 400, description = "Missing `to`, bad `k` or unknown parameter", body = dto::ErrorBody),
              (status = 404, description = "A role does not exist", body = dto::ErrorBody)))]
pub async fn paths(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let snap = state.snapshot();
    let raw = q.as_deref();
    if let Err(e) = check_params(raw, &["to", "k"]) {
        return error_response(e);
    }
    let k = match analysis::query_value(raw, "k") {
        None => 3,
        Some(v) => match v.parse::<usize>() {
            Ok(k) if (1..=MAX_PATHS).contains(&k) => k,
            _ => {
                return error_response(AppError::bad_request(format!(
                    "k must be a whole number from 1 to {MAX_PATHS}, got `{v}`"
                )));
            }
        },
    };
    let Some(to) = analysis::query_value(raw, "to").filter(|t| !t.is_empty()) else {
        return error_response(AppError::bad_request(
            "give the role to reach as `?to=ROLE`",
        ));
    };
    let catalog = &snap.catalog;
    let Some(from) = catalog.role(&id) else {
        return error_response(not_found_role(&snap, &id));
    };
    let target = match analysis::find_role(catalog, &to) {
        Ok(t) => t,
        Err(e) => return error_response(e),
    };
    let key = format!("api:paths:{id}:{}:{k}", target.id.as_str());
    cached(&snap, &headers, &key, |s| {
        json(&wire::Paths::from(&analysis::paths(
            &s.catalog, from, target, k,
        )))
    })
}

/// Full-text search over roles, skills and KPIs.
///
/// Words match in any field (title, aliases, id, summary, body; ranked by
/// BM25 with boosts in that order); small typos are corrected, the last
/// word is completed as a prefix and "quoted words" are a phrase. Each hit
/// comes with its best passage, matches marked by byte ranges.
#[utoipa::path(get, path = "/api/v1/search", tag = "search",
    params(("q" = String, Query, example = "incident reliability", description = "Search text: at most 200 characters and 16 words"),
           ("limit" = Option<u8>, Query, minimum = 1, maximum = 50, description = "Most hits to return (default 20)"),
           ("kind" = Option<Vec<String>>, Query, explode = true, style = Form, example = json!(["role"]),
            description = "Only these kinds: `role`, `skill`, `kpi`; repeated or comma-separated (default all)")),
    responses((status = 200, description = "Hits, best first", body = dto::SearchResults),
              (status = 400, description = "Missing, empty or too long query, bad limit or kind", body = dto::ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let snap = state.snapshot();
    let raw = q.as_deref();
    if let Err(e) = check_params(raw, &["q", "limit", "kind"]) {
        return error_response(e);
    }
    let Some(query) = analysis::query_value(raw, "q") else {
        return error_response(AppError::bad_request("give the search text as `?q=TEXT`"));
    };
    let limit = match analysis::query_value(raw, "limit") {
        None => 20,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=50).contains(&n) => n,
            _ => {
                return error_response(AppError::bad_request(format!(
                    "limit must be a whole number from 1 to 50, got `{v}`"
                )));
            }
        },
    };
    let kinds = match search::parse_kinds(raw) {
        Ok(kinds) => kinds,
        Err(e) => return error_response(e),
    };
    let results = match snap.search.search(&query, limit, &kinds) {
        Ok(results) => results,
        Err(e) => return error_response(e),
    };
    let catalog = &snap.catalog;
    let hits = results
        .hits
        .iter()
        .filter_map(|hit| {
            let (_, href, _, _) = describe_hit(catalog, hit.kind, &hit.id)?;
            Some(dto::SearchHit::of(hit, href))
        })
        .collect();
    fresh(
        &headers,
        json(&dto::SearchResults {
            query: results.query,
            total: results.total,
            partial: results.partial,
            corrections: results
                .corrections
                .into_iter()
                .map(|c| dto::CorrectionDto {
                    word: c.word,
                    read_as: c.read_as,
                })
                .collect(),
            hits,
        }),
    )
}

/// The catalog role a job title names.
///
/// Titles are read as people write them ("Sr. Dir., Site Reliability",
/// "CDO", "SRE Manager, Payments"): abbreviations and acronyms expanded,
/// typos corrected, team and employer qualifiers set aside, then topic and
/// level compared with every catalog title and alias. The confidence is
/// calibrated; two roles that fit equally well are both returned as
/// `ambiguous`, never one picked.
#[utoipa::path(get, path = "/api/v1/resolve", tag = "search",
    params(("title" = String, Query, example = "SRE Manager, Payments", description = "A job title, at most 300 characters")),
    responses((status = 200, description = "The resolution, with candidates and explanation", body = dto::Resolution),
              (status = 400, description = "Missing, empty or too long title, or unknown parameter", body = dto::ErrorBody)))]
pub async fn resolve(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let snap = state.snapshot();
    let raw = q.as_deref();
    if let Err(e) = check_params(raw, &["title"]) {
        return error_response(e);
    }
    let Some(title) = analysis::query_value(raw, "title") else {
        return error_response(AppError::bad_request(
            "give the job title as `?title=TITLE`",
        ));
    };
    match snap.search.resolve(&title) {
        Ok(resolution) => fresh(&headers, json(&dto::Resolution::from(&resolution))),
        Err(e) => error_response(e),
    }
}

/// Liveness and the catalog being served.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "The server is up", body = dto::Health)))]
pub async fn health(State(state): State<AppState>) -> Response {
    let snap = state.snapshot();
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
            problem: snap.problem.as_ref().map(|p| p.summary.clone()),
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
pub async fn not_found(uri: axum::http::Uri) -> Response {
    error_response(AppError::not_found(format!(
        "no API endpoint at `{}`; see /api/v1/openapi.json",
        uri.path()
    )))
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "rolebook API",
        description = "Role blueprints for technology organisations: roles, skills, KPIs, comparisons and career paths. Read-only. Every response has an ETag; send If-None-Match to get 304 Not Modified.",
        license(name = "MIT OR Apache-2.0", identifier = "MIT OR Apache-2.0"),
    ),
    paths(framework, roles, role, skills, skill, kpis, kpi, compare, career, paths, search, resolve, health),
    tags(
        (name = "catalog", description = "The framework"),
        (name = "roles", description = "Role blueprints"),
        (name = "skills", description = "The skill taxonomy"),
        (name = "kpis", description = "The KPI catalog"),
        (name = "career", description = "Comparisons and career paths"),
        (name = "search", description = "Full-text search and job-title resolution"),
        (name = "operations", description = "Health"),
    )
)]
#[derive(Debug)]
pub struct ApiDoc;

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
