//! What every handler starts from: who is asking ([`Audience`]), the one
//! snapshot it uses from start to end (its audience's), the raw query
//! string, and what it needs of the request's headers to answer 304. The
//! signed-in user will join them here.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::audience::Audience;
use crate::cache::Cached;
use crate::error::AppError;
use crate::state::{AppState, Snapshot};

#[derive(Debug)]
pub struct RequestContext {
    /// The current snapshot for the request's audience.
    pub snap: Arc<Snapshot>,
    audience: Audience,
    raw_query: Option<String>,
    if_none_match: Option<HeaderValue>,
    /// The client's address (the connection's, or what a trusted proxy
    /// says) and the request id, for the audit log and throttling.
    peer: Option<std::net::IpAddr>,
    request_id: Option<String>,
}

impl FromRequestParts<AppState> for RequestContext {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let audience = Audience::of(&parts.extensions, &parts.headers);
        Ok(RequestContext {
            snap: state.snapshot_for(audience),
            audience,
            raw_query: parts.uri.query().map(str::to_string),
            if_none_match: parts.headers.get(header::IF_NONE_MATCH).cloned(),
            peer: state.auth().config().client_address(
                parts
                    .extensions
                    .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                    .map(|info| info.0.ip().to_canonical()),
                &parts.headers,
            ),
            request_id: parts
                .headers
                .get(&crate::REQUEST_ID)
                .and_then(|value| value.to_str().ok())
                .map(str::to_string),
        })
    }
}

/// What answers meant for maintainers say to caches: a shared cache (a
/// proxy) must not keep them for anyone else.
const PRIVATE: HeaderValue = HeaderValue::from_static("private, no-cache");

impl RequestContext {
    /// Whether this request may see the catalog's problems: the banner and
    /// `/admin/diagnostics`. Decided by [`Audience::of`] alone.
    pub fn may_see_diagnostics(&self) -> bool {
        self.audience.may_see_diagnostics()
    }

    /// The client's address as the audit log records it: the connection's,
    /// or, behind a trusted proxy, the one it forwarded for.
    pub fn address(&self) -> String {
        self.peer
            .map_or_else(|| "unknown".to_string(), |ip| ip.to_string())
    }

    /// The request's id (`x-request-id`), as the audit log records it.
    pub fn request_id(&self) -> &str {
        self.request_id.as_deref().unwrap_or("")
    }

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
        let mut response = body.respond_to(self.if_none_match.as_ref());
        if self.audience != Audience::PUBLIC {
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, PRIVATE);
        }
        response
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
