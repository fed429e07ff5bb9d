//! rolebook-web: the web app and JSON API behind `rolebook serve`.
//!
//! [`app`] builds the whole router (pages, `/api/v1`, static assets and
//! the operations middleware) over an [`AppState`]; it needs no network, so
//! tests drive it with `tower::ServiceExt::oneshot`. [`serve`] binds a
//! socket, watches the catalog directory and shuts down gracefully on
//! SIGTERM or Ctrl-C; [`server`] holds its accept loop and connection
//! limits.
//!
//! This is the only crate that speaks HTTP. It reads the catalog through
//! `rolebook-core`, asks `rolebook-career` for diffs, paths and the career
//! graph, and keeps its wire types ([`dto`]) apart from the core model.

mod analysis;
pub mod api;
mod assets;
mod audience;
pub mod auth;
mod cache;
mod error;
mod pages;
pub mod provider;
mod publication;
mod query;
mod request;
mod review;
mod routed;
mod search;
pub mod server;
mod shape;
pub mod site;
mod state;
mod views;
pub mod watch;

/// The built-in catalog, for unit tests.
#[cfg(test)]
fn builtin_catalog() -> rolebook_core::Catalog {
    rolebook_core::load(rolebook_core::builtin::sources())
        .catalog
        .expect("built-in catalog is valid")
}

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Request, StatusCode, header};
use axum::routing::get;
use tower::ServiceBuilder;
use tower::util::MapRequestLayer;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

pub use provider::{CatalogProvider, LoadError, WorkspaceProvider};
pub use rolebook_core::CatalogSource;
pub use server::ServerLimits;
pub use shape::{MAX_HEADER_BYTES, MAX_HEADERS, MAX_URI_BYTES};
pub use state::{AppState, ReloadOutcome};

use crate::shape::ShapeErrorsLayer;

/// Largest request body accepted: room for the editor's form or TOML of
/// the largest entity the catalog allows (a 1 MiB file, and then some for
/// the form's encoding), the gap page's rating form and an uploaded
/// `profile.toml`; anything bigger is refused before it is read.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// Longest a request may take before it gets 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// No inline script or style anywhere; nothing may frame the site.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Request ids: a per-process prefix and a counter, short and unique
/// enough to find one request in the logs.
#[derive(Debug, Clone)]
struct Counter {
    prefix: u32,
    next: Arc<AtomicU64>,
}

impl MakeRequestId for Counter {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{:08x}-{n}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}

/// Whether a client's request id is safe to log as it is: 1 to 64 of
/// `A-Za-z0-9._-`, so that it cannot forge log fields or lines.
pub fn is_safe_request_id(id: &[u8]) -> bool {
    (1..=64).contains(&id.len())
        && id
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Drops a client's `x-request-id` unless it is one safe value; a new id
/// is then made for the request.
fn drop_unsafe_request_id(mut request: Request<Body>) -> Request<Body> {
    let safe = {
        let mut ids = request.headers().get_all(&REQUEST_ID).iter();
        match (ids.next(), ids.next()) {
            (None, _) => return request,
            (Some(id), None) => is_safe_request_id(id.as_bytes()),
            (Some(_), Some(_)) => false,
        }
    };
    if !safe {
        request.headers_mut().remove(&REQUEST_ID);
    }
    request
}

fn process_prefix() -> u32 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    nanos ^ std::process::id().rotate_left(16)
}

/// The whole application: pages, API, assets and middleware.
pub fn app(state: AppState) -> Router {
    let ids = Counter {
        prefix: process_prefix(),
        next: Arc::new(AtomicU64::new(1)),
    };
    let trace = TraceLayer::new_for_http()
        .make_span_with(|request: &Request<_>| {
            let id = request
                .headers()
                .get(&REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", id = %id, method = %request.method(), path = %request.uri().path())
        })
        .on_request(())
        .on_response(DefaultOnResponse::new().level(Level::INFO));
    // Outside in. The security headers go on every answer, the shaped
    // errors too; errors go into their JSON or HTML shape outside the
    // layers that make bare ones (timeout, body limit).
    let middleware = ServiceBuilder::new()
        .layer(MapRequestLayer::new(drop_unsafe_request_id))
        .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), ids))
        .layer(trace)
        .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(ShapeErrorsLayer::new(state.clone()))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        // One body limit, this one: axum's default one (2 MB) would wrap
        // the body again and hide from extractors that a chunked body
        // went over ours, which then got 400 instead of 413.
        .layer(DefaultBodyLimit::disable())
        .layer(
            CompressionLayer::new().compress_when(
                // PDF, DOCX and XLSX downloads are compressed already.
                DefaultPredicate::new()
                    .and(NotForContentType::const_new("application/pdf"))
                    .and(NotForContentType::const_new(
                        "application/vnd.openxmlformats",
                    )),
            ),
        );

    routes(state.clone())
        .router
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::access::guard,
        ))
        .with_state(state)
        .layer(middleware)
}

/// Every route, before the access guard and the middleware.
pub(crate) fn routes(state: AppState) -> routed::Routed {
    routed::Routed::new()
        .merge(pages::router(state))
        .route("/healthz", get(api::health))
        .route("/static/{file}", get(assets::serve))
        .nest("/api/v1", api::router())
        .merge(api::unversioned())
}

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

/// Logs to stderr, one line per event with key=value fields; `RUST_LOG`
/// sets the filter (default: info).
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Colour only on a terminal and never with NO_COLOR, like the CLI.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr())
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(false)
        .try_init();
}

/// Serves `state` on `addr` until SIGTERM or Ctrl-C, reloading the catalog
/// when its directory changes. Blocks; builds its own runtime.
pub fn serve(state: AppState, addr: SocketAddr) -> Result<(), ServeError> {
    serve_with(state, addr, ServerLimits::default())
}

/// [`serve`] with other connection limits.
pub fn serve_with(
    state: AppState,
    addr: SocketAddr,
    limits: ServerLimits,
) -> Result<(), ServeError> {
    let runtime = runtime()?;
    serve_on(&runtime, state, addr, limits)
}

/// The runtime [`serve_with`] serves on; build it first to open a
/// workspace on it, then [`serve_on`] it.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
}

/// [`serve_with`] on `runtime`, which must be the runtime a
/// [`WorkspaceProvider`]'s workspace was opened on.
pub fn serve_on(
    runtime: &tokio::runtime::Runtime,
    state: AppState,
    addr: SocketAddr,
    limits: ServerLimits,
) -> Result<(), ServeError> {
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| ServeError::Bind { addr, source })?;
        let local = listener.local_addr()?;
        // The log may name the catalog in full; pages show a safe label.
        tracing::info!(
            catalog = %state.provider().label(),
            roles = state.snapshot().catalog.roles().len(),
            "rolebook serving on http://{local}/"
        );
        watch::spawn(state.clone(), watch::POLL_INTERVAL);
        server::run(listener, app(state), limits, shutdown_signal()).await;
        tracing::info!("rolebook stopped");
        Ok(())
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
