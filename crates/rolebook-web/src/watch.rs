//! Live reload: polls the catalog directory and reloads when a file changes.
//!
//! Polling (names, sizes and modification times of the `.toml` files,
//! twice a second) rather than OS notifications: it works the same on every
//! file system, including network and container mounts where inotify sees
//! nothing, needs no dependency, and a few hundred `stat` calls per tick
//! cost nothing. An editor that writes a file in two steps may be caught
//! half way; the next tick sees the second write and reloads again.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

use rolebook_core::CatalogSource;

use crate::state::{AppState, ReloadOutcome};

/// How often the directory is checked.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// A digest of every catalog file's path, size and modification time.
/// `None` when the directory cannot be read (which is itself a change
/// worth reporting).
pub fn fingerprint(dir: &Path) -> Option<u64> {
    let mut entries = Vec::new();
    collect(dir, dir, &mut entries).ok()?;
    entries.sort();
    let mut hasher = DefaultHasher::new();
    entries.hash(&mut hasher);
    Some(hasher.finish())
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, u64, u128)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            // Same rule as the loader: hidden directories are not content.
            if !entry.file_name().to_string_lossy().starts_with('.') {
                collect(root, &path, out)?;
            }
        } else if path.extension().is_some_and(|ext| ext == "toml") {
            let meta = entry.metadata()?;
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            let relative = path.strip_prefix(root).unwrap_or(&path);
            out.push((
                relative.to_string_lossy().into_owned(),
                meta.len(),
                modified,
            ));
        }
    }
    Ok(())
}

/// Watches the state's catalog directory until the runtime shuts down.
/// Does nothing for the built-in catalog.
pub fn spawn(state: AppState, interval: Duration) {
    let CatalogSource::Dir(dir) = state.source().clone() else {
        return;
    };
    tokio::spawn(async move {
        let probe = dir.clone();
        let mut last = tokio::task::spawn_blocking(move || fingerprint(&probe))
            .await
            .ok()
            .flatten();
        loop {
            tokio::time::sleep(interval).await;
            let probe = dir.clone();
            let Ok(now) = tokio::task::spawn_blocking(move || fingerprint(&probe)).await else {
                continue;
            };
            if now == last {
                continue;
            }
            last = now;
            let reloading = state.clone();
            match tokio::task::spawn_blocking(move || reloading.reload()).await {
                Ok(ReloadOutcome::Loaded { roles, warnings }) => {
                    tracing::info!(roles, warnings, catalog = %dir.display(), "catalog reloaded");
                }
                Ok(ReloadOutcome::Kept { errors }) => {
                    tracing::warn!(
                        errors,
                        catalog = %dir.display(),
                        "catalog has errors; still serving the last valid version (see /admin/diagnostics)"
                    );
                }
                Err(error) => tracing::error!(%error, "catalog reload failed"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_changes_with_content_and_ignores_other_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("framework.toml"), "a = 1\n").expect("write");
        let first = fingerprint(dir.path()).expect("readable");
        std::fs::write(dir.path().join("notes.txt"), "not a catalog file").expect("write");
        assert_eq!(fingerprint(dir.path()), Some(first));
        std::fs::create_dir(dir.path().join(".git")).expect("mkdir");
        std::fs::write(dir.path().join(".git/x.toml"), "hidden").expect("write");
        assert_eq!(fingerprint(dir.path()), Some(first));
        std::fs::write(dir.path().join("framework.toml"), "a = 12\n").expect("write");
        assert_ne!(fingerprint(dir.path()), Some(first));
        assert_eq!(fingerprint(&dir.path().join("missing")), None);
    }
}
