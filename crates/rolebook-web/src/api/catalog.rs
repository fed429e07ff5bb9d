//! `/api/v1/framework`, `/roles`, `/skills` and `/kpis`: the catalog as
//! `rolebook-wire` documents.

use axum::extract::Path;
use axum::response::Response;
use rolebook_core::RoleFilter;
use rolebook_wire as wire;

use super::{check_params, dto, json, role_by_id};
use crate::error::AppError;
use crate::query;
use crate::request::RequestContext;

/// The levels, job families and proficiency scale.
#[utoipa::path(get, path = "/api/v1/framework", tag = "catalog",
    responses((status = 200, description = "The framework", body = wire::Framework),
              (status = 400, description = "Unknown query parameter", body = dto::ErrorBody)))]
pub async fn framework(request: RequestContext) -> Result<Response, AppError> {
    let snap = &request.snap;
    check_params(request.query(), &[])?;
    request.cached("api:framework", || {
        json(&wire::Framework::of(&snap.catalog))
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
pub async fn roles(request: RequestContext) -> Result<Response, AppError> {
    let snap = &request.snap;
    let raw = request.query();
    check_params(raw, &["family", "level"])?;
    let filter = RoleFilter {
        family: query::value(raw, "family"),
        level: query::value(raw, "level"),
    };
    // Checked before the cache, so unknown values never take a cache slot.
    let roles = snap.catalog.filter_roles(&filter)?;
    let key = format!(
        "api:roles?{}&{}",
        filter.family.as_deref().unwrap_or(""),
        filter.level.as_deref().unwrap_or("")
    );
    request.cached(&key, || {
        let roles: Vec<wire::RoleSummary> = roles
            .iter()
            .map(|r| wire::RoleSummary::of(&snap.catalog, r))
            .collect();
        json(&wire::RoleList {
            total: roles.len(),
            roles,
        })
    })
}

/// One complete role blueprint.
#[utoipa::path(get, path = "/api/v1/roles/{id}", tag = "roles",
    params(("id" = String, Path, example = "sre-manager", description = "Role id, e.g. `sre-manager`")),
    responses((status = 200, description = "The blueprint", body = wire::Role),
              (status = 400, description = "Unknown query parameter", body = dto::ErrorBody),
              (status = 404, description = "No such role; suggestions included", body = dto::ErrorBody)))]
pub async fn role(request: RequestContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let snap = &request.snap;
    check_params(request.query(), &[])?;
    let role = role_by_id(snap, &id)?;
    request.cached(&format!("api:role:{id}"), || {
        json(&wire::Role::of(&snap.catalog, role))
    })
}

/// Every skill in the taxonomy.
#[utoipa::path(get, path = "/api/v1/skills", tag = "skills",
    responses((status = 200, description = "Skills sorted by id", body = wire::SkillList),
              (status = 400, description = "Unknown query parameter", body = dto::ErrorBody)))]
pub async fn skills(request: RequestContext) -> Result<Response, AppError> {
    let snap = &request.snap;
    check_params(request.query(), &[])?;
    request.cached("api:skills", || json(&wire::SkillList::of(&snap.catalog)))
}

/// One skill: its levels and the roles that need it.
#[utoipa::path(get, path = "/api/v1/skills/{id}", tag = "skills",
    params(("id" = String, Path, example = "incident-management", description = "Skill id, e.g. `incident-management`")),
    responses((status = 200, description = "The skill", body = wire::Skill),
              (status = 400, description = "Unknown query parameter", body = dto::ErrorBody),
              (status = 404, description = "No such skill", body = dto::ErrorBody)))]
pub async fn skill(request: RequestContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let snap = &request.snap;
    check_params(request.query(), &[])?;
    let skill = snap
        .catalog
        .skill(&id)
        .ok_or_else(|| AppError::not_found(format!("there is no skill with id `{id}`")))?;
    request.cached(&format!("api:skill:{id}"), || {
        json(&wire::Skill::of(&snap.catalog, skill))
    })
}

/// Every KPI in the catalog.
#[utoipa::path(get, path = "/api/v1/kpis", tag = "kpis",
    responses((status = 200, description = "KPIs sorted by id", body = wire::KpiList),
              (status = 400, description = "Unknown query parameter", body = dto::ErrorBody)))]
pub async fn kpis(request: RequestContext) -> Result<Response, AppError> {
    let snap = &request.snap;
    check_params(request.query(), &[])?;
    request.cached("api:kpis", || json(&wire::KpiList::of(&snap.catalog)))
}

/// One KPI: definition, formula, pitfalls, benchmarks and owners.
#[utoipa::path(get, path = "/api/v1/kpis/{id}", tag = "kpis",
    params(("id" = String, Path, example = "mean-time-to-restore", description = "KPI id, e.g. `mean-time-to-restore`")),
    responses((status = 200, description = "The KPI", body = wire::Kpi),
              (status = 400, description = "Unknown query parameter", body = dto::ErrorBody),
              (status = 404, description = "No such KPI", body = dto::ErrorBody)))]
pub async fn kpi(request: RequestContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let snap = &request.snap;
    check_params(request.query(), &[])?;
    let kpi = snap
        .catalog
        .kpi(&id)
        .ok_or_else(|| AppError::not_found(format!("there is no KPI with id `{id}`")))?;
    request.cached(&format!("api:kpi:{id}"), || {
        json(&wire::Kpi::of(&snap.catalog, kpi))
    })
}
