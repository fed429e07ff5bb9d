//! The catalog pages: the grid, roles, skills and KPIs.

use axum::extract::{Path, State};
use axum::response::Response;
use rolebook_store::diff_documents;
use rolebook_store::{Key, Kind};

use crate::error::AppError;
use crate::request::RequestContext;
use crate::state::AppState;
use crate::views::Links;
use crate::views::catalog::{
    home_page, kpi_page, kpis_index_page, role_page, skill_page, skills_index_page,
};
use crate::views::history::{HistoryItem, HistoryOf, history_page};

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

/// `/ownership?family=F&level=L`: the roles × KPIs matrix, filtered.
pub async fn ownership(request: RequestContext) -> Result<Response, AppError> {
    let snap = &request.snap;
    let raw = request.query();
    crate::query::check_params(raw, &["family", "level"])?;
    let family = crate::query::value(raw, "family").filter(|v| !v.is_empty());
    let level = crate::query::value(raw, "level").filter(|v| !v.is_empty());
    let key = format!(
        "/ownership?family={}&level={}",
        family.as_deref().unwrap_or(""),
        level.as_deref().unwrap_or("")
    );
    let known = family
        .as_deref()
        .is_none_or(|f| snap.catalog.family(f).is_some())
        && level
            .as_deref()
            .is_none_or(|l| snap.catalog.level(l).is_some());
    let render = || {
        crate::views::ownership::ownership_page(
            snap,
            Links::Server,
            family.as_deref(),
            level.as_deref(),
        )
    };
    if known {
        request.cached(&key, render)
    } else {
        render().map(|page| request.respond(&std::sync::Arc::new(page)))
    }
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

/// The history of a role, skill or KPI (workspace mode only): the
/// versions that changed it, with who, when, why and what.
pub async fn role_history(
    state: State<AppState>,
    request: RequestContext,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    history(state, request, HistoryOf::Role, id).await
}

pub async fn skill_history(
    state: State<AppState>,
    request: RequestContext,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    history(state, request, HistoryOf::Skill, id).await
}

pub async fn kpi_history(
    state: State<AppState>,
    request: RequestContext,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    history(state, request, HistoryOf::Kpi, id).await
}

async fn history(
    State(state): State<AppState>,
    request: RequestContext,
    of: HistoryOf,
    id: String,
) -> Result<Response, AppError> {
    let snap = &request.snap;
    let (section, kind) = match of {
        HistoryOf::Role => ("roles", Kind::Role),
        HistoryOf::Skill => ("skills", Kind::Skill),
        HistoryOf::Kpi => ("kpis", Kind::Kpi),
    };
    let path = format!("/{section}/{id}/history");
    let Some(ws) = state.provider().workspace().cloned() else {
        return Err(super::nothing_at(snap, &path));
    };
    if let Some(hit) = snap.cache.get(&path) {
        return Ok(request.respond(&hit));
    }
    // Unknown and unpublished entities get their page's 404 before any
    // database read.
    match of {
        HistoryOf::Role => crate::views::published_role(snap, &id).map(|_| ())?,
        HistoryOf::Skill => crate::views::catalog::published_skill(snap, &id).map(|_| ())?,
        HistoryOf::Kpi => crate::views::catalog::published_kpi(snap, &id).map(|_| ())?,
    }
    let store = |e: rolebook_store::StoreError| AppError::Internal(format!("workspace: {e}"));
    let key = Key::new(kind, id.clone());
    let served = snap.version.and_then(|v| i64::try_from(v).ok());
    let mut items = Vec::new();
    let mut previous = None;
    for entry in ws.history(&key).await.map_err(store)? {
        if served.is_some_and(|served| entry.version.number > served) {
            break;
        }
        let document = ws.revision(entry.revision).await.map_err(store)?;
        let diff =
            diff_documents(&key, previous.as_ref(), document.as_ref()).map_err(|e| e.to_string());
        items.push(HistoryItem {
            version: entry.version,
            diff,
        });
        previous = document;
    }
    items.reverse();
    let page = history_page(snap, Links::Server, of, &id, items)?;
    let page = snap.cache.insert(path, page);
    Ok(request.respond(&page))
}
