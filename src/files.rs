//! Writing files and directories so that nobody sees half of one: each is
//! made beside its target and renamed into place when complete.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use tempfile::TempDir;

/// The directory `path` is in; `.` for a bare file name.
pub fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Writes `bytes` to `path` atomically (see [`write_atomic_with`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |file| {
        file.write_all(bytes)
            .with_context(|| format!("cannot write {}", path.display()))
    })
}

/// Writes the file `path` through `write`, into a temporary file in the
/// same directory that is renamed into place once complete: readers see
/// the old file or the new one, never half of it, and when `write` or
/// anything after it fails no file is left behind.
pub fn write_atomic_with<T>(path: &Path, write: impl FnOnce(&mut File) -> Result<T>) -> Result<T> {
    if path.is_dir() {
        bail!("`{}` is a directory; give a file name", path.display());
    }
    let dir = parent_dir(path);
    let mut file = tempfile::Builder::new()
        .prefix(".rolebook-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    let written = write(file.as_file_mut())?;
    let cannot_write = || format!("cannot write {}", path.display());
    file.as_file().sync_all().with_context(cannot_write)?;
    // Temporary files are private (0600); what rolebook writes is an
    // ordinary document.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.as_file()
            .set_permissions(fs::Permissions::from_mode(0o644))
            .with_context(cannot_write)?;
    }
    file.persist(path)
        .map_err(|e| e.error)
        .with_context(cannot_write)?;
    Ok(written)
}

/// A new, private temporary directory in `parent` to build a directory
/// in; it is deleted when dropped unless [`rename_into_place`] moved it.
pub fn staging_dir(parent: &Path, prefix: &str) -> Result<TempDir> {
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in(parent)
        .with_context(|| format!("cannot write in {}", parent.display()))
}

/// Renames the finished `staging` directory to `dir`, which must not exist
/// or be an empty directory. On failure the staging directory is deleted.
pub fn rename_into_place(staging: TempDir, dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        // POSIX renames onto an empty directory; Windows does not.
        fs::remove_dir(dir)?;
    }
    fs::rename(staging.path(), dir)?;
    // Nothing is left at the staging path for the guard to delete.
    let _ = staging.keep();
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The names in `dir`, sorted.
    pub(crate) fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn write_atomic_replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("role.pdf");
        fs::write(&target, "old").expect("seed");
        write_atomic(&target, b"%PDF new").expect("written");
        assert_eq!(fs::read(&target).expect("read"), b"%PDF new");
        assert_eq!(names(dir.path()), ["role.pdf"]);
    }

    #[test]
    fn write_atomic_refuses_a_directory_and_a_missing_parent() {
        let dir = tempfile::tempdir().expect("tempdir");
        let error = write_atomic(dir.path(), b"x").expect_err("a directory");
        assert!(error.to_string().contains("is a directory"), "{error}");
        let missing = dir.path().join("missing/role.md");
        let error = write_atomic(&missing, b"x").expect_err("no parent");
        assert!(error.to_string().starts_with("cannot write in "), "{error}");
        assert!(!missing.exists());
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("resolved.csv");
        fs::write(&target, "old").expect("seed");
        let error = write_atomic_with(&target, |file| -> Result<()> {
            file.write_all(b"half")?;
            bail!("the input broke off")
        })
        .expect_err("failed");
        assert_eq!(error.to_string(), "the input broke off");
        assert_eq!(fs::read_to_string(&target).expect("read"), "old");
        assert_eq!(names(dir.path()), ["resolved.csv"]);
    }

    #[test]
    fn a_staged_directory_replaces_an_empty_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("catalog");
        fs::create_dir(&target).expect("empty target");
        let staging = staging_dir(dir.path(), ".rolebook-test-").expect("staging");
        fs::write(staging.path().join("framework.toml"), "x").expect("staged");
        rename_into_place(staging, &target).expect("renamed");
        assert_eq!(names(&target), ["framework.toml"]);
        assert_eq!(names(dir.path()), ["catalog"]);
    }
}
