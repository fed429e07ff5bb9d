//! The connection: one pool over SQLite or PostgreSQL through sqlx's `Any`
//! driver, so every query is written once. What differs per engine is here
//! and in the migrations: the schema's types, how a SQLite connection is
//! set up (WAL, foreign keys, full sync) and how a write transaction starts.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

use crate::StoreError;

/// Which database a workspace lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres => "PostgreSQL",
        }
    }
}

/// Where a workspace is: a SQLite file or a PostgreSQL URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    SqliteFile(PathBuf),
    Postgres(String),
}

impl Location {
    /// Reads `--database`: a `postgres://` or `postgresql://` URL, a
    /// `sqlite://PATH` URL, or a path to a SQLite file.
    pub fn parse(text: &str) -> Result<Self, StoreError> {
        let text = text.trim();
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            return Ok(Location::Postgres(text.to_string()));
        }
        if let Some(path) = text.strip_prefix("sqlite://") {
            let path = path.split('?').next().unwrap_or(path);
            if path.is_empty() {
                return Err(StoreError::Location(format!("`{text}` names no file")));
            }
            return Ok(Location::SqliteFile(PathBuf::from(path)));
        }
        if text.contains("://") {
            return Err(StoreError::Location(format!(
                "`{text}` is neither a PostgreSQL URL (postgres://…) nor a SQLite file"
            )));
        }
        if text.is_empty() {
            return Err(StoreError::Location(
                "the database location is empty".into(),
            ));
        }
        Ok(Location::SqliteFile(PathBuf::from(text)))
    }

    pub fn engine(&self) -> Engine {
        match self {
            Location::SqliteFile(_) => Engine::Sqlite,
            Location::Postgres(_) => Engine::Postgres,
        }
    }

    /// A name for people: the file, or the URL without its password.
    pub fn label(&self) -> String {
        match self {
            Location::SqliteFile(path) => path.display().to_string(),
            Location::Postgres(url) => redact_password(url),
        }
    }

    /// The SQLite file, when it is one.
    pub fn sqlite_file(&self) -> Option<&Path> {
        match self {
            Location::SqliteFile(path) => Some(path),
            Location::Postgres(_) => None,
        }
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, path) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
    let Some((credentials, host)) = authority.rsplit_once('@') else {
        return url.to_string();
    };
    let user = credentials.split(':').next().unwrap_or("");
    let slash = if rest.contains('/') { "/" } else { "" };
    if credentials.contains(':') {
        format!("{scheme}://{user}:***@{host}{slash}{path}")
    } else {
        url.to_string()
    }
}

/// An open workspace database with its schema migrated.
#[derive(Debug, Clone)]
pub struct Db {
    pub(crate) pool: AnyPool,
    pub(crate) engine: Engine,
}

/// One schema migration: its version, its description (the file name's),
/// and its SQL.
type MigrationFile = (i64, &'static str, &'static str);

/// The files of `migrations/sqlite`, embedded in version order. Listed by
/// hand rather than with `sqlx::migrate!`, whose macro crate compiles a
/// second sqlx with its drivers and SQLite for the build machine (about
/// 25 s of CPU in a clean build); a test checks that this list is the
/// directory's files, as sqlx itself reads them.
const SQLITE_FILES: [MigrationFile; 4] = [
    (
        1,
        "workspace",
        include_str!("../migrations/sqlite/0001_workspace.sql"),
    ),
    (
        2,
        "accounts",
        include_str!("../migrations/sqlite/0002_accounts.sql"),
    ),
    (
        3,
        "contributors",
        include_str!("../migrations/sqlite/0003_contributors.sql"),
    ),
    (
        4,
        "comments",
        include_str!("../migrations/sqlite/0004_comments.sql"),
    ),
];

/// The files of `migrations/postgres`, as [`SQLITE_FILES`].
const POSTGRES_FILES: [MigrationFile; 4] = [
    (
        1,
        "workspace",
        include_str!("../migrations/postgres/0001_workspace.sql"),
    ),
    (
        2,
        "accounts",
        include_str!("../migrations/postgres/0002_accounts.sql"),
    ),
    (
        3,
        "contributors",
        include_str!("../migrations/postgres/0003_contributors.sql"),
    ),
    (
        4,
        "comments",
        include_str!("../migrations/postgres/0004_comments.sql"),
    ),
];

/// A migrator for `files`, with the checksums sqlx records (SHA-384 of the
/// SQL), so databases migrated before keep validating.
fn migrator(files: &[MigrationFile]) -> sqlx::migrate::Migrator {
    sqlx::migrate::Migrator::with_migrations(
        files
            .iter()
            .map(|&(version, description, sql)| {
                sqlx::migrate::Migration::new(
                    version,
                    description.into(),
                    sqlx::migrate::MigrationType::Simple,
                    sqlx::SqlStr::from_static(sql),
                    sql.starts_with("-- no-transaction"),
                )
            })
            .collect(),
    )
}

static SQLITE_MIGRATIONS: std::sync::LazyLock<sqlx::migrate::Migrator> =
    std::sync::LazyLock::new(|| migrator(&SQLITE_FILES));
