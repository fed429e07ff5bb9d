//! Who may call what: one table, [`RULES`], naming what every route and
//! method needs, and the [`guard`] in front of every route that enforces
//! it. A route with no rule for a method answers 405, whatever its
//! handler could do, and the matrix test (`tests` below) takes the route
//! list from the router itself, so a new route without a rule fails it.
//!
//! The guard also finds the caller ([`super::Caller`]), and refuses a
//! state-changing request made with a session cookie that does not carry
//! the session's CSRF token (header [`super::CSRF_HEADER`] or form field
//! `csrf`), or that another site's page sent.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use rolebook_accounts::{Permission, Principal};

use super::{CSRF_HEADER, Caller, Via};
use crate::error::AppError;
use crate::state::AppState;

/// What a request needs to be let through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Anyone, always: assets, health, signing in and signing up.
    Open,
    /// The published catalog: anyone while the workspace lets anonymous
    /// visitors read (the default), else a signed-in user.
    Catalog,
    /// A signed-in person (a session or the sign-on proxy), any role.
    SignedIn,
    /// A permission of the policy (`rolebook_accounts::policy`).
    Allowed(Permission),
}

use Need::{Allowed, Catalog, Open, SignedIn};
use Permission::{
    EditChangeRequests, ManageSettings, ManageUsers, Publish, ReadAudit, ReadChangeRequests,
};

