//! The HTML pages: thin handlers per area that read the request, pick the
//! snapshot and call a builder in [`crate::views`].
//!
//! Pages that are the same for every visitor are cached per snapshot (see
//! [`crate::cache`]). Handlers return [`AppError`]; [`ErrorPages`] turns
//! it into the error page, with suggestions, around the layout of the
//! request's audience.

mod account;
mod admin;
mod brand;
mod career;
mod catalog;
mod changes;
mod compare;
mod downloads;
mod editor;
pub(crate) mod gap;
mod posting;
mod search;
mod versions;

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::{Extension, Request, State};
use axum::http::Uri;
use axum::response::Response;
use axum::routing::{any, get, post};
use pin_project_lite::pin_project;
use tower::{Layer, Service};

use crate::audience::Audience;
use crate::auth::Caller;
use crate::error::AppError;
use crate::request::RequestContext;
use crate::routed::Routed;
use crate::state::{AppState, Snapshot};
use crate::views::role_suggestions;
use crate::views::status::error_page;

/// Every HTML route, with the error page for any [`AppError`].
pub fn router(state: AppState) -> Routed {
    Routed::new()
        .route("/", get(catalog::home))
        .route("/roles/{id}", get(catalog::role))
        .route("/skills", get(catalog::skills))
        .route("/skills/{id}", get(catalog::skill))
        .route("/kpis", get(catalog::kpis))
        .route("/ownership", get(catalog::ownership))
        .route("/kpis/{id}", get(catalog::kpi))
        .route("/downloads/{file}", get(downloads::catalog))
        .route("/downloads/catalog/{file}", get(downloads::table))
        .route("/downloads/roles/{file}", get(downloads::role))
        .route("/downloads/skills/{file}", get(downloads::skill))
        .route("/downloads/kpis/{file}", get(downloads::kpi))
        .route("/roles/{id}/history", get(catalog::role_history))
        .route("/skills/{id}/history", get(catalog::skill_history))
        .route("/kpis/{id}/history", get(catalog::kpi_history))
        .route("/roles/{id}/posting", get(posting::page))
        .route("/roles/{id}/posting/preview", get(posting::preview))
        .route("/downloads/postings/{file}", get(posting::download))
        .route("/brand/{file}", get(brand::logo))
        .route("/compare", get(compare::compare))
        .route("/career", get(career::career_index))
        .route("/career/{id}", get(career::career))
        .route("/search", get(search::page))
        .route("/gap", get(gap::page).post(gap::submit))
        .route(
            "/gap/profile.toml",
            get(gap::download).post(gap::download_form),
        )
        .route("/gap/upload", post(gap::upload))
        // Every method: to those who may not see it, it is not there.
        .route("/admin/diagnostics", any(admin::diagnostics))
        .merge(account::router())
        .merge(changes::router())
        .merge(editor::router())
        .merge(versions::router())
        .map(|router| router.fallback(not_found).layer(ErrorPages { state }))
}

/// The pages' error layer: an [`AppError`] response becomes the error page
/// with its status, around the layout of the request's audience; every
/// other response passes untouched. A layer of its own rather than
/// `axum::middleware::from_fn`, whose boxed future cost every cached page
/// about a microsecond (a fifth of its time in the router).
#[derive(Debug, Clone)]
struct ErrorPages {
    state: AppState,
}

impl<S> Layer<S> for ErrorPages {
    type Service = ErrorPagesService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ErrorPagesService {
            inner,
            state: self.state.clone(),
        }
    }
}

#[derive(Debug, Clone)]
struct ErrorPagesService<S> {
    inner: S,
    state: AppState,
}

impl<S> Service<Request> for ErrorPagesService<S>
where
    S: Service<Request, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = ErrorPage<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let audience = Audience::of(request.extensions(), request.headers());
        ErrorPage {
            inner: self.inner.call(request),
            audience,
            state: self.state.clone(),
        }
    }
}

pin_project! {
    /// The handler's answer, or its error as a page.
    #[derive(Debug)]
    struct ErrorPage<F> {
        #[pin]
        inner: F,
        audience: Audience,
        state: AppState,
    }
}

impl<F, E> Future for ErrorPage<F>
where
    F: Future<Output = Result<Response, E>>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let (state, audience) = (this.state, *this.audience);
        this.inner.poll(cx).map_ok(|mut response| {
            match response.extensions_mut().remove::<AppError>() {
                Some(error) => error_page(&state.snapshot_for(audience), &error),
                None => response,
            }
        })
    }
}

/// Any URL no route matches. Its suggestions name catalog roles, so a
/// visitor who may not read the catalog gets none.
async fn not_found(
    State(state): State<AppState>,
    request: RequestContext,
    caller: Option<Extension<Caller>>,
    uri: Uri,
) -> AppError {
    let principal = caller.map_or(rolebook_accounts::Principal::Anonymous, |c| c.principal);
    let may_read = match state.auth().policy(false).await {
        Ok(policy) => policy.allows(principal, rolebook_accounts::Permission::ReadCatalog),
        Err(error) => return error,
    };
    if may_read {
        nothing_at(&request.snap, uri.path())
    } else {
        AppError::not_found(format!("nothing lives at `{}`", uri.path()))
    }
}

/// 404 for `path`, with suggestions from its last segment.
pub(crate) fn nothing_at(snap: &Snapshot, path: &str) -> AppError {
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let words = last.replace(['-', '_', '+'], " ");
    let suggestions = if words.trim().is_empty() {
        Vec::new()
    } else {
        role_suggestions(snap, &words)
    };
    AppError::NotFound {
        message: format!("nothing lives at `{path}`"),
        suggestions,
    }
}
