//! Backing up and restoring a SQLite workspace while it may be in use.
//!
//! A backup is `VACUUM INTO` a temporary file beside the target, renamed
//! into place once complete: SQLite writes a consistent copy of the
//! database as of one transaction, while other connections keep reading
//! and writing, and no reader of the target ever sees half a file. A
//! restore checks the backup (`PRAGMA integrity_check`, a version to
//! restore), refuses to replace a workspace that is newer than the backup
//! (or has gone another way) unless forced, and swaps the file in by
//! rename. PostgreSQL has its own tools (`pg_dump`, `pg_restore`); these
//! functions say so.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Row};

use crate::StoreError;
use crate::db::{Engine, Location};
use crate::workspace::{Version, Workspace};

/// What a backup file holds.
#[derive(Debug, Clone)]
pub struct BackupInfo {
    pub path: PathBuf,
    /// Its latest version; `None` for a workspace that was never seeded.
    pub latest: Option<Version>,
}

/// The message for PostgreSQL, whose backups belong to its own tools.
fn postgres_hint() -> StoreError {
    StoreError::Location(
        "a PostgreSQL workspace is backed up with PostgreSQL's tools: \
         `pg_dump --format=custom --file rolebook.dump \"$DATABASE_URL\"`, restored with \
         `pg_restore --clean --if-exists --dbname \"$DATABASE_URL\" rolebook.dump`"
            .to_string(),
    )
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A temporary name beside `path`, for a file renamed into place.
fn beside(path: &Path, tag: &str) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "workspace".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

impl Workspace {
    /// Writes a consistent copy of this (SQLite) workspace to `path`,
    /// replacing the file there only once the copy is complete.
    pub async fn backup(&self, path: &Path) -> Result<BackupInfo, StoreError> {
        if self.db().engine() != Engine::Sqlite {
            return Err(postgres_hint());
        }
        let temporary = beside(path, "backup");
        let _ = std::fs::remove_file(&temporary);
        let target = temporary
            .to_str()
            .ok_or_else(|| StoreError::Location(format!("{} is not UTF-8", path.display())))?
            .to_string();
        let done = sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.db().pool)
            .await;
        if let Err(error) = done {
            let _ = std::fs::remove_file(&temporary);
            return Err(error.into());
        }
        // The copy is synced before it takes the name: a crash leaves the
        // old backup or the new one, never a torn file.
        std::fs::File::open(&temporary)
            .and_then(|f| f.sync_all())
            .map_err(io(&temporary))?;
        std::fs::rename(&temporary, path).map_err(io(path))?;
        inspect(path).await
    }
}

/// Opens a SQLite file read-only, without migrating it.
async fn read_only(path: &Path) -> Result<AnyPool, StoreError> {
    sqlx::any::install_default_drivers();
    if !path.is_file() {
        return Err(StoreError::Location(format!(
            "{} is not a file",
            path.display()
        )));
    }
    let url = format!("sqlite://{}?mode=ro", path.display());
    let options = AnyConnectOptions::from_str(&url)
        .map_err(|e| StoreError::connect(&Location::SqliteFile(path.to_path_buf()), e))?;
    AnyPoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(|e| StoreError::connect(&Location::SqliteFile(path.to_path_buf()), e))
}

/// Checks a backup file and reads its latest version.
pub async fn inspect(path: &Path) -> Result<BackupInfo, StoreError> {
    let pool = read_only(path).await?;
    let result = async {
        let verdict: String = sqlx::query("PRAGMA integrity_check")
            .fetch_one(&pool)
            .await
            .map_err(|e| {
                StoreError::Location(format!("{} is not a SQLite database: {e}", path.display()))
            })?
            .try_get(0)?;
        if verdict != "ok" {
            return Err(StoreError::Location(format!(
                "{} fails SQLite's integrity check: {verdict}",
                path.display()
            )));
        }
        let has_workspace =
            sqlx::query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'workspace'")
                .fetch_optional(&pool)
                .await?
                .is_some();
        if !has_workspace {
            return Err(StoreError::Location(format!(
                "{} is not a rolebook workspace",
                path.display()
            )));
        }
        let latest = sqlx::query(
            "SELECT v.number, v.created_at, v.author, v.message, v.change_request \
             FROM workspace w JOIN versions v ON v.number = w.latest_version WHERE w.id = 1",
        )
        .fetch_optional(&pool)
        .await?
        .map(|row| -> Result<Version, StoreError> {
            Ok(Version {
                number: row.try_get(0)?,
                created_at: row.try_get(1)?,
                author: row.try_get(2)?,
                message: row.try_get(3)?,
                change_request: row.try_get(4)?,
            })
        })
        .transpose()?;
        Ok(BackupInfo {
            path: path.to_path_buf(),
            latest,
        })
    }
    .await;
    pool.close().await;
    result
}

/// Puts the backup at `backup` in place of the SQLite workspace at
/// `target`. Refused when the workspace there has a later version than the
/// backup, or the same number published differently (it went another
/// way), unless `force`. Stop every server using `target` first: a running
/// server keeps the file it opened.
pub async fn restore(
    backup: &Path,
    target: &Location,
    force: bool,
) -> Result<BackupInfo, StoreError> {
    let Location::SqliteFile(target) = target else {
        return Err(postgres_hint());
    };
    let info = inspect(backup).await?;
    let Some(restored) = info.latest.clone() else {
        return Err(StoreError::Location(format!(
            "{} holds no version; there is nothing to restore",
            backup.display()
        )));
    };
    if target.exists() && !force {
        let current = inspect(target).await?;
        if let Some(current) = current.latest {
            let newer = current.number > restored.number;
            let diverged =
                current.number == restored.number && current.created_at != restored.created_at;
            if newer || diverged {
                return Err(StoreError::Location(format!(
                    "the workspace at {} is at version {} ({}), {} the backup's version {} ({}); \
                     restoring would lose it. Add --force to restore anyway",
                    target.display(),
                    current.number,
                    current.created_at,
                    if newer {
                        "later than"
                    } else {
                        "a different history from"
                    },
                    restored.number,
                    restored.created_at
                )));
            }
        }
    }
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    let temporary = beside(target, "restore");
    std::fs::copy(backup, &temporary).map_err(io(&temporary))?;
    std::fs::File::open(&temporary)
        .and_then(|f| f.sync_all())
        .map_err(io(&temporary))?;
    // The old database's write-ahead log belongs to the old file.
    for suffix in ["-wal", "-shm"] {
        let mut side = target.as_os_str().to_owned();
        side.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(side));
    }
    std::fs::rename(&temporary, target).map_err(io(target))?;
    Ok(BackupInfo {
        path: target.clone(),
        latest: Some(restored),
    })
}
