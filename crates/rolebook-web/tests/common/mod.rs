//! Shared by the router tests: a request sent through the router without
//! a network (`tower::ServiceExt::oneshot`) and its answer, read whole; a
//! request comes from no address unless it is sent [`from`] one, as the
//! server's accept loop attaches it (axum's `ConnectInfo`).

// Each test file is a crate of its own and uses only some of these.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode, header};
use serde_json::Value;
use tower::ServiceExt;

/// An answer from the router, its body as text and as sent.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(&name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("no {name} header"))
    }
}

pub async fn send(router: &Router, request: Request<Body>) -> Reply {
    let response = router.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = to_bytes(response.into_body(), 1 << 24).await.expect("body");
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes: bytes.to_vec(),
    }
}

pub async fn get(router: &Router, uri: &str) -> Reply {
    send(
        router,
        Request::get(uri).body(Body::empty()).expect("request"),
    )
    .await
}

/// A peer on the server's own machine: it may see the catalog's problems.
pub const LOOPBACK: &str = "127.0.0.1:41000";
/// A peer elsewhere on the network: a visitor.
pub const REMOTE: &str = "192.0.2.10:41000";

/// `request` as if it came from `peer` over a connection.
pub fn from(peer: &str, mut request: Request<Body>) -> Request<Body> {
    let peer: SocketAddr = peer.parse().expect("a socket address");
    request.extensions_mut().insert(ConnectInfo(peer));
    request
}

/// `GET uri` from `peer`.
pub async fn get_from(router: &Router, uri: &str, peer: &str) -> Reply {
    let request = Request::get(uri).body(Body::empty()).expect("request");
    send(router, from(peer, request)).await
}

/// A file or directory under the workspace's `testdata/`.
pub fn testdata(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(path)
}

/// A copy of `testdata/catalogs/valid/NAME` in a temporary directory, to
/// tailor (an organisation.toml, a logo) without touching the fixture.
pub fn catalog_copy(name: &str) -> tempfile::TempDir {
    fn copy_dir(from: &Path, to: &Path) {
        for entry in std::fs::read_dir(from).expect("readable") {
            let entry = entry.expect("entry");
            let target = to.join(entry.file_name());
            if entry.file_type().expect("type").is_dir() {
                std::fs::create_dir_all(&target).expect("mkdir");
                copy_dir(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).expect("copy");
            }
        }
    }
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&testdata(&format!("catalogs/valid/{name}")), dir.path());
    dir
}

/// A `method uri` request with a JSON body (`application/json`), from
/// `peer`.
pub fn json_from(peer: &str, method: &str, uri: &str, body: &str) -> Request<Body> {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request");
    from(peer, request)
}

/// State serving a fresh workspace: a SQLite file in a temporary directory
/// (keep the directory alive as long as the state), seeded with the
/// built-in catalog as version 1.
///
/// The workspace is opened on the test's runtime and the provider is
/// given its handle, as `rolebook serve` does. `AppState::load` then
/// calls the provider's `load`, which runs `Handle::block_on` and panics
/// on an async worker, so it runs on the blocking pool
/// (`spawn_blocking`). The pool's thread blocks on the runtime while the
/// test's task awaits it: use `#[tokio::test(flavor = "multi_thread")]`,
/// so that a worker drives the database's futures meanwhile (a reload
/// after publishing does the same).
pub async fn workspace_state() -> (rolebook_web::AppState, tempfile::TempDir) {
    use rolebook_store::{Location, Workspace};
    let dir = tempfile::tempdir().expect("tempdir");
    let location = Location::SqliteFile(dir.path().join("workspace.db"));
    let workspace = Workspace::open(&location).await.expect("open");
    workspace
        .init(
            &rolebook_core::builtin::sources(),
            "seed",
            "The built-in catalog",
        )
        .await
        .expect("init");
    let provider =
        rolebook_web::WorkspaceProvider::new(workspace, tokio::runtime::Handle::current());
    let state = tokio::task::spawn_blocking(move || rolebook_web::AppState::load(provider))
        .await
        .expect("joined")
        .expect("the workspace loads");
    (state, dir)
}

/// The app as a person of `role` sees it, through an API token of theirs
/// (scope write) sent with every request that has no `Authorization`.
pub async fn as_user(
    state: &rolebook_web::AppState,
    email: &str,
    role: rolebook_accounts::Role,
) -> Router {
    use rolebook_accounts::{Accounts, Context, Scope};
    let provider = state.provider();
    let ws = provider.workspace().expect("a workspace");
    let accounts = Accounts::new(ws.db().clone());
    let cli = Context::cli();
    let user = accounts
        .add_user(&cli, email, email, role, None)
        .await
        .expect("user");
    let scope = if role == rolebook_accounts::Role::Viewer {
        Scope::Read
    } else {
        Scope::Write
    };
    let (secret, _) = accounts
        .create_token(&cli, &user, "tests", scope)
        .await
        .expect("token");
    with_bearer(state, &secret)
}

fn with_bearer(state: &rolebook_web::AppState, secret: &str) -> Router {
    let bearer: axum::http::HeaderValue = format!("Bearer {secret}").parse().expect("value");
    rolebook_web::app(state.clone()).layer(tower::util::MapRequestLayer::new(
        move |mut request: Request<Body>| {
            if !request.headers().contains_key(header::AUTHORIZATION) {
                request
                    .headers_mut()
                    .insert(header::AUTHORIZATION, bearer.clone());
            }
            request
        },
    ))
}

/// A form post (`application/x-www-form-urlencoded`) of `fields`.
pub async fn post_form(router: &Router, uri: &str, fields: &[(String, String)]) -> Reply {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .expect("request");
    send(router, request).await
}

/// The app as a script with an admin's API token sees it: every request
/// without an `Authorization` header is sent with the token of an admin
/// made here (`admin@example.org`). With `self_approval`, that admin may
/// approve what they opened (the workspace setting).
pub async fn as_admin(state: &rolebook_web::AppState, self_approval: bool) -> Router {
    use rolebook_accounts::{Accounts, Context, Role, Scope};
    let provider = state.provider();
    let ws = provider.workspace().expect("a workspace");
    let accounts = Accounts::new(ws.db().clone());
    let cli = Context::cli();
    let admin = accounts
        .add_user(&cli, "admin@example.org", "Admin", Role::Admin, None)
        .await
        .expect("admin");
    let (secret, _) = accounts
        .create_token(&cli, &admin, "tests", Scope::Admin)
        .await
        .expect("token");
    if self_approval {
        accounts
            .set_setting(&cli, "self-approval", true)
            .await
            .expect("setting");
    }
    with_bearer(state, &secret)
}
