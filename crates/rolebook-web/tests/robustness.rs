//! Issue 15, "Hardening": each reproduction replayed, through real sockets
//! where a socket is involved and through the router otherwise, so that
//! none comes back. (The page cache one needs the cache's insides: see the
//! tests in `src/cache.rs` and `src/pages/compare.rs`.)

use std::net::SocketAddr;
use std::time::{Duration, Instant};

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
// The router tests' helpers, under the names this file reads best with.
use axum::routing::get;
use common::{LOOPBACK, Reply as Answer, get as ask_get, get_from, send as ask};
use rolebook_web::server::run;
use rolebook_web::{AppState, CatalogSource, MAX_BODY_BYTES, ServerLimits, app};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

// ------------------------------------------------------------- helpers

fn state() -> AppState {
    AppState::builtin().expect("the built-in catalog is valid")
}

/// Short limits, so that tests wait little.
fn limits(header: u64, idle: u64, max_connections: usize) -> ServerLimits {
    ServerLimits {
        header_read_timeout: Duration::from_millis(header),
        idle_timeout: Duration::from_millis(idle),
        max_connections,
        shutdown_grace: Duration::from_secs(5),
    }
}

/// `rolebook_web::server::run` on 127.0.0.1 and a free port.
struct Server {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

async fn start(app: Router, limits: ServerLimits) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(run(listener, app, limits, async {
        let _ = stopped.await;
    }));
    Server { addr, stop, task }
}

impl Server {
    async fn connect(&self) -> TcpStream {
        TcpStream::connect(self.addr).await.expect("connect")
    }

    /// Stops the server and waits for it to finish.
    async fn stop(self) {
        let _ = self.stop.send(());
        tokio::time::timeout(Duration::from_secs(10), self.task)
            .await
            .expect("the server stops")
            .expect("the server task does not panic");
    }
}

/// An answer read off a socket.
#[derive(Debug)]
struct Reply {
    status: u16,
    /// Header names in lower case.
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Reads more of an answer into `buf`.
async fn read_more(stream: &mut TcpStream, buf: &mut Vec<u8>) {
    let mut chunk = [0; 16 * 1024];
    let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk))
        .await
        .expect("an answer within 10 s")
        .expect("read");
    assert!(n > 0, "closed mid-answer: {}", String::from_utf8_lossy(buf));
    buf.extend_from_slice(&chunk[..n]);
}

/// Reads one answer with a `content-length` body.
async fn read_reply(stream: &mut TcpStream) -> Reply {
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(at) = find(&buf, b"\r\n\r\n") {
            break at + 4;
        }
        read_more(stream, &mut buf).await;
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {head}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .map(|(_, v)| v.parse().expect("a number"))
        .unwrap_or_else(|| panic!("no content-length: {head}"));
    while buf.len() < head_end + length {
        read_more(stream, &mut buf).await;
    }
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&buf[head_end..head_end + length]).into_owned(),
    }
}

async fn send(stream: &mut TcpStream, request: &str) -> Reply {
    stream.write_all(request.as_bytes()).await.expect("write");
    read_reply(stream).await
}

fn get_request(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: test\r\n\r\n")
}

/// Whether the server closes `stream` within `within` (bytes sent meanwhile
/// are a failure).
async fn closes_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0; 1024];
    match tokio::time::timeout(within, stream.read(&mut buf)).await {
        Ok(Ok(0) | Err(_)) => true,
        Ok(Ok(n)) => panic!("unexpected bytes: {}", String::from_utf8_lossy(&buf[..n])),
        Err(_) => false,
    }
}