static POSTGRES_MIGRATIONS: std::sync::LazyLock<sqlx::migrate::Migrator> =
    std::sync::LazyLock::new(|| migrator(&POSTGRES_FILES));

impl Db {
    /// Opens (creating a SQLite file and its directory when missing) and
    /// migrates the database at `location`.
    pub async fn open(location: &Location) -> Result<Db, StoreError> {
        sqlx::any::install_default_drivers();
        let engine = location.engine();
        let url = match location {
            Location::SqliteFile(path) => {
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent).map_err(|source| StoreError::Io {
                        path: parent.to_path_buf(),
                        source,
                    })?;
                }
                format!("sqlite://{}?mode=rwc", path.display())
            }
            Location::Postgres(url) => url.clone(),
        };
        let options =
            AnyConnectOptions::from_str(&url).map_err(|e| StoreError::connect(location, e))?;
        let mut pool = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
        if engine == Engine::Sqlite {
            // One writer at a time in SQLite; a few readers beside it.
            pool = pool.max_connections(4).after_connect(|conn, _| {
                Box::pin(async move {
                    // WAL: readers never block the writer. FULL: a commit
                    // is on disk before it is acknowledged. busy_timeout:
                    // a second writer waits instead of failing.
                    conn.execute(sqlx::raw_sql(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                    ))
                    .await?;
                    Ok(())
                })
            });
        } else {
            pool = pool.max_connections(8);
        }
        let pool = pool
            .connect_with(options)
            .await
            .map_err(|e| StoreError::connect(location, e))?;
        let migrator: &sqlx::migrate::Migrator = match engine {
            Engine::Sqlite => &SQLITE_MIGRATIONS,
            Engine::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&pool).await.map_err(StoreError::Migrate)?;
        Ok(Db { pool, engine })
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The connection pool, for the crates that keep their own tables in
    /// the workspace database (accounts).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A transaction that writes. SQLite takes its write lock at the start
    /// (`BEGIN IMMEDIATE`), so two writers queue instead of one failing
    /// half-way with a stale snapshot.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        let tx = match self.engine {
            Engine::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Engine::Postgres => self.pool.begin().await?,
        };
        Ok(tx)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The current time as stored: RFC 3339 in UTC with milliseconds, a fixed
/// width so that text order is time order.
pub fn now() -> String {
    timestamp(time::OffsetDateTime::now_utc())
}

/// `at` as stored (see [`now`]).
pub fn timestamp(at: time::OffsetDateTime) -> String {
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    at.to_offset(time::UtcOffset::UTC)
        .format(&format)
        .unwrap_or_else(|_| "1970-01-01T00:00:00.000Z".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded migrations are the directory's files, as sqlx's own
    /// `migrate!` would read them: same versions, descriptions, checksums
    /// and transaction mode, none missing, none extra.
    #[test]
    fn embedded_migrations_are_the_migration_files() {
        for (dir, files) in [("sqlite", &SQLITE_FILES), ("postgres", &POSTGRES_FILES)] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("migrations")
                .join(dir);
            let on_disk = sqlx::migrate::resolve_blocking(&path).expect("migrations resolve");
            let embedded = migrator(files);
            let summary = |m: &sqlx::migrate::Migration| {
                (
                    m.version,
                    m.description.to_string(),
                    m.checksum.to_vec(),
                    m.no_tx,
                    m.migration_type,
                )
            };
            let disk: Vec<_> = on_disk.iter().map(|(m, _)| summary(m)).collect();
            let ours: Vec<_> = embedded.iter().map(summary).collect();
            assert_eq!(
                ours, disk,
                "{dir}: update SQLITE_FILES / POSTGRES_FILES in db.rs"
            );
        }
    }

    #[test]
    fn locations_are_read_from_urls_and_paths() {
        assert_eq!(
            Location::parse("postgres://u:p@h:5432/db").expect("parses"),
            Location::Postgres("postgres://u:p@h:5432/db".into())
        );
        assert_eq!(
            Location::parse("sqlite://data/w.db?mode=rwc").expect("parses"),
            Location::SqliteFile("data/w.db".into())
        );
        assert_eq!(
            Location::parse("./w.db").expect("parses"),
            Location::SqliteFile("./w.db".into())
        );
        assert!(Location::parse("mysql://x").is_err());
        assert!(Location::parse("  ").is_err());
    }

    #[test]
    fn labels_hide_passwords() {
        let location =
            Location::parse("postgres://app:s3cret@db.example:5432/rolebook").expect("parses");
        assert_eq!(
            location.label(),
            "postgres://app:***@db.example:5432/rolebook"
        );
        let location = Location::parse("postgres://app@db/rolebook").expect("parses");
        assert_eq!(location.label(), "postgres://app@db/rolebook");
    }

    #[test]
    fn timestamps_have_a_fixed_width() {
        let stamp = now();
        assert_eq!(stamp.len(), "2026-12-06T21:17:01.000Z".len(), "{stamp}");
        assert!(stamp.ends_with('Z'));
    }
}
