//! A router that remembers the paths it was given, so that the access
//! matrix test checks every route the server has, not a list kept beside
//! it.

use axum::Router;
use axum::routing::MethodRouter;

use crate::state::AppState;

#[derive(Debug)]
pub struct Routed {
    pub router: Router<AppState>,
    /// Every path given to [`Routed::route`], as the router matches it.
    pub paths: Vec<String>,
}

impl Routed {
    pub fn new() -> Self {
        Routed {
            router: Router::new(),
            paths: Vec::new(),
        }
    }

    pub fn route(mut self, path: &str, method_router: MethodRouter<AppState>) -> Self {
        self.paths.push(path.to_string());
        self.router = self.router.route(path, method_router);
        self
    }

    /// The same routes under `prefix`, as [`Router::nest`] puts them.
    pub fn nest(mut self, prefix: &str, inner: Routed) -> Self {
        self.paths
            .extend(inner.paths.iter().map(|path| format!("{prefix}{path}")));
        self.router = self.router.nest(prefix, inner.router);
        self
    }

    pub fn merge(mut self, other: Routed) -> Self {
        self.paths.extend(other.paths);
        self.router = self.router.merge(other.router);
        self
    }

    /// The router changed by `change` (a fallback, a layer), same paths.
    pub fn map(mut self, change: impl FnOnce(Router<AppState>) -> Router<AppState>) -> Self {
        self.router = change(self.router);
        self
    }
}