/// Every route and method, and what it needs. `GET` covers `HEAD`.
/// Approving or rejecting a change request needs [`Permission::Review`]
/// on top of what `transition` needs, checked by its handler, which also
/// keeps four eyes; `/admin/diagnostics` is hidden from all but the
/// catalog's maintainers by its handler.
pub const RULES: &[(&str, &str, Need)] = &[
    // Assets and the server's health.
    ("GET", "/static/{file}", Open),
    ("GET", "/healthz", Open),
    ("GET", "/api/v1/openapi.json", Open),
    // Signing in, out and up.
    ("GET POST", "/sign-in", Open),
    ("POST", "/sign-out", SignedIn),
    ("POST", "/sign-out/everywhere", SignedIn),
    ("GET POST", "/setup/{secret}", Open),
    ("GET POST", "/invitations/{secret}", Open),
    ("GET", "/account", SignedIn),
    ("POST", "/account/tokens", SignedIn),
    ("POST", "/account/tokens/{id}/revoke", SignedIn),
    // Administration.
    ("GET", "/admin/users", Allowed(ManageUsers)),
    ("POST", "/admin/invitations", Allowed(ManageUsers)),
    ("POST", "/admin/users/{id}", Allowed(ManageUsers)),
    ("GET", "/admin/audit", Allowed(ReadAudit)),
    ("GET", "/admin/audit.csv", Allowed(ReadAudit)),
    ("GET", "/admin/audit.json", Allowed(ReadAudit)),
    ("GET POST", "/admin/settings", Allowed(ManageSettings)),
    ("GET POST PUT PATCH DELETE", "/admin/diagnostics", Catalog),
    // Editing and review in the browser: drafts are read by editors and
    // above; each write's handler checks what the write itself needs (an
    // approval needs a reviewer, publishing a publisher).
    ("GET", "/changes", Allowed(ReadChangeRequests)),
    ("POST", "/changes", Allowed(EditChangeRequests)),
    ("GET", "/changes/start", Allowed(EditChangeRequests)),
    ("GET", "/changes/awaiting", Allowed(ReadChangeRequests)),
    // The versions' list names who published what and links the change
    // requests: editors and above; going back to one opens a change
    // request.
    ("GET", "/versions", Allowed(ReadChangeRequests)),
    ("GET", "/versions/compare", Allowed(ReadChangeRequests)),
    (
        "POST",
        "/versions/{number}/rollback",
        Allowed(EditChangeRequests),
    ),
    ("GET", "/changes/{id}", Allowed(ReadChangeRequests)),
    ("POST", "/changes/{id}/state", Allowed(EditChangeRequests)),
    ("POST", "/changes/{id}/publish", Allowed(Publish)),
    (
        "POST",
        "/changes/{id}/comments",
        Allowed(EditChangeRequests),
    ),
    ("POST", "/changes/{id}/new", Allowed(EditChangeRequests)),
    ("GET", "/changes/{id}/edit", Allowed(ReadChangeRequests)),
    (
        "GET",
        "/changes/{id}/edit/{kind}/{entity}",
        Allowed(ReadChangeRequests),
    ),
    (
        "POST",
        "/changes/{id}/edit/{kind}/{entity}",
        Allowed(EditChangeRequests),
    ),
    (
        "POST",
        "/changes/{id}/drop/{kind}/{entity}",
        Allowed(EditChangeRequests),
    ),
    // The published catalog's pages; the gap page's forms compute, they
    // change nothing.
    ("GET", "/", Catalog),
    ("GET", "/roles/{id}", Catalog),
    ("GET", "/roles/{id}/history", Catalog),
    ("GET", "/skills/{id}/history", Catalog),
    ("GET", "/kpis/{id}/history", Catalog),
    ("GET", "/roles/{id}/posting", Catalog),
    ("GET", "/roles/{id}/posting/preview", Catalog),
    ("GET", "/skills", Catalog),
    ("GET", "/skills/{id}", Catalog),
    ("GET", "/kpis", Catalog),
    ("GET", "/kpis/{id}", Catalog),
    ("GET", "/ownership", Catalog),
    ("GET", "/downloads/{file}", Catalog),
    ("GET", "/downloads/catalog/{file}", Catalog),
    ("GET", "/downloads/roles/{file}", Catalog),
    ("GET", "/downloads/skills/{file}", Catalog),
    ("GET", "/downloads/kpis/{file}", Catalog),
    ("GET", "/downloads/postings/{file}", Catalog),
    ("GET", "/brand/{file}", Catalog),
    ("GET", "/compare", Catalog),
    ("GET", "/career", Catalog),
    ("GET", "/career/{id}", Catalog),
    ("GET", "/search", Catalog),
    ("GET POST", "/gap", Catalog),
    ("GET POST", "/gap/profile.toml", Catalog),
    ("POST", "/gap/upload", Catalog),
    // The published catalog through the API.
    ("GET", "/api/v1/framework", Catalog),
    ("GET", "/api/v1/roles", Catalog),
    ("GET", "/api/v1/roles/{id}", Catalog),
    ("GET", "/api/v1/skills", Catalog),
    ("GET", "/api/v1/skills/{id}", Catalog),
    ("GET", "/api/v1/kpis", Catalog),
    ("GET", "/api/v1/kpis/{id}", Catalog),
    ("GET", "/api/v1/compare", Catalog),
    ("GET", "/api/v1/career/{id}", Catalog),
    ("GET", "/api/v1/career/{id}/paths", Catalog),
    ("GET", "/api/v1/search", Catalog),
    ("GET", "/api/v1/resolve", Catalog),
    // The workspace: published versions are the catalog's.
    ("GET", "/api/v1/workspace", Catalog),
    ("GET", "/api/v1/workspace/versions", Catalog),
    ("GET", "/api/v1/workspace/versions/{number}", Catalog),
    ("GET", "/api/v1/workspace/entities/{kind}/{id}", Catalog),
    (
        "GET",
        "/api/v1/workspace/entities/{kind}/{id}/history",
        Catalog,
    ),
    (
        "GET",
        "/api/v1/workspace/entities/{kind}/{id}/diff",
        Catalog,
    ),
    (
        "POST",
        "/api/v1/workspace/versions/{number}/rollback",
        Allowed(EditChangeRequests),
    ),
    // Change requests are drafts: editors and above.
    (
        "GET",
        "/api/v1/workspace/change-requests",
        Allowed(ReadChangeRequests),
    ),
    (
        "POST",
        "/api/v1/workspace/change-requests",
        Allowed(EditChangeRequests),
    ),
    (
        "GET",
        "/api/v1/workspace/change-requests/{id}",
        Allowed(ReadChangeRequests),
    ),
    (
        "GET",
        "/api/v1/workspace/change-requests/{id}/entities/{kind}/{entity}",
        Allowed(ReadChangeRequests),
    ),
    (
        "PUT DELETE",
        "/api/v1/workspace/change-requests/{id}/entities/{kind}/{entity}",
        Allowed(EditChangeRequests),
    ),
    (
        "DELETE",
        "/api/v1/workspace/change-requests/{id}/edits/{kind}/{entity}",
        Allowed(EditChangeRequests),
    ),
    (
        "GET",
        "/api/v1/workspace/change-requests/{id}/entities/{kind}/{entity}/diff",
        Allowed(ReadChangeRequests),
    ),
    (
        "POST",
        "/api/v1/workspace/change-requests/{id}/validate",
        Allowed(EditChangeRequests),
    ),
    (
        "POST",
        "/api/v1/workspace/change-requests/{id}/transition",
        Allowed(EditChangeRequests),
    ),
    (
        "POST",
        "/api/v1/workspace/change-requests/{id}/publish",
        Allowed(Publish),
    ),
    // Unversioned API paths answer 404 to everyone.
    ("GET POST PUT PATCH DELETE", "/api", Open),
    ("GET POST PUT PATCH DELETE", "/api/{*rest}", Open),
];

