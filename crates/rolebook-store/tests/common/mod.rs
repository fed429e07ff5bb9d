//! The engines every store test runs on: a SQLite file always, and a
//! fresh PostgreSQL database when `ROLEBOOK_TEST_POSTGRES` names a server
//! (a URL; CI starts one, and without it in CI the tests fail rather than
//! skip PostgreSQL). Not `DATABASE_URL`: the CLI reads that one, and every
//! `serve` of the other tests would share the database.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};

use rolebook_store::{Location, Workspace};
use sqlx::Connection;

/// A workspace location that lives as long as the value.
pub struct Scratch {
    pub location: Location,
    _dir: Option<tempfile::TempDir>,
}

/// One empty workspace per engine.
pub async fn engines() -> Vec<Scratch> {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut scratches = vec![Scratch {
        location: Location::SqliteFile(dir.path().join("workspace.db")),
        _dir: Some(dir),
    }];
    match std::env::var("ROLEBOOK_TEST_POSTGRES") {
        Ok(url) if !url.trim().is_empty() => scratches.push(Scratch {
            location: Location::Postgres(fresh_database(&url).await),
            _dir: None,
        }),
        _ => assert!(
            std::env::var("CI").is_err(),
            "CI must test PostgreSQL: set ROLEBOOK_TEST_POSTGRES"
        ),
    }
    scratches
}

/// A new, empty database on the server of `url`; its URL.
async fn fresh_database(url: &str) -> String {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "rolebook_test_{}_{}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::SeqCst)
    );
    let mut admin = sqlx::PgConnection::connect(url).await.expect("PostgreSQL");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name}"
    )))
    .execute(&mut admin)
    .await
    .expect("drop");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .expect("create");
    let base = url.rsplit_once('/').map_or(url, |(base, _)| base);
    format!("{base}/{name}")
}

/// A workspace seeded with the built-in catalog, with the engine's name.
pub async fn seeded(scratch: &Scratch) -> Workspace {
    let workspace = Workspace::open(&scratch.location).await.expect("opens");
    workspace
        .init(
            &rolebook_core::builtin::sources(),
            "seed",
            "The built-in catalog",
        )
        .await
        .expect("init");
    workspace
}
