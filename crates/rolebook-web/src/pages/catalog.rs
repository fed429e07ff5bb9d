//! The catalog pages: the grid, roles, skills and KPIs.

use axum::extract::Path;
use axum::response::Response;

use crate::error::AppError;
use crate::request::RequestContext;
use crate::views::Links;
use crate::views::catalog::{
    home_page, kpi_page, kpis_index_page, role_page, skill_page, skills_index_page,
};

pub async fn home(request: RequestContext) -> Result<Response, AppError> {
    let snap = &request.snap;
    request.cached("/", || home_page(snap, Links::Server))
}

pub async fn role(request: RequestContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let snap = &request.snap;
    // A title or alias in the URL (`/roles/CTO`) goes to the canonical page.
    if snap.catalog.role(&id).is_none()
        && let Some(role) = snap.catalog.find_role(&id)
    {
        return Ok(request.redirect_permanent(&format!("/roles/{}", role.id.as_str())));
    }
    request.cached(&format!("/roles/{id}"), || {
        role_page(snap, Links::Server, &id)
    })
}

pub async fn skills(request: RequestContext) -> Result<Response, AppError> {
    let snap = &request.snap;
    request.cached("/skills", || skills_index_page(snap, Links::Server))
}

pub async fn kpis(request: RequestContext) -> Result<Response, AppError> {
    let snap = &request.snap;
    request.cached("/kpis", || kpis_index_page(snap, Links::Server))
}

pub async fn skill(request: RequestContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let snap = &request.snap;
    request.cached(&format!("/skills/{id}"), || {
        skill_page(snap, Links::Server, &id)
    })
}

pub async fn kpi(request: RequestContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let snap = &request.snap;
    request.cached(&format!("/kpis/{id}"), || {
        kpi_page(snap, Links::Server, &id)
    })
}