/// [`RULES`] by path, then method.
static BY_PATH: LazyLock<HashMap<&'static str, Vec<(&'static str, Need)>>> = LazyLock::new(|| {
    let mut table: HashMap<&str, Vec<(&str, Need)>> = HashMap::new();
    for (methods, path, need) in RULES {
        for method in methods.split(' ') {
            table.entry(path).or_default().push((method, *need));
        }
    }
    table
});

/// What `method` on the route `path` needs; `None` when it has no rule.
pub fn need(method: &Method, path: &str) -> Option<Need> {
    let method = if method == Method::HEAD {
        "GET"
    } else {
        method.as_str()
    };
    BY_PATH
        .get(path)?
        .iter()
        .find(|(m, _)| *m == method)
        .map(|(_, need)| *need)
}

/// The methods [`RULES`] allow on `path`, for a 405's `Allow`.
fn allowed_methods(path: &str) -> String {
    let mut methods: Vec<&str> = BY_PATH
        .get(path)
        .map(|rules| rules.iter().map(|(m, _)| *m).collect())
        .unwrap_or_default();
    if methods.contains(&"GET") {
        methods.push("HEAD");
    }
    methods.join(",")
}

/// The layer's function: finds the caller, checks [`RULES`] and the CSRF
/// token, and lets the request through with its [`Caller`].
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match admit(&state, request).await {
        Ok(request) => next.run(request).await,
        Err(refusal) => refusal,
    }
}

async fn admit(state: &AppState, mut request: Request) -> Result<Request, Response> {
    let method = request.method().clone();
    let need = match request.extensions().get::<MatchedPath>() {
        // No route: the fallback answers 404.
        None => Open,
        Some(path) => match need(&method, path.as_str()) {
            Some(need) => need,
            None => {
                let allow = allowed_methods(path.as_str());
                return Err(refuse(
                    AppError::Http {
                        status: StatusCode::METHOD_NOT_ALLOWED,
                        message: format!("`{method}` is not allowed here; allowed: {allow}"),
                    },
                    Some(allow),
                ));
            }
        },
    };
    let auth = state.auth();
    let peer = request
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip().to_canonical());
    let writes = !method.is_safe();
    let caller = match auth.caller(request.headers(), peer, writes).await {
        Ok(caller) => caller,
        // A bad token or proxy header is no reason to refuse a page anyone
        // may see.
        Err(_) if need == Open => Caller::anonymous(),
        Err(error) => return Err(refuse(error, None)),
    };
    // In file mode nothing is writable and there is no one to sign in:
    // the handlers answer that the workspace is not there.
    if auth.accounts().is_some() {
        let policy = auth.policy(writes).await.map_err(|e| refuse(e, None))?;
        let allowed = match need {
            Open => true,
            Catalog => policy.allows(caller.principal, Permission::ReadCatalog),
            SignedIn => matches!(caller.via, Via::Session { .. } | Via::Proxy),
            Allowed(permission) => policy.allows(caller.principal, permission),
        };
        if !allowed {
            return Err(denied(&request, &caller, need));
        }
        if writes && need != Catalog {
            check_origin(&caller, need, request.headers()).map_err(|e| refuse(e, None))?;
            if let Via::Session { csrf_token, .. } = &caller.via
                && need != Open
            {
                request = check_csrf(request, csrf_token)
                    .await
                    .map_err(|(_, e)| refuse(e, None))?;
            }
        }
    }
    request.extensions_mut().insert(caller);
    Ok(request)
}

