//! The catalog pages: the grid, roles, skills and KPIs.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};

use super::cached;
use crate::error::AppError;
use crate::state::AppState;
use crate::views::Links;
use crate::views::catalog::{
    home_page, kpi_page, kpis_index_page, role_page, skill_page, skills_index_page,
};

pub async fn home(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let snap = state.snapshot();
    cached(&snap, &headers, "/", || home_page(&snap, Links::Server))
}

pub async fn role(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let snap = state.snapshot();
    // A title or alias in the URL (`/roles/CTO`) goes to the canonical page.
    if snap.catalog.role(&id).is_none()
        && let Some(role) = snap.catalog.find_role(&id)
    {
        return Ok(Redirect::permanent(&format!("/roles/{}", role.id.as_str())).into_response());
    }
    cached(&snap, &headers, &format!("/roles/{id}"), || {
        role_page(&snap, Links::Server, &id)
    })
}

pub async fn skills(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let snap = state.snapshot();
    cached(&snap, &headers, "/skills", || {
        skills_index_page(&snap, Links::Server)
    })
}

pub async fn kpis(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let snap = state.snapshot();
    cached(&snap, &headers, "/kpis", || {
        kpis_index_page(&snap, Links::Server)
    })
}

pub async fn skill(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let snap = state.snapshot();
    cached(&snap, &headers, &format!("/skills/{id}"), || {
        skill_page(&snap, Links::Server, &id)
    })
}

pub async fn kpi(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let snap = state.snapshot();
    cached(&snap, &headers, &format!("/kpis/{id}"), || {
        kpi_page(&snap, Links::Server, &id)
    })
}
