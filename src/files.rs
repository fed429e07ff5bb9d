//! Writing output files and directories so that nobody sees half of one:
//! each is made beside its target and renamed into place when complete,
//! and special files (FIFOs, devices) are written through, never replaced.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use tempfile::TempDir;

/// The directory `path` is in; `.` for a bare file name.
pub fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Writes `bytes` to the output file `path` (see [`write_output_with`]).
pub fn write_output(path: &Path, bytes: &[u8]) -> Result<()> {
    write_output_with(path, |file| {
        file.write_all(bytes)
            .with_context(|| format!("cannot write {}", path.display()))
    })
}

/// Where an output file goes, decided before anything is written.
enum Target {
    /// Nothing there yet: a new file, atomically.
    New(PathBuf),
    /// A regular file, possibly behind links: replaced atomically at its
    /// real place (the links stay), keeping its permissions.
    Regular(PathBuf, fs::Permissions),
    /// A FIFO, a terminal or a device (`/dev/null`, `/dev/stdout`): written
    /// through, never replaced.
    Special(PathBuf),
}

impl Target {
    fn of(path: &Path) -> Result<Target> {
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                bail!("`{}` is a directory; give a file name", path.display())
            }
            Ok(meta) if meta.is_file() => {
                let real = fs::canonicalize(path)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                Ok(Target::Regular(real, meta.permissions()))
            }
            Ok(_) => Ok(Target::Special(path.to_path_buf())),
            Err(error) if error.kind() == io::ErrorKind::NotFound => match fs::read_link(path) {
                Ok(to) => bail!(
                    "`{}` is a link to `{}`, which does not exist; create the file it names or remove the link",
                    path.display(),
                    to.display()
                ),
                Err(_) => Ok(Target::New(path.to_path_buf())),
            },
            Err(error) => Err(error).with_context(|| format!("cannot write {}", path.display())),
        }
    }
}

/// Writes the output file `path` through `write`, as a user expects of
/// `-o FILE`:
/// - a new or regular file is written to a temporary file beside it and
///   renamed into place once complete and on disk: readers see the old
///   file or the new one, never half of one, and when `write` fails or
///   the command is interrupted (Ctrl-C) no temporary is left behind;
/// - an existing file keeps its permissions, and a link to one stays a
///   link: the file it names is replaced;
/// - a FIFO or device (`/dev/null`) is written to, never replaced.
pub fn write_output_with<T>(path: &Path, write: impl FnOnce(&mut File) -> Result<T>) -> Result<T> {
    let cannot_write = || format!("cannot write {}", path.display());
    let (real, permissions) = match Target::of(path)? {
        Target::Special(real) => {
            let mut file = OpenOptions::new()
                .write(true)
                .open(&real)
                .with_context(cannot_write)?;
            let written = write(&mut file)?;
            file.flush().with_context(cannot_write)?;
            return Ok(written);
        }
        Target::New(real) => (real, None),
        Target::Regular(real, permissions) => (real, Some(permissions)),
    };
    let dir = parent_dir(&real);
    let mut file = tempfile::Builder::new()
        .prefix(".rolebook-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    let _cleanup = interrupt::remove_on_interrupt(file.path());
    let written = write(file.as_file_mut())?;
    file.as_file().sync_all().with_context(cannot_write)?;
    // Temporary files are private (0600); a new document is an ordinary
    // file, an existing one keeps what its owner chose.
    if let Some(permissions) = permissions.or_else(new_file_permissions) {
        file.as_file()
            .set_permissions(permissions)
            .with_context(cannot_write)?;
    }
    file.persist(&real)
        .map_err(|e| e.error)
        .with_context(cannot_write)?;
    Ok(written)
}

/// A new document is an ordinary file (rw-r--r--); temporary files are
/// created private.
fn new_file_permissions() -> Option<fs::Permissions> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(fs::Permissions::from_mode(0o644))
    }
    #[cfg(not(unix))]
    None
}

/// A new temporary directory in `parent` to build a directory in, with
/// the permissions of an ordinary directory (rwxr-xr-x); it is deleted
/// when dropped, and on Ctrl-C, unless [`rename_into_place`] moved it.
pub fn staging_dir(parent: &Path, prefix: &str) -> Result<Staging> {
    let dir = tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in(parent)
        .with_context(|| format!("cannot write in {}", parent.display()))?;
    // tempfile makes it private (0700); what it becomes (a catalog, a
    // site, an export folder) is an ordinary directory others may read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755))
            .with_context(|| format!("cannot write in {}", parent.display()))?;
    }
    let cleanup = interrupt::remove_on_interrupt(dir.path());
    Ok(Staging {
        dir,
        _cleanup: cleanup,
    })
}

