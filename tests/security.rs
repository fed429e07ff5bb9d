//! The web layer's security against a real `rolebook serve` on a fresh
//! workspace, over plain HTTP as an attacker would send it:
//! - a state-changing request made with a session cookie needs the
//!   session's CSRF token, and may not come from another site;
//! - a session id set before signing in is never the one after;
//! - guessing passwords is throttled per account and per address, and the
//!   throttling is in the audit log;
//! - a disabled user's sessions and tokens, and a revoked token, stop
//!   working at once;
//! - the session cookie carries HttpOnly and SameSite=Lax, and Secure
//!   with `--behind-https`.
//!
//! The people are made up (`@example.org`).

mod common;

use std::io::{Read, Write};
use std::path::Path;

use common::{Served, fresh_postgres, rolebook, stderr};

const PASSWORD: &str = "a long enough test passphrase";

/// An answer: status, headers (lower-case names) and body.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The session cookie this answer sets, if any.
    fn session(&self) -> Option<String> {
        let set = self.header("set-cookie")?;
        let value = set.strip_prefix("rolebook_session=")?.split(';').next()?;
        Some(value.to_string()).filter(|v| !v.is_empty())
    }
}

/// One HTTP/1.1 request with these extra header lines and a form body.
fn send(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], form: &str) -> Answer {
    let mut stream = std::net::TcpStream::connect(addr).expect("connects");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .expect("timeout");
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !form.is_empty() {
        head.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n{form}", form.len()));
    stream.write_all(head.as_bytes()).expect("writes");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("reads");
    let (head, body) = response.split_once("\r\n\r\n").expect("a head");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_lowercase(), v.trim().to_string()))
        .collect();
    Answer {
        status,
        headers,
        body: body.to_string(),
    }
}

fn cookie(session: &str) -> String {
    format!("rolebook_session={session}")
}

/// `rolebook --database DB ARGS`, with `stdin`; must succeed.
fn cli(database: &str, args: &[&str], stdin: &str) -> String {
    let output = rolebook()
        .arg("--database")
        .arg(database)
        .args(args)
        .write_stdin(stdin)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    String::from_utf8(output.stdout).expect("utf-8")
}

/// The workspaces a test runs on: a SQLite file in `dir`, and a fresh
/// PostgreSQL database named after `label` when there is a server.
fn workspaces(dir: &Path, label: &str) -> Vec<String> {
    let sqlite = dir.join("workspace.db").display().to_string();
    std::iter::once(sqlite)
        .chain(fresh_postgres(label))
        .collect()
}

/// An admin and an editor (both with the test password) in the workspace
/// `database`, and a server on it, given `serve_args`.
fn server(database: &str, serve_args: &[&str]) -> Served {
    let password = format!("{PASSWORD}\n");
    cli(
        database,
        &["user", "add", "admin@example.org", "--role", "admin"],
        &password,
    );
    cli(
        database,
        &["user", "add", "eli@example.org", "--role", "editor"],
        &password,
    );
    let args: Vec<&std::ffi::OsStr> = vec!["--database".as_ref(), database.as_ref()];
    Served::start_with(&args, serve_args, &std::env::temp_dir())
}

/// Signs in; returns the session cookie's value.
fn sign_in(addr: &str, email: &str) -> String {
    let form = format!("email={email}&password={}", PASSWORD.replace(' ', "+"));
    let answer = send(addr, "POST", "/sign-in", &[], &form);
    assert_eq!(answer.status, 303, "{}", answer.body);
    answer.session().expect("a session cookie")
}

/// The CSRF token of the session, from a form on its account page.
fn csrf(addr: &str, session: &str) -> String {
    let page = send(addr, "GET", "/account", &[("Cookie", &cookie(session))], "");
    assert_eq!(page.status, 200, "{}", page.body);
    let at = page
        .body
        .find("name=\"csrf\" value=\"")
        .expect("a csrf field")
        + 19;
    page.body[at..]
        .split('"')
        .next()
        .expect("value")
        .to_string()
}

#[test]
fn writes_with_a_cookie_need_the_csrf_token_and_this_site() {
    let dir = tempfile::tempdir().expect("tempdir");
    for database in workspaces(dir.path(), "writes_with_a_cookie") {
        writes_with_a_cookie_need_the_csrf_token_and_this_site_on(&database);
    }
}

