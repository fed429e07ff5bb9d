//! Shared set-up for the CLI integration tests: the `rolebook` binary in a
//! known environment, and helpers that run it and check its exit code.

// Every test file is a crate of its own and uses only some of these.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

/// A small valid catalog with every section filled in, for the export and
/// build tests (relative to the workspace root).
pub const EXPORT_FIXTURE: &str = "testdata/catalogs/valid/export";

/// The `rolebook` binary, run from the workspace root so that relative
/// `testdata/` paths work, with neither a catalog nor NO_COLOR inherited
/// from the environment running the tests.
pub fn rolebook() -> Command {
    let mut command = Command::cargo_bin("rolebook").expect("binary built");
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("ROLEBOOK_CATALOG")
        .env_remove("DATABASE_URL")
        .env_remove("NO_COLOR")
        .env_remove("ROLEBOOK_NO_CACHE")
        // The search index of the built-in catalog is kept here, not in
        // the home of whoever runs the tests.
        .env(
            "XDG_CACHE_HOME",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("cache"),
        );
    command
}

/// A catalog under `testdata/catalogs`, as an absolute path.
pub fn testdata(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/catalogs")
        .join(path)
}

pub fn run(args: &[&str]) -> Output {
    rolebook().args(args).output().expect("runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs a command that must succeed; returns its stdout and stderr.
pub fn ok_with_stderr(args: &[&str]) -> (String, String) {
    let output = run(args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        stderr(&output)
    );
    (stdout(&output), stderr(&output))
}

/// Runs a command that must succeed; returns its stdout.
pub fn ok(args: &[&str]) -> String {
    ok_with_stderr(args).0
}

/// Runs a command that must succeed and print JSON; returns it parsed.
pub fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args)).expect("valid JSON")
}

/// Runs a command that must fail with status 2 and print nothing on
/// stdout; returns its stderr.
pub fn failure(args: &[&str]) -> String {
    let output = run(args);
    assert_eq!(output.status.code(), Some(2), "{args:?} should fail with 2");
    assert!(output.stdout.is_empty(), "nothing on stdout when failing");
    stderr(&output)
}

/// The names in a directory, sorted: what a command left behind.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// One text entry of a ZIP package (a DOCX's `word/document.xml`).
pub fn unzip_text(path: &Path, entry: &str) -> String {
    use std::io::Read;
    let file = fs::File::open(path).expect("archive");
    let mut archive = zip::ZipArchive::new(file).expect("a zip archive");
    let mut text = String::new();
    archive
        .by_name(entry)
        .expect("entry")
        .read_to_string(&mut text)
        .expect("utf-8 entry");
    text
}

/// A real `rolebook ARGS serve` on a free port, in `cwd` (where a server
/// without `--catalog` or `--database` keeps its workspace), killed when
/// dropped. `startup` holds the log lines up to the one saying where it
/// listens.
pub struct Served {
    child: std::process::Child,
    pub addr: String,
    pub startup: String,
}

impl Served {
    pub fn start(args: &[&std::ffi::OsStr], cwd: &Path) -> Served {
        Served::start_with(args, &[], cwd)
    }

    /// [`Served::start`] with more flags for `serve` itself.
    pub fn start_with(args: &[&std::ffi::OsStr], serve_args: &[&str], cwd: &Path) -> Served {
        use std::io::{BufRead, BufReader};
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rolebook"))
            .args(args)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(serve_args)
            .current_dir(cwd)
            .env_remove("ROLEBOOK_CATALOG")
            .env_remove("DATABASE_URL")
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("serve starts");
        let stderr = child.stderr.take().expect("stderr piped");
        let mut lines = BufReader::new(stderr).lines();
        let mut startup = String::new();
        let addr = loop {
            let line = lines
                .next()
                .expect("serve logs where it listens")
                .expect("log line");
            startup.push_str(&line);
            startup.push('\n');
            if let Some(rest) = line.split("serving on http://").nth(1) {
                break rest.split('/').next().unwrap_or(rest).to_string();
            }
        };
        // Keep draining the log so the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Served {
            child,
            addr,
            startup,
        }
    }

    /// One request to it: see [`http_request`].
    pub fn request(&self, method: &str, path: &str, body: Option<&str>) -> Option<(u16, String)> {
        http_request(&self.addr, method, path, body)
    }

    /// `GET path`'s body, which must answer 200.
    pub fn get(&self, path: &str) -> String {
        let (status, body) = self.request("GET", path, None).expect("answers");
        assert_eq!(status, 200, "{path}: {body}");
        body
    }
}

/// Dropping it is SIGKILL, then waiting.
impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request to `addr` with an optional JSON body: the status and
/// the body, or `None` when nothing answers.
pub fn http_request(
    addr: &str,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> Option<(u16, String)> {
    http_request_as(addr, None, method, path, body)
}

/// [`http_request`] with an API token (`Authorization: Bearer …`).
pub fn http_request_as(
    addr: &str,
    token: Option<&str>,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .ok()?;
    let body = body.unwrap_or("");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{authorization}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len(),
        authorization = token.map_or_else(String::new, |t| format!("Authorization: Bearer {t}\r\n"))
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let (head, body) = response.split_once("\r\n\r\n")?;
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, body.to_string()))
}

/// A user of `role` (no password) on the workspace at `database`, made
/// with the CLI, and an API token of scope write for them.
pub fn user_with_token(database: &Path, email: &str, role: &str) -> String {
    let db = database.to_str().expect("utf-8 path");
    let added = run(&[
        "--database",
        db,
        "user",
        "add",
        email,
        "--role",
        role,
        "--no-password",
    ]);
    assert!(added.status.success(), "{}", stderr(&added));
    let made = run(&[
        "--database",
        db,
        "token",
        "create",
        email,
        "--name",
        "tests",
        "--scope",
        "write",
    ]);
    assert!(made.status.success(), "{}", stderr(&made));
    stdout(&made).trim().to_string()
}

/// A fresh database `rolebook_LABEL_PID` on the PostgreSQL server
/// `ROLEBOOK_TEST_POSTGRES` names, and its URL; `None` without one (CI
/// always sets it, and a CI run without it fails).
pub fn fresh_postgres(label: &str) -> Option<String> {
    use sqlx::Connection;
    let Some(url) = std::env::var("ROLEBOOK_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.trim().is_empty())
    else {
        assert!(
            std::env::var("CI").is_err(),
            "CI must test PostgreSQL: set ROLEBOOK_TEST_POSTGRES"
        );
        return None;
    };
    let name = format!("rolebook_{label}_{}", std::process::id());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let mut admin = sqlx::PgConnection::connect(&url).await.expect("PostgreSQL");
        for sql in [
            format!("DROP DATABASE IF EXISTS {name}"),
            format!("CREATE DATABASE {name}"),
        ] {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&mut admin)
                .await
                .expect("create the database");
        }
    });
    let base = url.rsplit_once('/').map_or(url.as_str(), |(base, _)| base);
    Some(format!("{base}/{name}"))
}
