//! Live catalog: a catalog directory on disk, edited while the app serves
//! it. A valid edit is picked up; an invalid one keeps the last good
//! catalog serving and shows its diagnostics on a banner and at
//! `/admin/diagnostics`, to requests from the server's own machine only:
//! a visitor from elsewhere sees the last good catalog, no banner, and no
//! diagnostics page at all. Also: catalog text is HTML-escaped on every
//! page.

mod common;

use std::path::Path;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{LOOPBACK, REMOTE, from, get_from, send};
use rolebook_web::{AppState, CatalogProvider, CatalogSource, LoadError, ReloadOutcome, app};

/// The built-in catalog written to a temporary directory.
fn catalog_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, text) in rolebook_core::builtin::FILES {
        let target = dir.path().join(path);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::write(&target, text).expect("write");
    }
    dir
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} lacks {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

/// `GET uri` from the server's own machine, which is shown the catalog's
/// problems.
async fn get(router: &Router, uri: &str) -> (StatusCode, String) {
    let reply = get_from(router, uri, LOOPBACK).await;
    (reply.status, reply.body)
}

#[tokio::test]
async fn valid_edits_show_up_and_invalid_ones_keep_the_last_good_catalog() {
    let dir = catalog_dir();
    let state = AppState::load(CatalogSource::Dir(dir.path().to_path_buf())).expect("valid");
    let router = app(state.clone());
    let (_, page) = get(&router, "/roles/sre-manager").await;
    assert!(page.contains("<h1 id=\"role-title\">SRE Manager</h1>"));
    assert!(!page.contains("class=\"banner\""));

    // A valid edit: the new title is served, the cached page is gone.
    edit(
        dir.path(),
        "roles/sre-manager.toml",
        "title = \"SRE Manager\"",
        "title = \"Reliability Team Lead\"",
    );
    assert!(matches!(state.reload(), ReloadOutcome::Loaded { .. }));
    let (_, page) = get(&router, "/roles/sre-manager").await;
    assert!(page.contains("Reliability Team Lead"), "reloaded page");
    assert_eq!(state.snapshot().generation, 2);

    // An invalid edit: the last good catalog stays, with a banner.
    edit(
        dir.path(),
        "roles/sre-manager.toml",
        "role = \"sre-director\"",
        "role = \"sre-directr\"",
    );
    assert_eq!(state.reload(), ReloadOutcome::Kept { errors: 1 });
    let (status, page) = get(&router, "/roles/sre-manager").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Reliability Team Lead"),
        "still the last good version"
    );
    assert!(page.contains("class=\"banner\""), "banner");
    assert!(page.contains("The catalog files have 1 error; showing the last valid version."));
    let (_, health) = get(&router, "/healthz").await;
    assert!(health.contains("\"status\":\"degraded\""), "{health}");

    let (_, diagnostics) = get(&router, "/admin/diagnostics").await;
    assert!(diagnostics.contains("<pre class=\"diagnostics\""));
    assert!(diagnostics.contains("unknown-role"), "{diagnostics}");
    assert!(diagnostics.contains("roles/sre-manager.toml"), "located");
    assert!(diagnostics.contains("did you mean"), "with the hint");
    // The rendered report is escaped inside the <pre>: the snippet's quotes
    // and any markup come through as text.
    assert!(
        !diagnostics.contains("role = \"sre-directr\""),
        "raw quotes would mean no escaping"
    );

    // Fixing the file clears the banner.
    edit(
        dir.path(),
        "roles/sre-manager.toml",
        "role = \"sre-directr\"",
        "role = \"sre-director\"",
    );
    assert!(matches!(state.reload(), ReloadOutcome::Loaded { .. }));
    let (_, page) = get(&router, "/roles/sre-manager").await;
    assert!(!page.contains("class=\"banner\""));
    let (_, diagnostics) = get(&router, "/admin/diagnostics").await;
    assert!(diagnostics.contains("All clear"));
}

