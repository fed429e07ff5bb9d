//! `/api/v1/compare` and `/api/v1/career`: role comparisons, the moves
//! around a role and the paths between two, from the snapshot's career
//! graph.

use axum::extract::Path;
use axum::response::Response;
use rolebook_wire as wire;

use super::{check_params, dto, json, role_by_id};
use crate::analysis::{self, MAX_COMPARE, MAX_PATHS};
use crate::error::AppError;
use crate::query;
use crate::request::RequestContext;

/// Two to four roles compared with the first: skill deltas, KPIs only one
/// owns, scope and decision differences, and the skill gap.
#[utoipa::path(get, path = "/api/v1/compare", tag = "career",
    params(("roles" = Vec<String>, Query, explode = true, style = Form, example = json!(["sre-manager", "sre-director"]),
            description = "2 to 4 role ids, titles or aliases; repeated (`roles=a&roles=b`) or comma-separated")),
    responses((status = 200, description = "The comparison", body = wire::Comparison),
              (status = 400, description = "Too few or too many roles, or one named twice", body = dto::ErrorBody),
              (status = 404, description = "A role does not exist; suggestions included", body = dto::ErrorBody)))]
pub async fn compare(request: RequestContext) -> Result<Response, AppError> {
    let snap = &request.snap;
    check_params(request.query(), &["roles"])?;
    let names = query::list(request.query(), "roles");
    let roles = analysis::compare_roles(&snap.catalog, &names)?;
    let build = || {
        let diffs = analysis::diffs(snap.career(), &roles);
        json(&wire::Comparison::of(&snap.catalog, &roles, &diffs))
    };
    // Only requests by canonical ids share a cache entry: titles and
    // aliases would let free text grow the cache.
    if names.len() <= MAX_COMPARE && names.iter().all(|n| snap.catalog.role(n).is_some()) {
        request.cached(&format!("api:compare?{}", names.join(",")), build)
    } else {
        request.fresh(build())
    }
}

/// The career graph around a role: moves from it (next, then lateral,
/// then implied, each smallest gap first),
/// moves into it, and moves to titles outside the catalog.
#[utoipa::path(get, path = "/api/v1/career/{id}", tag = "career",
    params(("id" = String, Path, example = "sre-manager", description = "Role id")),
    responses((status = 200, description = "Moves from and into the role", body = wire::CareerView),
              (status = 400, description = "Unknown query parameter", body = dto::ErrorBody),
              (status = 404, description = "No such role", body = dto::ErrorBody)))]
pub async fn career(request: RequestContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let snap = &request.snap;
    check_params(request.query(), &[])?;
    let role = role_by_id(snap, &id)?;
    request.cached(&format!("api:career:{id}"), || {
        let (next, incoming) = analysis::moves(snap.graph(), role);
        json(&wire::CareerView::of(
            wire::RoleSummary::of(&snap.catalog, role),
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
              (status = 400, description = "Missing `to`, `to` the same role, bad `k` or unknown parameter", body = dto::ErrorBody),
              (status = 404, description = "A role does not exist", body = dto::ErrorBody)))]
pub async fn paths(request: RequestContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let snap = &request.snap;
    let raw = request.query();
    check_params(raw, &["to", "k"])?;
    let k = query::number(raw, "k", 1..=MAX_PATHS)?.unwrap_or(3);
    let to = query::value(raw, "to")
        .filter(|t| !t.is_empty())
        .ok_or_else(|| AppError::bad_request("give the role to reach as `?to=ROLE`"))?;
    let from = role_by_id(snap, &id)?;
    let target = analysis::find_role(&snap.catalog, &to)?;
    if let Some(mistake) = rolebook_career::path::same_ends(from, target) {
        return Err(AppError::bad_request(mistake));
    }
    let key = format!("api:paths:{id}:{}:{k}", target.id.as_str());
    request.cached(&key, || {
        json(&wire::Paths::from(&snap.graph().paths(from, target, k)))
    })
}
