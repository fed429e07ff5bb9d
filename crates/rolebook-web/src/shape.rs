//! Every error answer in the shape of the front end that was asked: the
//! API's JSON error under `/api`, the HTML error page everywhere else.
//!
//! Handlers' errors are shaped by each router's own layer (see
//! `api::error_body` and `pages::ErrorPages`). This layer sits outside the
//! timeout and the body limit and shapes what those layers never see: the
//! answers that routing and the HTTP layers make with an empty or
//! plain-text body (405, 408, 413, a missing static file). It also refuses
//! URLs and headers that are too long (414, 431) itself, well below
//! hyper's own limits, so that those get a shaped answer too.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::BoxError;
use axum::body::{Body, Bytes, HttpBody};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use axum::response::Response;
use pin_project_lite::pin_project;
use tower::{Layer, Service};

use crate::audience::Audience;
use crate::error::AppError;
use crate::state::AppState;
use crate::views::status::error_page;

/// Longest URL accepted (path and query), like common proxies' defaults.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// Most bytes of request headers accepted (names, values and separators).
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// Most request headers accepted.
pub const MAX_HEADERS: usize = 100;

/// Wraps a service so that its error answers are shaped (see the module).
#[derive(Debug, Clone)]
pub struct ShapeErrorsLayer {
    state: AppState,
}

impl ShapeErrorsLayer {
    pub fn new(state: AppState) -> Self {
        ShapeErrorsLayer { state }
    }
}

impl<S> Layer<S> for ShapeErrorsLayer {
    type Service = ShapeErrors<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ShapeErrors {
            inner,
            state: self.state.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ShapeErrors<S> {
    inner: S,
    state: AppState,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for ShapeErrors<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: HttpBody<Data = Bytes> + Send + 'static,
    ResBody::Error: Into<BoxError>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Shaping<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let front = Front {
            api: is_api(request.uri().path()),
            method: request.method().clone(),
            audience: Audience::of(request.extensions(), request.headers()),
            state: self.state.clone(),
        };
        match oversized(&request) {
            Some(error) => Shaping::Done {
                response: Some(front.render(&error, &HeaderMap::new())),
            },
            None => Shaping::Waiting {
                inner: self.inner.call(request),
                front,
            },
        }
    }
}

pin_project! {
    /// The inner answer, shaped; or the refusal of an oversized request.
    #[project = ShapingProj]
    pub enum Shaping<F> {
        Waiting { #[pin] inner: F, front: Front },
        Done { response: Option<Response> },
    }
}

impl<F, ResBody, E> Future for Shaping<F>
where
    F: Future<Output = Result<Response<ResBody>, E>>,
    ResBody: HttpBody<Data = Bytes> + Send + 'static,
    ResBody::Error: Into<BoxError>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            ShapingProj::Waiting { inner, front } => {
                inner.poll(cx).map_ok(|response| front.shape(response))
            }
            ShapingProj::Done { response } => Poll::Ready(Ok(response
                .take()
                .expect("Shaping polled after completion"))),
        }
    }
}

/// What an error answer to one request looks like.
#[derive(Debug)]
pub struct Front {
    api: bool,
    method: Method,
    /// Whose layout the error page has.
    audience: Audience,
    state: AppState,
}