fn writes_with_a_cookie_need_the_csrf_token_and_this_site_on(database: &str) {
    let served = server(database, &[]);
    let addr = served.addr.as_str();
    let session = sign_in(addr, "admin@example.org");
    let token = csrf(addr, &session);
    let jar = cookie(&session);
    let invite = "email=new%40example.org&role=viewer";

    // No token, a wrong one, another session's: refused, nothing made.
    let other = csrf(addr, &sign_in(addr, "admin@example.org"));
    for form in [
        invite.to_string(),
        format!("{invite}&csrf=wrong"),
        format!("{invite}&csrf={other}"),
    ] {
        let refused = send(
            addr,
            "POST",
            "/admin/invitations",
            &[("Cookie", &jar)],
            &form,
        );
        assert_eq!(refused.status, 403, "{form}: {}", refused.body);
        assert!(refused.body.contains("CSRF"), "{}", refused.body);
    }
    // The right token, but sent by another site's page.
    let cross = send(
        addr,
        "POST",
        "/admin/invitations",
        &[("Cookie", &jar), ("Origin", "https://evil.example")],
        &format!("{invite}&csrf={token}"),
    );
    assert_eq!(cross.status, 403, "{}", cross.body);
    // The token in a form, or in the header, from this site: done.
    let made = send(
        addr,
        "POST",
        "/admin/invitations",
        &[("Cookie", &jar), ("Origin", &format!("http://{addr}"))],
        &format!("{invite}&csrf={token}"),
    );
    assert_eq!(made.status, 200, "{}", made.body);
    assert!(made.body.contains("/invitations/"), "the link is shown");
    let header = send(
        addr,
        "POST",
        "/account/tokens",
        &[("Cookie", &jar), ("X-CSRF-Token", &token)],
        "name=nightly&scope=read",
    );
    assert_eq!(header.status, 200, "{}", header.body);
    assert!(header.body.contains("rbt_"), "the token is shown once");
    // Signing in from another site's form is refused too (login CSRF).
    let forged = send(
        addr,
        "POST",
        "/sign-in",
        &[("Origin", "https://evil.example")],
        "email=admin%40example.org&password=x",
    );
    assert_eq!(forged.status, 403, "{}", forged.body);
}

#[test]
fn a_session_id_set_before_sign_in_is_not_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    for database in workspaces(dir.path(), "a_session_id_set_bef") {
        a_session_id_set_before_sign_in_is_not_kept_on(&database);
    }
}

fn a_session_id_set_before_sign_in_is_not_kept_on(database: &str) {
    let served = server(database, &[]);
    let addr = served.addr.as_str();
    let planted = "attacker-chosen-session-id";
    let form = format!(
        "email=eli%40example.org&password={}",
        PASSWORD.replace(' ', "+")
    );
    let signed = send(
        addr,
        "POST",
        "/sign-in",
        &[("Cookie", &cookie(planted))],
        &form,
    );
    assert_eq!(signed.status, 303, "{}", signed.body);
    let session = signed.session().expect("a new session cookie");
    assert_ne!(session, planted);
    // The planted id signs nobody in; the new one does.
    let planted_page = send(addr, "GET", "/account", &[("Cookie", &cookie(planted))], "");
    assert_eq!(planted_page.status, 303);
    let page = send(
        addr,
        "GET",
        "/account",
        &[("Cookie", &cookie(&session))],
        "",
    );
    assert_eq!(page.status, 200);
    // Signing in again, with the session, gives another id and ends the old.
    let again = send(
        addr,
        "POST",
        "/sign-in",
        &[("Cookie", &cookie(&session))],
        &form,
    );
    let renewed = again.session().expect("a session cookie");
    assert_ne!(renewed, session);
    let old = send(
        addr,
        "GET",
        "/account",
        &[("Cookie", &cookie(&session))],
        "",
    );
    assert_eq!(old.status, 303, "the old session ended");
}

#[test]
fn the_session_cookie_carries_its_flags() {
    let dir = tempfile::tempdir().expect("tempdir");
    for database in workspaces(dir.path(), "the_session_cookie_c") {
        the_session_cookie_carries_its_flags_on(&database);
    }
}

fn the_session_cookie_carries_its_flags_on(database: &str) {
    let served = server(database, &[]);
    let form = format!(
        "email=eli%40example.org&password={}",
        PASSWORD.replace(' ', "+")
    );
    let plain = send(&served.addr, "POST", "/sign-in", &[], &form);
    let set = plain.header("set-cookie").expect("a cookie");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set.contains(flag), "{flag} in {set}");
    }
    assert!(!set.contains("Secure"), "{set}");

    drop(served);
    let args: Vec<&std::ffi::OsStr> = vec!["--database".as_ref(), database.as_ref()];
    let secure = Served::start_with(&args, &["--behind-https"], &std::env::temp_dir());
    let answer = send(&secure.addr, "POST", "/sign-in", &[], &form);
    let set = answer.header("set-cookie").expect("a cookie");
    assert!(
        set.contains("HttpOnly") && set.ends_with("; Secure"),
        "{set}"
    );
}

