//! What every handler starts from: the one snapshot it uses from start to
//! end, the raw query string, and what it needs of the request's headers
//! to answer 304. Who is asking (the signed-in user) will join them here.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::cache::Cached;
use crate::error::AppError;
use crate::state::{AppState, Snapshot};

#[derive(Debug)]
pub struct RequestContext {
    pub snap: Arc<Snapshot>,
    raw_query: Option<String>,
    if_none_match: Option<HeaderValue>,
}

impl FromRequestParts<AppState> for RequestContext {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        Ok(RequestContext {
            snap: state.snapshot(),
            raw_query: parts.uri.query().map(str::to_string),
            if_none_match: parts.headers.get(header::IF_NONE_MATCH).cloned(),
        })
    }
}

impl RequestContext {
    /// The query string as sent, without `?`.
    pub fn query(&self) -> Option<&str> {
        self.raw_query.as_deref()
    }

    /// A permanent redirect to `path` (the canonical address of what was
    /// asked for), keeping the query string.
    pub fn redirect_permanent(&self, path: &str) -> Response {
        match self.query().filter(|q| !q.is_empty()) {
            Some(query) => Redirect::permanent(&format!("{path}?{query}")).into_response(),
            None => Redirect::permanent(path).into_response(),
        }
    }

    /// `body` as the answer: 200, or 304 when the client has it already.
    pub fn respond(&self, body: &Cached) -> Response {
        body.respond_to(self.if_none_match.as_ref())
    }

    /// An answer the same for every visitor: from the snapshot's cache, or
    /// rendered now and cached under `key`.
    pub fn cached(
        &self,
        key: &str,
        render: impl FnOnce() -> Result<Cached, AppError>,
    ) -> Result<Response, AppError> {
        let body = self.snap.cache.get_or_render(key, render)?;
        Ok(self.respond(&body))
    }

    /// An answer rendered for this request only (it depends on free text).
    pub fn fresh(&self, render: Result<Cached, AppError>) -> Result<Response, AppError> {
        Ok(self.respond(&render?))
    }
}