/// Issue 16: the catalog's problems go to the people who can fix them.
#[tokio::test]
async fn visitors_from_elsewhere_see_the_last_good_catalog_and_no_diagnostics() {
    let dir = catalog_dir();
    let state = AppState::load(CatalogSource::Dir(dir.path().to_path_buf())).expect("valid");
    let router = app(state.clone());
    // With a valid catalog, only the machine's own requests are offered
    // the diagnostics.
    let remote = get_from(&router, "/roles/sre-manager", REMOTE).await;
    assert!(!remote.body.contains("/admin/diagnostics"), "no link");
    let local = get_from(&router, "/roles/sre-manager", LOOPBACK).await;
    assert!(
        local
            .body
            .contains("href=\"/admin/diagnostics\">Catalog status</a>")
    );
    let unknown_path = get_from(&router, "/admin/nothing-here", REMOTE).await;

    edit(
        dir.path(),
        "roles/sre-manager.toml",
        "title = \"SRE Manager\"",
        "title = \"SRE Manager\"\ntitle = \"Twice\"",
    );
    assert!(matches!(state.reload(), ReloadOutcome::Kept { .. }));
    // Both are served the last good catalog; the banner is the machine's.
    // The cached page of one audience never reaches the other, whichever
    // asks first.
    for _ in 0..2 {
        for (peer, banner) in [(REMOTE, false), (LOOPBACK, true), ("[::1]:41000", true)] {
            for uri in ["/roles/sre-manager", "/", "/kpis", "/career/sre-manager"] {
                let reply = get_from(&router, uri, peer).await;
                assert_eq!(reply.status, StatusCode::OK, "{peer} {uri}");
                if uri == "/roles/sre-manager" {
                    assert!(
                        reply
                            .body
                            .contains("<h1 id=\"role-title\">SRE Manager</h1>")
                    );
                }
                assert_eq!(
                    reply.body.contains("class=\"banner\""),
                    banner,
                    "{peer} {uri}"
                );
                assert_eq!(
                    reply.body.contains("showing the last valid version"),
                    banner,
                    "{peer} {uri}"
                );
                assert_eq!(
                    reply.body.contains("/admin/diagnostics"),
                    banner,
                    "{peer} {uri}"
                );
            }
        }
    }
    // An error page has the layout of who asked.
    let missing = get_from(&router, "/roles/no-such-role", REMOTE).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(!missing.body.contains("class=\"banner\""));
    let missing = get_from(&router, "/roles/no-such-role", LOOPBACK).await;
    assert!(missing.body.contains("class=\"banner\""));

    // The diagnostics page is not there for a visitor: the 404 of any
    // address with nothing at it, for every method, not a 403.
    let hidden = get_from(&router, "/admin/diagnostics", REMOTE).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(
        hidden.header(header::CONTENT_TYPE),
        unknown_path.header(header::CONTENT_TYPE)
    );
    assert!(hidden.body.contains("Page not found"), "{}", hidden.body);
    assert!(hidden.body.contains("Nothing lives at"), "{}", hidden.body);
    assert!(!hidden.body.contains("unknown-role") && !hidden.body.contains("error["));
    for method in [Method::POST, Method::DELETE, Method::HEAD] {
        let request = Request::builder()
            .method(method.clone())
            .uri("/admin/diagnostics")
            .body(Body::empty())
            .expect("request");
        let reply = send(&router, from(REMOTE, request)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method}");
        assert!(reply.headers.get(header::ALLOW).is_none(), "{method}");
    }
    // The machine's own requests get the page, and 405 for other methods.
    let shown = get_from(&router, "/admin/diagnostics", LOOPBACK).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains("<pre class=\"diagnostics\""));
    assert_eq!(shown.header(header::CACHE_CONTROL), "private, no-cache");
    let request = Request::post("/admin/diagnostics")
        .body(Body::empty())
        .expect("request");
    let reply = send(&router, from(LOOPBACK, request)).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(reply.header(header::ALLOW), "GET,HEAD");

    // A header never makes a visitor the machine's own, and a proxy on
    // the machine speaks for visitors.
    let request = Request::get("/admin/diagnostics")
        .header("x-forwarded-for", "127.0.0.1")
        .body(Body::empty())
        .expect("request");
    let spoofed = send(&router, from(REMOTE, request)).await;
    assert_eq!(spoofed.status, StatusCode::NOT_FOUND);
    let request = Request::get("/roles/sre-manager")
        .header("x-forwarded-for", "203.0.113.9")
        .body(Body::empty())
        .expect("request");
    let proxied = send(&router, from(LOOPBACK, request)).await;
    assert!(!proxied.body.contains("class=\"banner\""));
    // No peer address at all (a router served some other way): a visitor.
    let request = Request::get("/admin/diagnostics")
        .body(Body::empty())
        .expect("request");
    assert_eq!(send(&router, request).await.status, StatusCode::NOT_FOUND);

    // Health says "degraded" to anyone (monitors), and why only locally.
    let health = get_from(&router, "/healthz", REMOTE).await.json();
    assert_eq!(health["status"], "degraded");
    assert!(health["catalog"]["problem"].is_null(), "{health}");
    let health = get_from(&router, "/healthz", LOOPBACK).await.json();
    assert!(
        health["catalog"]["problem"]
            .as_str()
            .is_some_and(|p| p.contains("1 error")),
        "{health}"
    );
}

#[tokio::test]
async fn a_deleted_directory_keeps_the_last_good_catalog() {
    let dir = catalog_dir();
    let path = dir.path().to_path_buf();
    let state = AppState::load(CatalogSource::Dir(path.clone())).expect("valid");
    let router = app(state.clone());
    drop(dir);
    assert_eq!(state.reload(), ReloadOutcome::Kept { errors: 1 });
    let (status, page) = get(&router, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("does not exist or is not a directory"),
        "banner says why"
    );
}

