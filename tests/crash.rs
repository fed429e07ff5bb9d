//! Acknowledged means durable: a real `serve` on a SQLite workspace is
//! killed with SIGKILL in the middle of a burst of saves and publishes made
//! through its API. Restarted, it serves again, and:
//! - every save it answered 200 to is there, with the content saved;
//! - every publish it answered 200 to is a version, and every version is a
//!   whole change request (its request is published and names it);
//! - the database passes SQLite's integrity check and the latest version
//!   loads and validates (the server starts only if it does).

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Served, http_request_as, user_with_token};
use serde_json::{Value, json};
use sqlx::{Connection, Row};

/// A `rolebook serve` on the workspace at `database`.
fn serve(database: &Path) -> Served {
    Served::start(
        &["--database".as_ref(), database.as_os_str()],
        database.parent().expect("a directory"),
    )
}

/// The API tokens the burst writes with: an editor opens and edits, an
/// approver approves and publishes (four eyes).
struct Tokens {
    editor: String,
    approver: String,
}

/// One request with a JSON body and a token; `None` when the server is
/// gone.
fn call(
    addr: &str,
    token: &str,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> Option<(u16, Value)> {
    let body = body.map(Value::to_string);
    let (status, text) = http_request_as(addr, Some(token), method, path, body.as_deref())?;
    Some((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
}

/// What the server acknowledged before it died.
#[derive(Default)]
struct Acknowledged {
    /// (change request, role) → the content last saved with a 200.
    saves: HashMap<(i64, String), String>,
    /// Versions published with a 200.
    publishes: Vec<i64>,
    /// Operations answered, of any kind.
    count: usize,
}

/// Saves and publishes until the server stops answering.
fn burst(addr: &str, tokens: &Tokens, acknowledged: &Mutex<Acknowledged>) {
    let roles = ["sre-manager", "sre-director", "head-of-it"];
    for round in 0.. {
        let Some((201 | 200, created)) = call(
            addr,
            &tokens.editor,
            "POST",
            "/api/v1/workspace/change-requests",
            Some(&json!({ "title": format!("Burst {round}") })),
        ) else {
            return;
        };
        let id = created["id"].as_i64().expect("an id");
        for (n, role) in roles.iter().enumerate() {
            let path = format!("/api/v1/workspace/change-requests/{id}/entities/role/{role}");
            let Some((200, entity)) = call(addr, &tokens.editor, "GET", &path, None) else {
                return;
            };
            let content = entity["content"].as_str().expect("content").to_string();
            let changed = format!("{content}\n# burst {round} edit {n}\n");
            let body = json!({ "content": changed, "base": entity["token"] });
            match call(addr, &tokens.editor, "PUT", &path, Some(&body)) {
                Some((200, _)) => {
                    let mut ack = acknowledged.lock().expect("lock");
                    ack.saves.insert((id, role.to_string()), changed);
                    ack.count += 1;
                }
                _ => return,
            }
        }
        for (to, token) in [
            ("in-review", &tokens.editor),
            ("approved", &tokens.approver),
        ] {
            let path = format!("/api/v1/workspace/change-requests/{id}/transition");
            let Some((200, _)) = call(addr, token, "POST", &path, Some(&json!({ "to": to })))
            else {
                return;
            };
        }
        let path = format!("/api/v1/workspace/change-requests/{id}/publish");
        match call(
            addr,
            &tokens.approver,
            "POST",
            &path,
            Some(&json!({ "message": format!("Burst {round}") })),
        ) {
            Some((200, version)) => {
                let mut ack = acknowledged.lock().expect("lock");
                ack.publishes
                    .push(version["number"].as_i64().expect("a number"));
                ack.count += 1;
            }
            _ => return,
        }
    }
}

#[test]
fn a_server_killed_mid_burst_keeps_everything_it_acknowledged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let database = dir.path().join("workspace.db");
    let tokens = Tokens {
        editor: user_with_token(&database, "editor@example.org", "editor"),
        approver: user_with_token(&database, "approver@example.org", "approver"),
    };
    let server = serve(&database);
    let acknowledged = Arc::new(Mutex::new(Acknowledged::default()));
    let writer = {
        let addr = server.addr.clone();
        let acknowledged = Arc::clone(&acknowledged);
        let tokens = Tokens {
            editor: tokens.editor.clone(),
            approver: tokens.approver.clone(),
        };
        std::thread::spawn(move || burst(&addr, &tokens, &acknowledged))
    };
    // Kill it mid-burst: after some work was acknowledged, while more is
    // in flight.
    let deadline = Instant::now() + Duration::from_secs(120);
    while acknowledged.lock().expect("lock").count < 20 {
        assert!(Instant::now() < deadline, "the burst made no progress");
        std::thread::sleep(Duration::from_millis(5));
    }
    drop(server); // SIGKILL, then wait
    writer.join().expect("writer");
    let acknowledged = acknowledged.lock().expect("lock");
    assert!(
        !acknowledged.publishes.is_empty(),
        "some publishes were acknowledged"
    );

    // The file is intact, and no version is half a change request.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let latest = runtime.block_on(async {
        let url = format!("sqlite://{}", database.display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("opens");
        let verdict: String = sqlx::query("PRAGMA integrity_check")
            .fetch_one(&mut conn)
            .await
            .expect("checks")
            .get(0);
        assert_eq!(verdict, "ok");
        let orphans: i64 = sqlx::query(
            "SELECT COUNT(*) FROM versions v LEFT JOIN change_requests c ON c.id = v.change_request \
             WHERE v.number > 1 AND (c.state IS NOT 'published' OR c.published_version IS NOT v.number)",
        )
        .fetch_one(&mut conn)
        .await
        .expect("counts")
        .get(0);
        assert_eq!(orphans, 0, "every version is one whole published change request");
        let latest: i64 = sqlx::query("SELECT latest_version FROM workspace")
            .fetch_one(&mut conn)
            .await
            .expect("reads")
            .get(0);
        let versions: i64 = sqlx::query("SELECT COUNT(*) FROM versions")
            .fetch_one(&mut conn)
            .await
            .expect("counts")
            .get(0);
        assert_eq!(versions, latest, "the latest version is the last one written");
        conn.close().await.expect("closes");
        latest
    });
    for version in &acknowledged.publishes {
        assert!(
            *version <= latest,
            "acknowledged version {version} is missing"
        );
    }

    // Restarted, it serves the latest version (it loads and validates) and
    // every acknowledged save reads back as saved.
    let server = serve(&database);
    let (status, info) = call(
        &server.addr,
        &tokens.editor,
        "GET",
        "/api/v1/workspace",
        None,
    )
    .expect("answers");
    assert_eq!(status, 200);
    assert_eq!(info["latest_version"].as_i64(), Some(latest), "{info}");
    for ((id, role), content) in &acknowledged.saves {
        let path = format!("/api/v1/workspace/change-requests/{id}/entities/role/{role}");
        let (status, entity) =
            call(&server.addr, &tokens.editor, "GET", &path, None).expect("answers");
        assert_eq!(status, 200, "{path}: {entity}");
        assert_eq!(entity["content"].as_str(), Some(content.as_str()), "{path}");
    }
}