/// `/healthz` on a new connection, retried until it answers 200 or `within`
/// runs out.
async fn healthz_answers_within(addr: SocketAddr, within: Duration) -> bool {
    let started = Instant::now();
    while started.elapsed() < within {
        if let Ok(mut stream) = TcpStream::connect(addr).await {
            let asked = async {
                stream.write_all(get_request("/healthz").as_bytes()).await?;
                Ok::<_, std::io::Error>(read_reply(&mut stream).await)
            };
            if let Ok(Ok(reply)) = tokio::time::timeout(Duration::from_secs(2), asked).await
                && reply.status == 200
            {
                return true;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// The API's error shape, with `status`.
fn assert_api_error(answer: &Answer, status: StatusCode) {
    assert_eq!(answer.status, status, "{}", answer.body);
    assert_eq!(answer.header(header::CONTENT_TYPE), "application/json");
    let json = answer.json();
    assert_eq!(json["error"]["status"], status.as_u16(), "{json}");
    assert!(
        json["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{json}"
    );
    assert!(json["error"]["suggestions"].is_array(), "{json}");
}

fn assert_error_page(answer: &Answer, status: StatusCode) {
    assert_eq!(answer.status, status, "{}", answer.body);
    assert_eq!(
        answer.header(header::CONTENT_TYPE),
        "text/html; charset=utf-8"
    );
    assert!(
        answer.body.starts_with("<!doctype html>"),
        "{}",
        answer.body
    );
    assert!(answer.body.contains(&format!("{}", status.as_u16())));
}

// --------------------------------------- 1. idle and half-sent connections

#[tokio::test]
async fn a_half_sent_request_is_closed_after_the_header_timeout() {
    let server = start(app(state()), limits(400, 10_000, 64)).await;

    // Headers never finished.
    let mut stream = server.connect().await;
    let started = Instant::now();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: test\r\n")
        .await
        .expect("write");
    assert!(closes_within(&mut stream, Duration::from_secs(5)).await);
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(350), "closed after {took:?}");

    // Trickled a byte at a time: the clock runs from the first byte.
    let mut stream = server.connect().await;
    let started = Instant::now();
    let mut closed = false;
    for byte in
        b"GET /healthz HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    {
        if stream.write_all(&[*byte]).await.is_err() {
            closed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(closed || closes_within(&mut stream, Duration::from_secs(5)).await);
    assert!(started.elapsed() < Duration::from_secs(3));

    // A connection that sends nothing at all.
    let mut stream = server.connect().await;
    assert!(closes_within(&mut stream, Duration::from_secs(5)).await);

    assert!(healthz_answers_within(server.addr, Duration::from_secs(5)).await);
    server.stop().await;
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    let server = start(app(state()), limits(300, 1_500, 64)).await;
    let mut stream = server.connect().await;
    let reply = send(&mut stream, &get_request("/healthz")).await;
    assert_eq!(reply.status, 200);
    let answered = Instant::now();
    // Idle longer than the header timeout: still open, the idle timeout
    // applies between requests.
    assert!(!closes_within(&mut stream, Duration::from_millis(800)).await);
    // A second request on it works.
    let reply = send(&mut stream, &get_request("/healthz")).await;
    assert_eq!(reply.status, 200);
    let answered_again = Instant::now();
    assert!(answered_again - answered < Duration::from_millis(1_500));
    assert!(closes_within(&mut stream, Duration::from_secs(5)).await);
    let idle = answered_again.elapsed();
    assert!(
        idle >= Duration::from_millis(1_400),
        "closed after {idle:?}"
    );
    server.stop().await;
}

#[tokio::test]
async fn past_the_connection_cap_a_clear_503_and_healthz_once_load_drops() {
    let server = start(app(state()), limits(1_000, 1_000, 4)).await;
    let mut idle = Vec::new();
    for _ in 0..4 {
        idle.push(server.connect().await);
    }
    // Let the server take them all before the next one.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut over = server.connect().await;
    let reply = send(&mut over, &get_request("/healthz")).await;
    assert_eq!(reply.status, 503, "{reply:?}");
    assert_eq!(reply.header("retry-after"), Some("1"));
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.header("connection"), Some("close"));
    assert_eq!(reply.json()["error"]["status"], 503);
    assert!(closes_within(&mut over, Duration::from_secs(2)).await);

    // The idle ones time out, and the server answers again.
    assert!(healthz_answers_within(server.addr, Duration::from_secs(10)).await);
    for mut stream in idle {
        assert!(closes_within(&mut stream, Duration::from_secs(1)).await);
    }
    // Closing connections frees their places at once.
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(server.connect().await);
    }
    drop(held);
    assert!(healthz_answers_within(server.addr, Duration::from_secs(5)).await);
    server.stop().await;
}

#[tokio::test]
async fn shutdown_finishes_requests_in_flight_and_closes_idle_connections() {
    let slow = Router::new().route(
        "/slow",
        get(|| async {
            tokio::time::sleep(Duration::from_millis(500)).await;
            "done"
        }),
    );
    let server = start(slow, limits(10_000, 10_000, 64)).await;
    let addr = server.addr;
    let mut idle = server.connect().await;
    let _ = send(&mut idle, &get_request("/nothing")).await;
    let mut busy = server.connect().await;
    busy.write_all(get_request("/slow").as_bytes())
        .await
        .expect("write");
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    let stopping = tokio::spawn(server.stop());
    let reply = read_reply(&mut busy).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, "done");
    // The idle connection is closed rather than waited for (10 s).
    assert!(closes_within(&mut idle, Duration::from_secs(3)).await);
    stopping.await.expect("stopped");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "no longer listening"
    );
}

const FD_CHILD: &str = "ROLEBOOK_FD_EXHAUSTION_CHILD";

/// Re-runs [`fd_exhaustion_child`] under `ulimit -n 256`, where it can run
/// the process out of file descriptors without touching anything else.
#[cfg(unix)]
#[test]
fn the_server_survives_running_out_of_file_descriptors() {
    let exe = std::env::current_exe().expect("the test binary");
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -n 256 && exec \"$0\" fd_exhaustion_child --exact --test-threads=1")
        .arg(&exe)
        .env(FD_CHILD, "1")
        .env("RUST_LOG", "warn")
        .env("NO_COLOR", "1")
        .output()
        .expect("sh runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("1 passed"), "{stdout}\n{stderr}");
    // The accept errors were logged, not fatal.
    assert!(
        stderr.contains("cannot accept connections") && stderr.contains("Too many open files"),
        "{stderr}"
    );
}

/// Fills the descriptor table, connects one client (its connection waits
/// in the backlog and accepting it fails with EMFILE), then frees the
/// descriptors: the server must answer that same client.
/// Only does anything in the child process that test starts (the
/// variable is set there), not in a normal test run.
#[test]
fn fd_exhaustion_child() {
    use std::io::{Read, Write};

    if std::env::var_os(FD_CHILD).is_none() {
        return;
    }
    rolebook_web::init_tracing();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let server = runtime.block_on(start(app(state()), limits(5_000, 5_000, 100_000)));
    let mut held = Vec::new();
    let exhausted = loop {
        match std::fs::File::open("/dev/null") {
            Ok(file) => held.push(file),
            Err(error) => break error,
        }
        assert!(held.len() < 100_000, "no descriptor limit");
    };
    assert_eq!(exhausted.raw_os_error(), Some(24), "EMFILE: {exhausted}");
    held.pop();
    let mut client = std::net::TcpStream::connect(server.addr).expect("connect");
    client
        .set_read_timeout(Some(Duration::from_secs(15)))
        .expect("timeout");
    client
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
        .expect("write");
    // The server fails to accept for a while…
    std::thread::sleep(Duration::from_millis(700));
    assert!(!server.task.is_finished(), "the server gave up");
    drop(held);
    // …and answers the waiting client once descriptors are free.
    let mut reply = String::new();
    client.read_to_string(&mut reply).expect("an answer");
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(runtime.block_on(healthz_answers_within(server.addr, Duration::from_secs(5))));
    runtime.block_on(server.stop());
}

// ------------------------------------------------ 3. over-limit uploads

fn multipart_body(size: usize) -> (String, Vec<u8>) {
    let boundary = "robustness-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"target\"\r\n\r\nsre-director\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"profile\"; filename=\"profile.toml\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend(std::iter::repeat_n(b'#', size));
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// `body` in HTTP/1.1 chunks of 8 KiB.
fn chunked(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in body.chunks(8 * 1024) {
        out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

/// Sends `head` and `body` (chunked or with a length) and reads the whole
/// answer; the server may answer before it has read everything.
async fn post_raw(server: &Server, head: &str, body: &[u8], chunk_it: bool) -> String {
    let mut request = head.as_bytes().to_vec();
    if chunk_it {
        request.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
        request.extend(chunked(body));
    } else {
        request.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
        request.extend_from_slice(body);
    }
    let mut stream = server.connect().await;
    let (mut read, mut write) = stream.split();
    let (_, reply) = tokio::join!(write.write_all(&request), async {
        let mut reply = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(10), read.read_to_end(&mut reply)).await;
        reply
    });
    String::from_utf8_lossy(&reply).into_owned()
}

#[tokio::test]
async fn an_over_limit_upload_is_413_chunked_or_not() {
    let server = start(app(state()), ServerLimits::default()).await;
    let (multipart, upload) = multipart_body(MAX_BODY_BYTES + 1024);
    let form = format!("text={}", "x".repeat(MAX_BODY_BYTES + 1024)).into_bytes();
    for (uri, content_type, body) in [
        ("/gap/upload", multipart.as_str(), &upload),
        ("/gap", "application/x-www-form-urlencoded", &form),
    ] {
        for chunk_it in [false, true] {
            let head = format!(
                "POST {uri} HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: {content_type}\r\n"
            );
            let reply = post_raw(&server, &head, body, chunk_it).await;
            let status_line = reply.lines().next().unwrap_or("");
            assert!(
                status_line.starts_with("HTTP/1.1 413"),
                "{uri}, chunked: {chunk_it}: {status_line}"
            );
            assert!(reply.contains("text/html"), "an error page");
            let limit = format!("larger than the limit of {} KiB", MAX_BODY_BYTES / 1024);
            assert!(reply.contains(&limit), "{reply}");
        }
    }
    server.stop().await;
}

// ------------------------------------------- 4. every API error is JSON

#[tokio::test]
async fn every_error_under_the_api_is_the_json_error() {
    let router = app(state());

    let answer = ask(
        &router,
        Request::post("/api/v1/roles")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_api_error(&answer, StatusCode::METHOD_NOT_ALLOWED);
    assert!(answer.header(header::ALLOW).contains("GET"));
    assert!(
        answer.json()["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("`POST`"))
    );
    let answer = ask(
        &router,
        Request::delete("/api/v1/roles/sre-manager")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_api_error(&answer, StatusCode::METHOD_NOT_ALLOWED);
    // Not a path any version serves: 404 whatever the method.
    let answer = ask(
        &router,
        Request::post("/api/v2/roles")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_api_error(&answer, StatusCode::NOT_FOUND);

    let long = format!(
        "/api/v1/roles?family={}",
        "x".repeat(rolebook_web::MAX_URI_BYTES)
    );
    assert_api_error(&ask_get(&router, &long).await, StatusCode::URI_TOO_LONG);

    let mut request = Request::get("/api/v1/roles");
    for i in 0..40 {
        request = request.header(format!("x-filler-{i}"), "y".repeat(1024));
    }
    let answer = ask(&router, request.body(Body::empty()).expect("request")).await;
    assert_api_error(&answer, StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);

    let answer = ask(
        &router,
        Request::get("/api/v1/roles")
            .header(header::CONTENT_LENGTH, MAX_BODY_BYTES + 1)
            .body(Body::from(vec![b'x'; MAX_BODY_BYTES + 1]))
            .expect("request"),
    )
    .await;
    assert_api_error(&answer, StatusCode::PAYLOAD_TOO_LARGE);

    // Pages keep HTML error pages, with the same statuses and headers.
    let answer = ask(
        &router,
        Request::post("/roles/sre-manager")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_error_page(&answer, StatusCode::METHOD_NOT_ALLOWED);
    assert!(answer.header(header::ALLOW).contains("GET"));
    let long = format!("/search?q={}", "x".repeat(rolebook_web::MAX_URI_BYTES));
    assert_error_page(&ask_get(&router, &long).await, StatusCode::URI_TOO_LONG);
    // Error pages carry the security headers too.
    assert_eq!(answer.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert!(!answer.header(header::CONTENT_SECURITY_POLICY).is_empty());
}

#[tokio::test]
async fn api_errors_are_json_through_a_socket_too() {
    let server = start(app(state()), ServerLimits::default()).await;
    let mut stream = server.connect().await;
    let reply = send(
        &mut stream,
        "PUT /api/v1/roles HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n",
    )
    .await;
    assert_eq!(reply.status, 405);
    assert!(reply.header("allow").is_some_and(|a| a.contains("GET")));
    assert_eq!(reply.json()["error"]["status"], 405);
    let long = format!(
        "/api/v1/roles?q={}",
        "x".repeat(rolebook_web::MAX_URI_BYTES)
    );
    let reply = send(&mut stream, &get_request(&long)).await;
    assert_eq!(reply.status, 414);
    assert_eq!(reply.json()["error"]["status"], 414);
    server.stop().await;
}

// ------------------------------------------------ 5. request ids

#[tokio::test]
async fn only_safe_client_request_ids_are_kept() {
    let router = app(state());
    let id = header::HeaderName::from_static("x-request-id");
    let safe = "Abc.123_x-Y";
    let answer = ask(
        &router,
        Request::get("/healthz")
            .header(&id, safe)
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(answer.header(id.clone()), safe);

    let too_long = "a".repeat(65);
    for forged in [
        "abc def",
        "x\" level=error msg=\"forged",
        "id=1,other",
        too_long.as_str(),
        "caf\u{e9}",
    ] {
        let answer = ask(
            &router,
            Request::get("/healthz")
                .header(&id, forged.as_bytes())
                .body(Body::empty())
                .expect("request"),
        )
        .await;
        let given = answer.header(id.clone());
        assert_ne!(given, forged);
        assert!(
            rolebook_web::is_safe_request_id(given.as_bytes()),
            "{given}"
        );
    }
    // Two ids: neither is trusted.
    let answer = ask(
        &router,
        Request::get("/healthz")
            .header(&id, "one")
            .header(&id, "two")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    let given = answer.header(id.clone());
    assert!(given != "one" && given != "two", "{given}");
    // None sent: one is made.
    let answer = ask_get(&router, "/healthz").await;
    assert!(rolebook_web::is_safe_request_id(
        answer.header(id).as_bytes()
    ));
}

// ---------------------------------------- 6. no server paths in pages

#[tokio::test]
async fn diagnostics_show_no_absolute_catalog_path() {
    let temp = tempfile::tempdir().expect("tempdir");
    let dir = temp.path().join("acme-roles");
    for (path, text) in rolebook_core::builtin::FILES {
        let target = dir.join(path);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::write(&target, text).expect("write");
    }
    let absolute = temp.path().to_string_lossy().into_owned();
    let state = AppState::load(CatalogSource::Dir(dir.clone())).expect("valid");
    let router = app(state.clone());
    // Diagnostics are shown to the server's own machine.

    let page = get_from(&router, "/admin/diagnostics", LOOPBACK).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains(&absolute), "the path is shown");
    assert!(page.body.contains("acme-roles"));
    let health = get_from(&router, "/healthz", LOOPBACK).await;
    assert_eq!(health.json()["catalog"]["source"], "acme-roles");
    assert!(!ask_get(&router, "/").await.body.contains(&absolute));

    // Diagnostics name files under the label.
    let file = dir.join("roles/sre-manager.toml");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(
        &file,
        text.replacen("level = \"manager\"", "level = \"managr\"", 1),
    )
    .expect("write");
    state.reload();
    let page = get_from(&router, "/admin/diagnostics", LOOPBACK).await;
    assert!(page.body.contains("unknown-level"), "{}", page.body);
    assert!(page.body.contains("acme-roles/roles/sre-manager.toml"));
    assert!(!page.body.contains(&absolute), "the path is shown");

    // A read error names no path either.
    std::fs::remove_dir_all(&dir).expect("remove");
    state.reload();
    for uri in ["/admin/diagnostics", "/"] {
        let page = get_from(&router, uri, LOOPBACK).await;
        assert!(page.body.contains("does not exist"), "{uri}");
        assert!(!page.body.contains(&absolute), "{uri}: the path is shown");
    }
}

// -------------------------------------- 7. redirects keep the query

#[tokio::test]
async fn title_redirects_keep_the_query_string() {
    let router = app(state());
    for (uri, location) in [
        (
            "/roles/Chief%20Technology%20Officer?print=1",
            "/roles/chief-technology-officer?print=1",
        ),
        ("/roles/CTO", "/roles/chief-technology-officer"),
        (
            "/career/SRE%20Manager?depth=2&to=cto",
            "/career/sre-manager?depth=2&to=cto",
        ),
    ] {
        let answer = ask_get(&router, uri).await;
        assert_eq!(answer.status, StatusCode::PERMANENT_REDIRECT, "{uri}");
        assert_eq!(answer.header(header::LOCATION), location, "{uri}");
    }
}

// ---------------------------------- 8. error lists on the gap page capped

/// Text as the templates write it.
fn escaped(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

#[tokio::test]
async fn a_profile_with_thousands_of_problems_gets_a_small_page() {
    // 2,000 unknown skills on one line: every problem's source line is the
    // whole file.
    let entries: Vec<String> = (0..2000)
        .map(|i| format!("{{skill=\"s{i}\",level=1}}"))
        .collect();
    let profile = format!("skills = [{}]\n", entries.join(","));
    let boundary = "gap-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"target\"\r\n\r\nsre-director\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"profile\"; filename=\"profile.toml\"\r\nContent-Type: application/octet-stream\r\n\r\n{profile}\r\n--{boundary}--\r\n"
    );
    assert!(body.len() < MAX_BODY_BYTES);
    let answer = ask(
        &app(state()),
        Request::post("/gap/upload")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .expect("request"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    // The career crate stops checking at the cap every surface shares;
    // the page shows what it reports, and counts what it does not show.
    let cap = rolebook_core::diagnostic::MAX_REPORTED;
    let catalog = rolebook_core::load(rolebook_core::builtin::sources())
        .catalog
        .expect("the built-in catalog is valid");
    let parsed = rolebook_career::parse_profile("profile.toml", &profile, &catalog);
    let reported = parsed.diagnostics.len();
    assert!(reported >= cap, "{reported}");
    assert!(
        parsed
            .diagnostics
            .iter()
            .any(|d| d.code == "too-many-errors"),
        "checking stopped"
    );
    assert!(
        answer
            .body
            .contains(&format!("profile.toml: {reported} problems")),
        "the count is of every problem"
    );
    if reported > cap {
        assert!(
            answer
                .body
                .contains(&format!("… and {} more", reported - cap))
        );
    }
    assert_eq!(
        answer.body.matches("class=\"problem ").count(),
        reported.min(cap)
    );
    assert!(answer.body.contains("checking stopped after"));
    // The text comes back once, to fix in place; beyond it the page stays
    // small whatever the number of problems.
    let echo = escaped(&profile);
    assert!(answer.body.contains(&echo));
    let rest = answer.body.len() - echo.len();
    // About 1.5 KB a problem at most (every line clipped): was 1.4 MB.
    assert!(rest < 100_000, "{rest} bytes besides the text");
}

// ------------------------------------------------ CLI and API agree

#[tokio::test]
async fn a_path_from_a_role_to_itself_is_a_bad_request_as_in_the_cli() {
    let answer = ask_get(
        &app(state()),
        "/api/v1/career/sre-manager/paths?to=sre-manager",
    )
    .await;
    assert_eq!(answer.status, 400);
    assert_eq!(
        answer.json()["error"]["message"],
        "both ends are SRE Manager (sre-manager); give two different roles"
    );
}