impl Front {
    fn shape<B>(&self, mut response: Response<B>) -> Response
    where
        B: HttpBody<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        if let Some(error) = response.extensions_mut().remove::<AppError>() {
            return self.render(&error, response.headers());
        }
        let status = response.status();
        let error_status = status.is_client_error() || status.is_server_error();
        if !error_status || shaped(response.headers()) {
            return response.map(Body::new);
        }
        let error = AppError::Http {
            status,
            message: self.message(status, response.headers()),
        };
        self.render(&error, response.headers())
    }

    /// `error` as JSON or HTML, keeping the headers that say how to retry.
    fn render(&self, error: &AppError, original: &HeaderMap) -> Response {
        let mut response = if self.api {
            crate::api::error_response(error)
        } else {
            error_page(&self.state.snapshot_for(self.audience), error)
        };
        for name in [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE] {
            if let Some(value) = original.get(&name) {
                response.headers_mut().insert(name, value.clone());
            }
        }
        response
    }

    /// What to tell the client for an answer that came without a message.
    fn message(&self, status: StatusCode, headers: &HeaderMap) -> String {
        match status {
            StatusCode::METHOD_NOT_ALLOWED => {
                let method = &self.method;
                match headers.get(header::ALLOW).and_then(|v| v.to_str().ok()) {
                    Some(allow) => format!("`{method}` is not allowed here; allowed: {allow}"),
                    None => format!("`{method}` is not allowed here"),
                }
            }
            StatusCode::REQUEST_TIMEOUT => format!(
                "the request was not answered within {} seconds",
                crate::REQUEST_TIMEOUT.as_secs()
            ),
            StatusCode::PAYLOAD_TOO_LARGE => AppError::too_large().to_string(),
            StatusCode::NOT_FOUND => "nothing lives at this address".to_string(),
            s if s.is_client_error() => s
                .canonical_reason()
                .unwrap_or("the request was refused")
                .to_lowercase(),
            _ => "something went wrong".to_string(),
        }
    }
}

fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// Whether a response already has a body meant for people or programs
/// (plain text is the frameworks' placeholder).
fn shaped(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| !t.starts_with("text/plain"))
}

/// 414 or 431 for a request over the limits above.
fn oversized<B>(request: &Request<B>) -> Option<AppError> {
    let uri = request.uri();
    let uri_bytes = uri.path_and_query().map_or(0, |p| p.as_str().len())
        + uri.authority().map_or(0, |a| a.as_str().len());
    if uri_bytes > MAX_URI_BYTES {
        return Some(AppError::Http {
            status: StatusCode::URI_TOO_LONG,
            message: format!(
                "the URL is {uri_bytes} bytes long; the limit is {} KiB",
                MAX_URI_BYTES / 1024
            ),
        });
    }
    let headers = request.headers();
    let header_bytes: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    (headers.len() > MAX_HEADERS || header_bytes > MAX_HEADER_BYTES).then(|| AppError::Http {
        status: StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        message: format!(
            "the request has {} headers of {header_bytes} bytes; the limits are {MAX_HEADERS} headers and {} KiB",
            headers.len(),
            MAX_HEADER_BYTES / 1024
        ),
    })
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;

    use axum::body::to_bytes;
    use tower::ServiceExt;

    use super::*;

    /// A bare answer with `status`, as the HTTP layers make it.
    async fn bare(status: StatusCode, uri: &str) -> (StatusCode, HeaderMap, String) {
        let state = AppState::builtin().expect("built-in catalog");
        let inner = tower::service_fn(move |_: Request<Body>| async move {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = status;
            Ok::<_, Infallible>(response)
        });
        let response = ShapeErrorsLayer::new(state)
            .layer(inner)
            .oneshot(Request::get(uri).body(Body::empty()).expect("request"))
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = to_bytes(response.into_body(), 1 << 20).await.expect("body");
        (status, headers, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn bare_errors_become_json_under_the_api_and_pages_elsewhere() {
        for status in [
            StatusCode::REQUEST_TIMEOUT,
            StatusCode::PAYLOAD_TOO_LARGE,
            StatusCode::SERVICE_UNAVAILABLE,
        ] {
            let (got, headers, body) = bare(status, "/api/v1/roles").await;
            assert_eq!(got, status);
            assert_eq!(headers[header::CONTENT_TYPE], "application/json");
            let json: serde_json::Value = serde_json::from_str(&body).expect("JSON");
            assert_eq!(json["error"]["status"], status.as_u16());
            assert!(
                json["error"]["message"]
                    .as_str()
                    .is_some_and(|m| !m.is_empty())
            );

            let (got, headers, body) = bare(status, "/roles/cto").await;
            assert_eq!(got, status);
            assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
            assert!(body.starts_with("<!doctype html>"), "{body}");
        }
        let (_, _, body) = bare(StatusCode::REQUEST_TIMEOUT, "/api").await;
        assert!(body.contains("not answered within 10 seconds"), "{body}");
        // Success passes untouched.
        let (got, _, body) = bare(StatusCode::NO_CONTENT, "/api/v1/roles").await;
        assert_eq!(got, StatusCode::NO_CONTENT);
        assert!(body.is_empty());
    }
}