#[test]
fn an_invalid_catalog_at_start_is_an_error_with_its_diagnostics() {
    let dir = catalog_dir();
    edit(
        dir.path(),
        "roles/sre-manager.toml",
        "level = \"manager\"",
        "level = \"managr\"",
    );
    match AppState::load(CatalogSource::Dir(dir.path().to_path_buf())) {
        Err(LoadError::Invalid(loaded)) => {
            assert_eq!(loaded.error_count(), 1);
            assert_eq!(loaded.diagnostics[0].code, "unknown-level");
        }
        other => panic!("expected an invalid catalog, got {other:?}"),
    }
    match AppState::load(CatalogSource::Dir(dir.path().join("missing"))) {
        Err(LoadError::Read(message)) => assert!(message.contains("does not exist")),
        other => panic!("expected a read error, got {other:?}"),
    }
}

#[tokio::test]
async fn the_watcher_picks_up_edits_without_a_restart() {
    let dir = catalog_dir();
    let state = AppState::load(CatalogSource::Dir(dir.path().to_path_buf())).expect("valid");
    rolebook_web::watch::spawn(state.clone(), Duration::from_millis(20));
    // Let the watcher take its first fingerprint.
    tokio::time::sleep(Duration::from_millis(100)).await;
    edit(
        dir.path(),
        "roles/sre-manager.toml",
        "title = \"SRE Manager\"",
        "title = \"Watched Title\"",
    );
    // Bounded wait for the reload; this checks that it happens, not how fast.
    for _ in 0..500 {
        if state
            .snapshot()
            .catalog
            .role("sre-manager")
            .is_some_and(|r| r.title.as_str() == "Watched Title")
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the watcher did not reload the catalog within 10 s");
}

#[tokio::test]
async fn catalog_text_is_html_escaped_everywhere() {
    let dir = catalog_dir();
    let evil = "<script>alert(1)</script> & \"quotes\"";
    edit(
        dir.path(),
        "roles/sre-manager.toml",
        "title = \"SRE Manager\"",
        &format!("title = {}", toml_string(evil)),
    );
    let state = AppState::load(CatalogSource::Dir(dir.path().to_path_buf())).expect("valid");
    let router = app(state);
    for uri in [
        "/",
        "/roles/sre-manager",
        "/compare?roles=sre-manager,sre-director",
        "/career/sre-director",
        "/career/sre-manager",
        "/skills/incident-management",
        "/search?q=alert",
    ] {
        let (status, page) = get(&router, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(!page.contains("<script>alert(1)"), "{uri} is not escaped");
        // Search marks the matched word: the text is there around the marks.
        let shown = page.replace("<mark>", "").replace("</mark>", "");
        assert!(!shown.contains("<script>alert(1)"), "{uri} is not escaped");
        assert!(
            shown.contains("alert(1)"),
            "{uri} should still show the title"
        );
    }
}

fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A catalog held in memory and changed by the test: what a provider
/// other than files (the workspace store) looks like to the server.
#[derive(Debug, Clone)]
struct InMemory(std::sync::Arc<std::sync::Mutex<Versioned>>);

/// A version stamp and the catalog's files (path, text).
type Versioned = (u64, Vec<(String, String)>);

impl InMemory {
    fn edit(&self, file: &str, from: &str, to: &str) {
        let mut guard = self.0.lock().expect("lock");
        let (version, files) = &mut *guard;
        let text = &mut files.iter_mut().find(|(p, _)| p == file).expect("file").1;
        *text = text.replacen(from, to, 1);
        *version += 1;
    }
}

impl CatalogProvider for InMemory {
    fn label(&self) -> String {
        "in-memory catalog".to_string()
    }

    fn load(&self) -> Result<rolebook_core::Loaded, LoadError> {
        let guard = self.0.lock().expect("lock");
        let files = guard
            .1
            .iter()
            .map(|(path, text)| rolebook_core::SourceFile::new(path.clone(), text.clone()));
        Ok(rolebook_core::load(rolebook_core::Sources::new(files)))
    }

    fn version(&self) -> Option<u64> {
        Some(self.0.lock().expect("lock").0)
    }
}

#[tokio::test]
async fn any_catalog_provider_is_served_and_watched() {
    let files = rolebook_core::builtin::FILES
        .iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect();
    let provider = InMemory(std::sync::Arc::new(std::sync::Mutex::new((1, files))));
    let state = AppState::load(provider.clone()).expect("valid");
    let router = app(state.clone());
    let (_, health) = get(&router, "/healthz").await;
    assert!(health.contains("in-memory catalog"), "{health}");
    rolebook_web::watch::spawn(state.clone(), Duration::from_millis(20));
    tokio::time::sleep(Duration::from_millis(100)).await;
    provider.edit(
        "roles/sre-manager.toml",
        "title = \"SRE Manager\"",
        "title = \"Provided Title\"",
    );
    for _ in 0..500 {
        let (_, page) = get(&router, "/roles/sre-manager").await;
        if page.contains("Provided Title") {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the watcher did not reload the provider's catalog within 10 s");
}
