//! The accept loop, with the limits a reverse proxy expects of a backend.
//!
//! - A client has [`ServerLimits::header_read_timeout`] to send a request's
//!   headers, counted from their first byte (or from the connection
//!   opening), so half-sent requests cannot hold sockets.
//! - A connection idle between requests, or stalled while its answer is
//!   written, for [`ServerLimits::idle_timeout`] is closed. hyper's own
//!   `header_read_timeout` is not used: its clock also runs while a
//!   keep-alive connection waits for its next request, so it would close
//!   idle connections after 10 s, well before a proxy's upstream keep-alive
//!   (commonly 60 s) stops reusing them, and the proxy would then race the
//!   close and answer 502.
//! - At most [`ServerLimits::max_connections`] are served at once. Past
//!   that a connection gets a short JSON 503 with `Retry-After` and is
//!   closed: the client learns why, and file descriptors stay bounded
//!   where stopping to accept would leave clients hanging in the backlog.
//!   A few refusals are answered at once; beyond them a connection is
//!   closed unanswered.
//! - Accept errors (out of file descriptors, …) are logged and retried
//!   after a growing pause; they never stop the server.
//! - Shutdown stops accepting, closes idle connections and lets requests
//!   in flight finish, for up to [`ServerLimits::shutdown_grace`].
//! - Every request carries its connection's peer address as axum's
//!   `ConnectInfo<SocketAddr>`, from which [`crate::audience`] decides what
//!   it may see.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::ConnectInfo;
use axum::routing::future::RouteFuture;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use pin_project_lite::pin_project;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use tower::Service;

use crate::api::dto;
use crate::shape::MAX_HEADERS;

/// Limits on connections; see the module for what each one protects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerLimits {
    /// Longest a client may take to send a request's headers.
    pub header_read_timeout: Duration,
    /// Longest a connection may sit idle between requests, or stalled
    /// while its answer is written. Longer than proxies' usual upstream
    /// keep-alive (60 s), so that the proxy closes first.
    pub idle_timeout: Duration,
    /// Most connections served at once.
    pub max_connections: usize,
    /// Longest a shutdown waits for requests in flight.
    pub shutdown_grace: Duration,
}

impl Default for ServerLimits {
    fn default() -> Self {
        ServerLimits {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(75),
            // Well under the usual 1,024 file descriptors per process,
            // leaving room for refusals, catalog files and logs.
            max_connections: 512,
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

/// Most over-limit connections answered at once.
const MAX_REFUSALS: usize = 32;
/// How long a refused connection is kept for its client to read the 503.
const REFUSAL_LINGER: Duration = Duration::from_secs(1);
/// Seconds a refused client is asked to wait before trying again.
const RETRY_AFTER_SECS: u32 = 1;
const FIRST_BACKOFF: Duration = Duration::from_millis(10);
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// Serves `app` on `listener` until `shutdown` completes, then finishes
/// the requests in flight. Never fails: accept errors are retried.
pub async fn run(
    listener: TcpListener,
    app: Router,
    limits: ServerLimits,
    shutdown: impl Future<Output = ()>,
) {
    let connections = Arc::new(Semaphore::new(limits.max_connections));
    let refusals = Arc::new(Semaphore::new(MAX_REFUSALS));
    let refusal = Bytes::from(refusal_answer());
    let graceful = GracefulShutdown::new();
    let mut backoff = FIRST_BACKOFF;
    let mut full = false;
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => {
                backoff = FIRST_BACKOFF;
                accepted
            }
            Err(error) if ends_one_connection(&error) => continue,
            Err(error) => {
                tracing::warn!(%error, retry_in = ?backoff, "cannot accept connections");
                tokio::select! {
                    () = &mut shutdown => break,
                    () = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
                continue;
            }
        };
        match connections.clone().try_acquire_owned() {
            Ok(permit) => {
                if full {
                    full = false;
                    tracing::info!("below the connection limit again");
                }
                tokio::spawn(connection(
                    stream,
                    peer,
                    app.clone(),
                    limits,
                    graceful.watcher(),
                    permit,
                ));
            }
            Err(_) => {
                if !full {
                    full = true;
                    tracing::warn!(
                        limit = limits.max_connections,
                        "connection limit reached; answering 503 until connections close"
                    );
                }
                // With no refusal to spare, dropping the stream closes it.
                if let Ok(permit) = refusals.clone().try_acquire_owned() {
                    tokio::spawn(refuse(stream, refusal.clone(), permit));
                }
            }
        }
    }
    drop(listener);
    if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still in flight after the shutdown grace period");
    }
}

/// Errors about one incoming connection, not about the listener.
fn ends_one_connection(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
    )
}