/// The answer to a caller who may not: anonymous visitors of a page are
/// sent to sign in (401 for the API and for writes), signed-in ones get
/// 403 naming what it needs.
fn denied(request: &Request, caller: &Caller, need: Need) -> Response {
    let page = !is_api(request.uri().path());
    if caller.principal == Principal::Anonymous {
        if page && request.method().is_safe() {
            let target = request.uri().path_and_query().map_or("/", |p| p.as_str());
            let next: String = form_urlencoded::byte_serialize(target.as_bytes()).collect();
            return Redirect::to(&format!("/sign-in?next={next}")).into_response();
        }
        let mut response = refuse(
            AppError::unauthorized(
                "sign in first, or send an API token as `Authorization: Bearer rbt_…`",
            ),
            None,
        );
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"rolebook\""),
        );
        return response;
    }
    let message = match (need, caller.principal) {
        (SignedIn, _) => "this needs a browser signed in; API tokens cannot use it".to_string(),
        (Allowed(permission), Principal::Token { role, scope, .. }) => {
            let (needs_role, needs_scope) = permission.needs();
            format!(
                "this needs the role {needs_role} (or above) and a token of scope {needs_scope} (or above); this token's scope is {scope} and its owner's role {role}"
            )
        }
        (Allowed(permission), Principal::User { role, .. }) => {
            let (needs_role, _) = permission.needs();
            format!("this needs the role {needs_role} (or above); yours is {role}")
        }
        _ => "you may not see this".to_string(),
    };
    refuse(AppError::forbidden(message), None)
}

/// A write that a browser makes with ambient credentials (its session
/// cookie, or the sign-on proxy's) must come from this site's own pages:
/// another site's form or script may not act for its visitor. Signing in
/// and up is checked too, against login CSRF. Scripts with tokens are
/// exempt.
fn check_origin(caller: &Caller, need: Need, headers: &HeaderMap) -> Result<(), AppError> {
    let ambient = matches!(caller.via, Via::Session { .. } | Via::Proxy) || need == Open;
    if !ambient {
        return Ok(());
    }
    let cross_site = headers
        .get("sec-fetch-site")
        .is_some_and(|site| site != "same-origin" && site != "none");
    let origin_matches = match headers.get(header::ORIGIN) {
        None => caller.via != Via::Proxy,
        Some(origin) => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
            let origin_host = origin
                .to_str()
                .ok()
                .and_then(|o| o.split_once("://"))
                .map(|(_, rest)| rest.trim_end_matches('/'));
            matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
        }
    };
    if cross_site || !origin_matches {
        return Err(AppError::forbidden(
            "a request from another site may not change anything here",
        ));
    }
    Ok(())
}

/// The request, if it carries the session's CSRF token: in the
/// [`CSRF_HEADER`] header, or as the field `csrf` of a form (whose body is
/// read here and given back whole).
async fn check_csrf(request: Request, expected: &str) -> Result<Request, (Request, AppError)> {
    let missing = || {
        AppError::forbidden(
            "this form has expired or did not come from this site: reload the page and try again (the session's CSRF token is missing or wrong)",
        )
    };
    if let Some(given) = request.headers().get(CSRF_HEADER) {
        return if same_secret(given.as_bytes(), expected.as_bytes()) {
            Ok(request)
        } else {
            Err((request, missing()))
        };
    }
    let form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return Err((request, missing()));
    }
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, crate::MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let request = Request::from_parts(parts, Body::empty());
            return Err((request, AppError::too_large()));
        }
    };
    let matches = form_urlencoded::parse(&bytes)
        .find(|(name, _)| name == "csrf")
        .is_some_and(|(_, given)| same_secret(given.as_bytes(), expected.as_bytes()));
    let request = Request::from_parts(parts, Body::from(bytes));
    if matches {
        Ok(request)
    } else {
        Err((request, missing()))
    }
}

