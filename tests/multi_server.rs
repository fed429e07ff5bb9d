//! Several servers, one PostgreSQL database: two real `rolebook serve`
//! processes on the same database each serve a version published by
//! another process within a second or so (they poll the latest version
//! number twice a second). Runs when `ROLEBOOK_TEST_POSTGRES` names a
//! server; CI always sets it.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::ok;
use sqlx::Connection;

/// A fresh database on the server `ROLEBOOK_TEST_POSTGRES` names; its URL.
fn fresh_database() -> Option<String> {
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
    let name = format!("rolebook_servers_{}", std::process::id());
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

/// A `rolebook serve --database URL` on a free port, killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(database: &str) -> Server {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rolebook"))
            .args(["--database", database, "serve", "--addr", "127.0.0.1:0"])
            .env_remove("ROLEBOOK_CATALOG")
            .env_remove("DATABASE_URL")
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("serve starts");
        let mut lines = BufReader::new(child.stderr.take().expect("piped")).lines();
        let addr = loop {
            let line = lines
                .next()
                .expect("serve logs where it listens")
                .expect("line");
            if let Some(rest) = line.split("serving on http://").nth(1) {
                break rest.split('/').next().unwrap_or(rest).to_string();
            }
        };
        std::thread::spawn(move || lines.for_each(drop));
        Server { child, addr }
    }

    fn get(&self, path: &str) -> String {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .expect("request");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("response");
        response
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn two_servers_on_one_postgres_database_serve_each_new_version() {
    let Some(database) = fresh_database() else {
        return;
    };
    // Both start on an empty database: one seeds it, the other finds it
    // seeded.
    let first = Server::start(&database);
    let second = Server::start(&database);
    for server in [&first, &second] {
        let page = server.get("/roles/sre-manager");
        assert!(
            page.contains("<h1 id=\"role-title\">SRE Manager</h1>"),
            "{page}"
        );
    }

    // Another process publishes a retitled role.
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let out_arg = out.to_str().expect("utf-8");
    ok(&["--database", &database, "workspace", "export", out_arg]);
    let role = out.join("roles/sre-manager.toml");
    let text = std::fs::read_to_string(&role).expect("read");
    std::fs::write(
        &role,
        text.replacen(
            "title = \"SRE Manager\"",
            "title = \"Reliability Team Lead\"",
            1,
        ),
    )
    .expect("write");
    ok(&[
        "--database",
        &database,
        "workspace",
        "import",
        out_arg,
        "-m",
        "Retitle",
        "--publish",
    ]);
    let published = Instant::now();

    // Each server serves it after its next poll. The bound is generous
    // for a loaded machine; the time it took is printed.
    for (name, server) in [("first", &first), ("second", &second)] {
        loop {
            let page = server.get("/roles/sre-manager");
            if page.contains("<h1 id=\"role-title\">Reliability Team Lead</h1>") {
                eprintln!(
                    "{name} server shows version 2 after {:?}",
                    published.elapsed()
                );
                break;
            }
            assert!(
                published.elapsed() < Duration::from_secs(10),
                "the {name} server still serves the old version"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}