/// The 503 for a connection over the limit, as raw HTTP/1.1 with the API's
/// JSON error.
fn refusal_answer() -> Vec<u8> {
    let body = serde_json::to_string(&dto::ErrorBody {
        error: dto::ErrorDetail {
            status: 503,
            message: "the server is answering as many connections as it can; try again shortly"
                .to_string(),
            suggestions: Vec::new(),
        },
    })
    .unwrap_or_default();
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\nretry-after: {RETRY_AFTER_SECS}\r\ncache-control: no-store\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Answers a connection over the limit without waiting for its request,
/// then reads whatever it sends until it closes: closing with a request
/// unread would reset the connection and could lose the answer.
async fn refuse(mut stream: TcpStream, answer: Bytes, _permit: OwnedSemaphorePermit) {
    let _ = tokio::time::timeout(REFUSAL_LINGER, async {
        stream.write_all(&answer).await?;
        stream.shutdown().await?;
        let mut sink = [0; 4096];
        while stream.read(&mut sink).await? > 0 {}
        Ok::<_, io::Error>(())
    })
    .await;
}

/// Serves one connection until it ends, or until its watchdog finds it
/// idle or slow past the limits.
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    limits: ServerLimits,
    watcher: Watcher,
    _permit: OwnedSemaphorePermit,
) {
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Metered {
        inner: stream,
        activity: activity.clone(),
    });
    let service = Tracked {
        app,
        peer,
        activity: activity.clone(),
    };
    let mut builder = http1::Builder::new();
    // The watchdog times headers and idleness (see the module). Room for
    // more headers than the app accepts, so that it answers 431 itself.
    builder
        .header_read_timeout(None::<Duration>)
        .max_headers(2 * MAX_HEADERS);
    let conn = watcher.watch(builder.serve_connection(io, service));
    tokio::pin!(conn);
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(error) = result {
                    tracing::debug!(%error, "connection ended with an error");
                }
                return;
            }
            () = tokio::time::sleep_until(activity.deadline(&limits)) => {
                if let Some(reason) = activity.expired(&limits) {
                    tracing::debug!(reason, "closing connection");
                    return;
                }
            }
        }
    }
}

/// What a connection has been doing, for its watchdog.
#[derive(Debug)]
struct Activity(Mutex<Phase>);

#[derive(Debug)]
struct Phase {
    /// Requests handed to the app and not yet answered.
    in_flight: usize,
    /// When the request head now being read began to arrive.
    head_since: Option<Instant>,
    /// The last byte read or written, or the last answer ready.
    last_io: Instant,
}

impl Phase {
    /// When the connection is closed unless something happens; never
    /// while the app is answering (the request timeout bounds that).
    fn deadline(&self, limits: &ServerLimits) -> Option<Instant> {
        if self.in_flight > 0 {
            None
        } else if let Some(since) = self.head_since {
            Some(since + limits.header_read_timeout)
        } else {
            Some(self.last_io + limits.idle_timeout)
        }
    }
}

impl Activity {
    /// A new connection is expected to send a request at once.
    fn new() -> Self {
        let now = Instant::now();
        Activity(Mutex::new(Phase {
            in_flight: 0,
            head_since: Some(now),
            last_io: now,
        }))
    }

    fn lock(&self) -> MutexGuard<'_, Phase> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn read(&self) {
        let now = Instant::now();
        let mut phase = self.lock();
        phase.last_io = now;
        if phase.in_flight == 0 && phase.head_since.is_none() {
            phase.head_since = Some(now);
        }
    }

    fn wrote(&self) {
        self.lock().last_io = Instant::now();
    }

    /// A request's head has been read and goes to the app.
    fn begin(self: &Arc<Self>) -> InFlight {
        let mut phase = self.lock();
        phase.in_flight += 1;
        phase.head_since = None;
        InFlight(self.clone())
    }

    /// When to look again.
    fn deadline(&self, limits: &ServerLimits) -> Instant {
        self.lock()
            .deadline(limits)
            .unwrap_or_else(|| Instant::now() + limits.idle_timeout.min(limits.header_read_timeout))
    }

    /// Why the connection is to be closed now, if it is.
    fn expired(&self, limits: &ServerLimits) -> Option<&'static str> {
        let phase = self.lock();
        let deadline = phase.deadline(limits)?;
        (Instant::now() >= deadline).then_some(if phase.head_since.is_some() {
            "request headers too slow"
        } else {
            "idle"
        })
    }
}

/// A request being answered; dropped with its answer.
#[derive(Debug)]
struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut phase = self.0.lock();
        phase.in_flight = phase.in_flight.saturating_sub(1);
        phase.last_io = Instant::now();
    }
}

/// The app as hyper calls it, marking each request in flight and giving
/// it the connection's peer address.
#[derive(Debug, Clone)]
struct Tracked {
    app: Router,
    peer: SocketAddr,
    activity: Arc<Activity>,
}

impl hyper::service::Service<hyper::Request<Incoming>> for Tracked {
    type Response = axum::response::Response;
    type Error = Infallible;
    type Future = Answer<RouteFuture<Infallible>>;

    fn call(&self, mut request: hyper::Request<Incoming>) -> Self::Future {
        request.extensions_mut().insert(ConnectInfo(self.peer));
        let in_flight = self.activity.begin();
        let mut app = self.app.clone();
        Answer {
            inner: app.call(request),
            _in_flight: in_flight,
        }
    }
}

pin_project! {
    /// The app's answer, holding the request in flight until it is ready.
    #[derive(Debug)]
    struct Answer<F> {
        #[pin]
        inner: F,
        _in_flight: InFlight,
    }
}

impl<F: Future> Future for Answer<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.project().inner.poll(cx)
    }
}

/// The socket, telling the watchdog when bytes move.
#[derive(Debug)]
struct Metered {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Metered {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            this.activity.read();
        }
        polled
    }
}

impl Metered {
    fn wrote(&self, polled: &Poll<io::Result<usize>>) {
        if matches!(polled, Poll::Ready(Ok(n)) if *n > 0) {
            self.activity.wrote();
        }
    }
}

impl AsyncWrite for Metered {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write(cx, data);
        this.wrote(&polled);
        polled
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.wrote(&polled);
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}