#[test]
fn guessing_passwords_is_throttled_and_recorded() {
    let dir = tempfile::tempdir().expect("tempdir");
    for database in workspaces(dir.path(), "guessing_passwords_i") {
        guessing_passwords_is_throttled_and_recorded_on(&database);
    }
}

fn guessing_passwords_is_throttled_and_recorded_on(database: &str) {
    let served = server(database, &[]);
    let addr = served.addr.as_str();
    let wrong = "email=eli%40example.org&password=not+the+password";
    for _ in 0..5 {
        assert_eq!(send(addr, "POST", "/sign-in", &[], wrong).status, 401);
    }
    // The sixth try is refused before the password is checked, even the
    // right one.
    let right = format!(
        "email=eli%40example.org&password={}",
        PASSWORD.replace(' ', "+")
    );
    let locked = send(addr, "POST", "/sign-in", &[], &right);
    assert_eq!(locked.status, 429, "{}", locked.body);
    assert!(locked.header("retry-after").is_some());
    // Another account from the same address still signs in, until the
    // address has failed 20 times over all accounts.
    sign_in(addr, "admin@example.org");
    for n in 0..15 {
        let form = format!("email=nobody{n}%40example.org&password=guess");
        assert_eq!(send(addr, "POST", "/sign-in", &[], &form).status, 401);
    }
    let address_locked = send(
        addr,
        "POST",
        "/sign-in",
        &[],
        &format!(
            "email=admin%40example.org&password={}",
            PASSWORD.replace(' ', "+")
        ),
    );
    assert_eq!(address_locked.status, 429, "{}", address_locked.body);
    let audit = cli(
        database,
        &["audit", "--action", "sign-in-throttled", "--format", "csv"],
        "",
    );
    assert!(audit.contains("user:eli@example.org"), "{audit}");
    assert!(audit.contains("user:admin@example.org"), "{audit}");
}

#[test]
fn disabled_users_and_revoked_tokens_stop_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    for database in workspaces(dir.path(), "disabled_users_and_r") {
        disabled_users_and_revoked_tokens_stop_at_once_on(&database);
    }
}

fn disabled_users_and_revoked_tokens_stop_at_once_on(database: &str) {
    let served = server(database, &[]);
    let addr = served.addr.as_str();
    let token = cli(
        database,
        &[
            "token",
            "create",
            "eli@example.org",
            "--name",
            "script",
            "--scope",
            "write",
        ],
        "",
    );
    let bearer = format!("Bearer {}", token.trim());
    let drafts = "/api/v1/workspace/change-requests";
    assert_eq!(
        send(addr, "GET", drafts, &[("Authorization", &bearer)], "").status,
        200
    );
    let eli = sign_in(addr, "eli@example.org");
    assert_eq!(
        send(addr, "GET", "/account", &[("Cookie", &cookie(&eli))], "").status,
        200
    );

    // The admin disables Eli in the browser: the session and the token
    // stop on the very next request.
    let admin = sign_in(addr, "admin@example.org");
    let admin_csrf = csrf(addr, &admin);
    let users: serde_json::Value =
        serde_json::from_str(&cli(database, &["user", "list", "--format", "json"], ""))
            .expect("json");
    let id = users
        .as_array()
        .expect("a list")
        .iter()
        .find(|u| u["email"] == "eli@example.org")
        .map(|u| u["id"].to_string())
        .expect("eli listed");
    let disabled = send(
        addr,
        "POST",
        &format!("/admin/users/{id}"),
        &[("Cookie", &cookie(&admin))],
        &format!("csrf={admin_csrf}&action=disable"),
    );
    assert_eq!(disabled.status, 303, "{}", disabled.body);
    assert_eq!(
        send(addr, "GET", "/account", &[("Cookie", &cookie(&eli))], "").status,
        303
    );
    assert_eq!(
        send(addr, "GET", drafts, &[("Authorization", &bearer)], "").status,
        401
    );

    // Enabled again, the old session stays ended; a revoked token stops
    // at once too.
    cli(database, &["user", "enable", "eli@example.org"], "");
    assert_eq!(
        send(addr, "GET", drafts, &[("Authorization", &bearer)], "").status,
        200
    );
    let list = cli(database, &["token", "list", "eli@example.org"], "");
    let token_id = list
        .lines()
        .find(|l| l.contains("script"))
        .and_then(|l| l.split_whitespace().next())
        .expect("the token listed")
        .to_string();
    cli(database, &["token", "revoke", &token_id], "");
    let revoked = send(addr, "GET", drafts, &[("Authorization", &bearer)], "");
    assert_eq!(revoked.status, 401, "{}", revoked.body);
    // A write never trusts the session cache: disabled from the CLI (another
    // process), the session may not write on its next request.
    let eli = sign_in(addr, "eli@example.org");
    let eli_csrf = csrf(addr, &eli);
    cli(database, &["user", "disable", "eli@example.org"], "");
    let write = send(
        addr,
        "POST",
        "/account/tokens",
        &[("Cookie", &cookie(&eli))],
        &format!("csrf={eli_csrf}&name=late&scope=read"),
    );
    assert_eq!(write.status, 401, "{}", write.body);
}