/// Compares two secrets in time that does not depend on where they differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// `error` as the answer, keeping `allow` for a 405.
fn refuse(error: AppError, allow: Option<String>) -> Response {
    let mut response = error.into_response();
    if let Some(allow) = allow.and_then(|a| HeaderValue::from_str(&a).ok()) {
        response.headers_mut().insert(header::ALLOW, allow);
    }
    response
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use axum::body::Body;
    use axum::http::Request;
    use rolebook_accounts::{Accounts, Context, Policy, Role, Scope};
    use tower::ServiceExt;

    use super::*;

    /// Who the matrix sends requests as.
    #[derive(Debug, Clone)]
    enum Probe {
        Anonymous,
        /// A browser session of a user with this role.
        Session(Role),
        /// An API token of this scope, owned by an admin.
        Token(Scope, String),
    }

    impl Probe {
        /// Its column in the snapshot.
        fn letter(&self) -> char {
            match self {
                Probe::Anonymous => 'a',
                Probe::Session(Role::Viewer) => 'v',
                Probe::Session(Role::Editor) => 'e',
                Probe::Session(Role::Approver) => 'p',
                Probe::Session(Role::Admin) => 'A',
                Probe::Token(Scope::Read, _) => 'r',
                Probe::Token(Scope::Write, _) => 'w',
                Probe::Token(Scope::Admin, _) => 'd',
            }
        }

        fn principal(&self) -> Principal {
            match self {
                Probe::Anonymous => Principal::Anonymous,
                Probe::Session(role) => Principal::User { id: 0, role: *role },
                Probe::Token(scope, _) => Principal::Token {
                    user_id: 0,
                    role: Role::Admin,
                    scope: *scope,
                },
            }
        }
    }

    use crate::auth::engines;

    /// The app on a seeded workspace of `scratch`'s engine.
    async fn workspace(scratch: &engines::Scratch) -> (AppState, Accounts) {
        let ws = engines::seeded(scratch).await;
        let accounts = Accounts::new(ws.db().clone());
        let provider = crate::WorkspaceProvider::new(ws, tokio::runtime::Handle::current());
        let state = tokio::task::spawn_blocking(move || AppState::load(provider))
            .await
            .expect("joined")
            .expect("loads");
        (state, accounts)
    }

    /// A route pattern as a URL: every parameter names nothing that
    /// exists (a request must not revoke the token of a later one).
    fn concrete(path: &str) -> String {
        path.split('/')
            .map(|segment| match segment {
                s if s.starts_with("{*") => "x",
                s if s.starts_with('{') => "999999",
                s => s,
            })
            .collect::<Vec<_>>()
            .join("/")
    }

    async fn status(router: &axum::Router, request: Request<Body>) -> (StatusCode, String) {
        let response = router.clone().oneshot(request).await.expect("infallible");
        let location = response
            .headers()
            .get(header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .unwrap_or("")
            .to_string();
        (response.status(), location)
    }

    /// Every route the router has × every method × every kind of caller
    /// answers as [`RULES`] says: refused (401, 403, or sent to sign in)
    /// exactly when the caller may not. The routes come from the router;
    /// a method the router answers and the table has no rule for, or the
    /// other way round, fails.
    #[tokio::test(flavor = "multi_thread")]
    async fn every_route_answers_every_caller_as_the_table_says() {
        for scratch in engines::engines().await {
            let seen = matrix(&scratch).await;
            // The same on every engine.
            insta::assert_snapshot!("matrix", seen);
        }
    }

    /// The matrix on one engine, as text.
    async fn matrix(scratch: &engines::Scratch) -> String {
        let (state, accounts) = workspace(scratch).await;
        let cli = Context::cli();
        let routes = crate::routes(state.clone());
        let paths: BTreeSet<String> = routes.paths.iter().cloned().collect();
        let bare = routes.router.with_state(state.clone());
        let app = crate::app(state.clone());

        // The table names no route the router does not have.
        for (_, path, _) in RULES {
            assert!(
                paths.contains(*path),
                "RULES names {path}, which is not routed"
            );
        }

        let mut users = Vec::new();
        for role in Role::ALL {
            let email = format!("{role}@example.org");
            let user = accounts
                .add_user(&cli, &email, role.as_str(), role, None)
                .await
                .expect("user");
            users.push((role, user));
        }
        let admin = users.last().expect("admin").1.clone();
        let mut probes = vec![Probe::Anonymous];
        probes.extend(Role::ALL.map(Probe::Session));
        for scope in Scope::ALL {
            let (secret, _) = accounts
                .create_token(&cli, &admin, "matrix", scope)
                .await
                .expect("token");
            probes.push(Probe::Token(scope, secret));
        }

        let methods = [
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ];
        // What each caller was let through, as seen from outside: a
        // change to any rule shows in this snapshot.
        let mut seen = vec![format!(
            "{:<6} {:<66} {}",
            "", "anonymous, viewer, editor, approver, admin; tokens read, write, admin", "avepArwd"
        )];
        for anonymous_read in [true, false] {
            accounts
                .set_setting(&cli, "anonymous-read", anonymous_read)
                .await
                .expect("setting");
            state.auth().forget();
            let policy = Policy {
                anonymous_read,
                self_approval: false,
            };
            for path in &paths {
                let uri = concrete(path);
                for method in &methods {
                    let rule = need(method, path);
                    if anonymous_read {
                        let request = Request::builder()
                            .method(method.clone())
                            .uri(&uri)
                            .body(Body::empty())
                            .expect("request");
                        let (routed, _) = status(&bare, request).await;
                        assert_eq!(
                            routed != StatusCode::METHOD_NOT_ALLOWED,
                            rule.is_some(),
                            "{method} {path}: the router answers {routed}, the table has {rule:?}"
                        );
                    }
                    // Open routes let everyone through by construction;
                    // their own answers (a wrong password is 401) are not
                    // the guard's.
                    let Some(rule) = rule else { continue };
                    let m = method.as_str();
                    let key = if anonymous_read {
                        ""
                    } else {
                        "  anonymous read off"
                    };
                    if rule == Open {
                        seen.push(format!("{m:<6} {path:<66} open{key}"));
                        continue;
                    }
                    let mut row = String::new();
                    for probe in &probes {
                        let mut request = Request::builder().method(method.clone()).uri(&uri);
                        match probe {
                            Probe::Anonymous => {}
                            Probe::Session(role) => {
                                let user = &users.iter().find(|(r, _)| r == role).expect("user").1;
                                // A new session each time: signing out ends one.
                                let new =
                                    accounts.start_session(&cli, user).await.expect("session");
                                request = request
                                    .header(
                                        header::COOKIE,
                                        format!("{}={}", super::super::SESSION_COOKIE, new.cookie),
                                    )
                                    .header(CSRF_HEADER, new.session.csrf_token);
                            }
                            Probe::Token(_, secret) => {
                                request = request
                                    .header(header::AUTHORIZATION, format!("Bearer {secret}"));
                            }
                        }
                        let request = request.body(Body::empty()).expect("request");
                        let (answer, location) = status(&app, request).await;
                        let refused = answer == StatusCode::UNAUTHORIZED
                            || answer == StatusCode::FORBIDDEN
                            || location.starts_with("/sign-in");
                        let principal = probe.principal();
                        let allowed = match rule {
                            Open => unreachable!("skipped above"),
                            Catalog => policy.allows(principal, Permission::ReadCatalog),
                            SignedIn => matches!(probe, Probe::Session(_)),
                            Allowed(permission) => policy.allows(principal, permission),
                        };
                        row.push(if refused { '-' } else { probe.letter() });
                        // Handlers may refuse more on their own (the
                        // diagnostics hide, an approval needs Review);
                        // none of these requests is such a case.
                        assert_eq!(
                            !refused, allowed,
                            "{method} {path} as {probe:?} (anonymous read {anonymous_read}): answered {answer} {location}"
                        );
                    }
                    seen.push(format!("{m:<6} {path:<66} {row}{key}"));
                }
            }
        }
        seen.join("\n")
    }
}
