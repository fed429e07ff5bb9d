//! `/career` and `/career/{id}`: the career explorer and path planner.

use std::sync::Arc;

use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};

use crate::analysis::{self, MAX_DEPTH};
use crate::error::AppError;
use crate::query;
use crate::request::RequestContext;
use crate::views::Links;
use crate::views::career::career_page;

pub async fn career_index(request: RequestContext) -> Result<Response, AppError> {
    let snap = &request.snap;
    // The picker form submits `?role=…`; send it to the role's page.
    if let Some(role) = query::value(request.query(), "role").filter(|r| !r.is_empty()) {
        let target = analysis::find_role(&snap.catalog, &role)?;
        let mut url = format!("/career/{}", target.id.as_str());
        let depth = query::value(request.query(), "depth").unwrap_or_default();
        if !depth.is_empty() {
            url.push_str("?depth=");
            url.extend(form_urlencoded::byte_serialize(depth.as_bytes()));
        }
        return Ok(Redirect::to(&url).into_response());
    }
    request.cached("/career", || {
        career_page(snap, Links::Server, None, 1, None, false)
    })
}

pub async fn career(request: RequestContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let snap = &request.snap;
    if snap.catalog.role(&id).is_none()
        && let Some(role) = snap.catalog.find_role(&id)
    {
        return Ok(request.redirect_permanent(&format!("/career/{}", role.id.as_str())));
    }
    let depth = parse_depth(request.query())?;
    let to = query::value(request.query(), "to").filter(|t| !t.is_empty());
    let all = query::value(request.query(), "all").is_some_and(|v| v == "1");
    let key = format!(
        "/career/{id}?depth={depth}&to={}&all={all}",
        to.as_deref().unwrap_or("")
    );
    let canonical = to.as_deref().is_none_or(|t| snap.catalog.role(t).is_some());
    if canonical && let Some(page) = snap.cache.get(&key) {
        return Ok(request.respond(&page));
    }
    // Laying out the graph and searching paths is CPU work: keep it off
    // the async workers.
    let rendering = snap.clone();
    let page = tokio::task::spawn_blocking(move || {
        let page = career_page(
            &rendering,
            Links::Server,
            Some(&id),
            depth,
            to.as_deref(),
            all,
        )?;
        Ok(if canonical {
            rendering.cache.insert(key, page)
        } else {
            Arc::new(page)
        })
    })
    .await
    .unwrap_or_else(|e| Err(AppError::Internal(format!("career page task: {e}"))))?;
    Ok(request.respond(&page))
}

/// `?depth=`: 1 when absent or empty, otherwise 1 to [`MAX_DEPTH`].
fn parse_depth(raw: Option<&str>) -> Result<usize, AppError> {
    match query::value(raw, "depth").filter(|v| !v.is_empty()) {
        None => Ok(1),
        Some(_) => Ok(query::number(raw, "depth", 1..=MAX_DEPTH)?.unwrap_or(1)),
    }
}
