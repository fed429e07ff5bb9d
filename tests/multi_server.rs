//! Several servers, one PostgreSQL database: two real `rolebook serve`
//! processes on the same database each serve a version published by
//! another process within a second or so (they poll the latest version
//! number twice a second). Runs when `ROLEBOOK_TEST_POSTGRES` names a
//! server; CI always sets it.

mod common;

use std::time::{Duration, Instant};

use common::{Served, fresh_postgres, ok};

/// A `rolebook serve --database URL` on a free port.
fn serve(database: &str) -> Served {
    Served::start(
        &["--database".as_ref(), database.as_ref()],
        &std::env::temp_dir(),
    )
}

#[test]
fn two_servers_on_one_postgres_database_serve_each_new_version() {
    let Some(database) = fresh_postgres("servers") else {
        return;
    };
    // Both start on an empty database: one seeds it, the other finds it
    // seeded.
    let first = serve(&database);
    let second = serve(&database);
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