#[test]
fn a_trusted_proxy_signs_people_on_and_nobody_else_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    for database in workspaces(dir.path(), "proxy") {
        a_trusted_proxy_signs_people_on_and_nobody_else_does_on(&database);
    }
}

fn a_trusted_proxy_signs_people_on_and_nobody_else_does_on(database: &str) {
    let proxy = [
        "--auth-proxy-header",
        "X-Forwarded-Email",
        "--auth-proxy-from",
        "127.0.0.1",
        "--auth-proxy-role",
        "editor",
    ];
    let served = server(database, &proxy);
    let addr = served.addr.as_str();
    let kim = ("X-Forwarded-Email", "Kim@Example.org");
    // First seen: made a user with the configured role, signed on.
    let account = send(addr, "GET", "/account", &[kim], "");
    assert_eq!(account.status, 200, "{}", account.body);
    assert!(account.body.contains("kim@example.org") && account.body.contains("editor"));
    let drafts = send(addr, "GET", "/api/v1/workspace/change-requests", &[kim], "");
    assert_eq!(drafts.status, 200, "{}", drafts.body);
    let users = cli(database, &["user", "list", "--format", "json"], "");
    assert!(users.contains("kim@example.org"), "{users}");
    // Its writes must come from this site's pages.
    let form = "name=from+the+proxy&scope=read";
    let bare = send(addr, "POST", "/account/tokens", &[kim], form);
    assert_eq!(bare.status, 403, "{}", bare.body);
    let origin = format!("http://{addr}");
    let own = send(
        addr,
        "POST",
        "/account/tokens",
        &[kim, ("Origin", &origin)],
        form,
    );
    assert_eq!(own.status, 200, "{}", own.body);
    // A disabled person is refused, proxy or not: writes at once, reads
    // once the server's 2-second cache of who the proxy names has passed.
    cli(database, &["user", "disable", "kim@example.org"], "");
    let write = send(
        addr,
        "POST",
        "/account/tokens",
        &[kim, ("Origin", &origin)],
        form,
    );
    assert_eq!(write.status, 403, "{}", write.body);
    std::thread::sleep(std::time::Duration::from_millis(2500));
    let refused = send(addr, "GET", "/account", &[kim], "");
    assert_eq!(refused.status, 403, "{}", refused.body);
    drop(served);

    // The header from an address that is not the proxy's is ignored.
    let args: Vec<&std::ffi::OsStr> = vec!["--database".as_ref(), database.as_ref()];
    let elsewhere = [
        "--auth-proxy-header",
        "X-Forwarded-Email",
        "--auth-proxy-from",
        "192.0.2.1",
    ];
    let served = Served::start_with(&args, &elsewhere, &std::env::temp_dir());
    let admin = ("X-Forwarded-Email", "admin@example.org");
    let ignored = send(&served.addr, "GET", "/account", &[admin], "");
    assert_eq!(ignored.status, 303, "{}", ignored.body);
    let api = send(
        &served.addr,
        "GET",
        "/api/v1/workspace/change-requests",
        &[admin],
        "",
    );
    assert_eq!(api.status, 401, "{}", api.body);
}

/// Found by a hostile probe: behind a reverse proxy every request came
/// from the proxy, so twenty failed sign-ins from anyone held everyone
/// back. With `--trusted-proxy`, the address is the client's.
#[test]
fn behind_a_trusted_proxy_each_client_is_throttled_on_its_own() {
    let dir = tempfile::tempdir().expect("tempdir");
    let database = dir.path().join("workspace.db").display().to_string();
    let served = server(&database, &["--trusted-proxy", "127.0.0.1"]);
    let addr = served.addr.as_str();
    for n in 0..21 {
        let client = format!("198.51.100.{n}");
        let form = format!("email=nobody{n}%40example.org&password=guess");
        let answer = send(
            addr,
            "POST",
            "/sign-in",
            &[("X-Forwarded-For", &client)],
            &form,
        );
        assert_eq!(answer.status, 401, "{}", answer.body);
    }
    let right = format!(
        "email=eli%40example.org&password={}",
        PASSWORD.replace(' ', "+")
    );
    let elsewhere = [("X-Forwarded-For", "spoofed, 192.0.2.55")];
    assert_eq!(
        send(addr, "POST", "/sign-in", &elsewhere, &right).status,
        303
    );
    let audit = cli(
        &database,
        &["audit", "--action", "sign-in", "--format", "csv"],
        "",
    );
    assert!(audit.contains(",192.0.2.55,"), "{audit}");
}