/// Creates `relative` and its missing parents inside `root`, but never
/// `root` itself: once Ctrl-C has removed a staging directory, a writer
/// still running gets an error instead of bringing the directory back.
pub fn create_dir_under(root: &Path, relative: &Path) -> io::Result<()> {
    let mut path = root.to_path_buf();
    for part in relative.components() {
        path.push(part);
        match fs::create_dir(&path) {
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

/// A directory being built; see [`staging_dir`].
pub struct Staging {
    dir: TempDir,
    _cleanup: interrupt::Registration,
}

impl Staging {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Deletes the directory now, reporting failure.
    pub fn close(self) -> io::Result<()> {
        self.dir.close()
    }

    /// Leaves the directory where it is (it was renamed away).
    pub fn keep(self) {
        let _ = self.dir.keep();
    }
}

/// Renames the finished `staging` directory to `dir`, which must not exist
/// or be an empty directory. On failure the staging directory is deleted.
pub fn rename_into_place(staging: Staging, dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        // POSIX renames onto an empty directory; Windows does not.
        fs::remove_dir(dir)?;
    }
    fs::rename(staging.path(), dir)?;
    // Nothing is left at the staging path for the guard to delete.
    staging.keep();
    Ok(())
}

/// Removing temporary files when the user presses Ctrl-C (or the process
/// is sent SIGTERM): an interrupted process runs no destructors, and an
/// interrupted `build` would otherwise leave a hidden 100 MB directory.
pub mod interrupt {
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// What is being written now; a handful of paths at most.
    static IN_PROGRESS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

    /// Set when the handler starts: the command's own ending (an error
    /// because its files vanished, or success) must wait for the cleanup.
    static INTERRUPTED: AtomicBool = AtomicBool::new(false);

    /// The exit status of a process stopped by SIGINT, as shells report it.
    const EXIT_INTERRUPTED: i32 = 130;

    /// Installs the handler, the first time a file is registered: only
    /// commands that write files take over Ctrl-C and SIGTERM, so `serve`
    /// keeps its own graceful shutdown.
    fn install() {
        // Failing to install (another handler exists) only means temporary
        // files are not removed on Ctrl-C; the command itself still works.
        let _ = ctrlc::set_handler(|| {
            INTERRUPTED.store(true, Ordering::SeqCst);
            let paths = match IN_PROGRESS.lock() {
                Ok(mut paths) => std::mem::take(&mut *paths),
                Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
            };
            for path in paths {
                // The writer may still be adding files while the tree is
                // removed (then removing fails); try until it is gone, for
                // at most about a second.
                for _ in 0..100 {
                    let _ = if path.is_dir() {
                        std::fs::remove_dir_all(&path)
                    } else {
                        std::fs::remove_file(&path)
                    };
                    if !path.exists() {
                        break;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
            }
            std::process::exit(EXIT_INTERRUPTED);
        });
    }

    /// Called by `main` before it exits: once interrupted, the handler
    /// ends the process (status 130) when its cleanup is done, so the
    /// command's own exit, often an error from a file the cleanup removed,
    /// must not come first.
    pub fn wait_if_interrupted() {
        while INTERRUPTED.load(Ordering::SeqCst) {
            std::thread::park_timeout(std::time::Duration::from_millis(50));
        }
    }

    /// Keeps `path` on the list while the registration lives.
    pub fn remove_on_interrupt(path: &Path) -> Registration {
        static INSTALLED: std::sync::Once = std::sync::Once::new();
        INSTALLED.call_once(install);
        let path = path.to_path_buf();
        if let Ok(mut paths) = IN_PROGRESS.lock() {
            paths.push(path.clone());
        }
        Registration(path)
    }

    pub struct Registration(PathBuf);

    impl Drop for Registration {
        fn drop(&mut self) {
            if let Ok(mut paths) = IN_PROGRESS.lock() {
                paths.retain(|p| p != &self.0);
            }
        }
    }
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
    fn write_output_replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("role.pdf");
        fs::write(&target, "old").expect("seed");
        write_output(&target, b"%PDF new").expect("written");
        assert_eq!(fs::read(&target).expect("read"), b"%PDF new");
        assert_eq!(names(dir.path()), ["role.pdf"]);
    }

    #[test]
    fn write_output_refuses_a_directory_and_a_missing_parent() {
        let dir = tempfile::tempdir().expect("tempdir");
        let error = write_output(dir.path(), b"x").expect_err("a directory");
        assert!(error.to_string().contains("is a directory"), "{error}");
        let missing = dir.path().join("missing/role.md");
        let error = write_output(&missing, b"x").expect_err("no parent");
        assert!(error.to_string().starts_with("cannot write in "), "{error}");
        assert!(!missing.exists());
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("resolved.csv");
        fs::write(&target, "old").expect("seed");
        let error = write_output_with(&target, |file| -> Result<()> {
            file.write_all(b"half")?;
            bail!("the input broke off")
        })
        .expect_err("failed");
        assert_eq!(error.to_string(), "the input broke off");
        assert_eq!(fs::read_to_string(&target).expect("read"), "old");
        assert_eq!(names(dir.path()), ["resolved.csv"]);
    }

    #[test]
    fn directories_are_made_under_a_root_that_is_never_brought_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("staging");
        fs::create_dir(&root).expect("root");
        create_dir_under(&root, Path::new("downloads/roles")).expect("made");
        create_dir_under(&root, Path::new("downloads/roles")).expect("again");
        assert!(root.join("downloads/roles").is_dir());
        // As after Ctrl-C removed it: the root stays gone.
        fs::remove_dir_all(&root).expect("removed");
        assert!(create_dir_under(&root, Path::new("roles")).is_err());
        assert!(!root.exists());
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
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&target).expect("target").permissions().mode();
            assert_eq!(mode & 0o777, 0o755, "an ordinary directory, not 0700");
        }
        assert_eq!(names(dir.path()), ["catalog"]);
    }
}
