//! Reading a catalog directory: the one place the core touches the file
//! system, shared by loading ([`crate::Sources::from_dir`]) and by anything
//! that watches a catalog for changes ([`list_catalog_files`]).
//!
//! Which files are catalog files, in one rule:
//! - names ending in `.toml`, in the catalog directory or any directory
//!   below it;
//! - hidden names (starting with `.`), files and directories alike, are
//!   never catalog files: `.git`, editors' lock files (`.#role.toml`, often
//!   a dangling link) and swap files; backups such as `role.toml~` or
//!   `#role.toml#` do not end in `.toml`;
//! - symbolic links are followed, to files and to directories (a `roles/`
//!   shared with another catalog), except a link back into a directory
//!   being read, which would loop;
//! - a catalog file that is not a regular file (a FIFO, a device, a
//!   socket), a dangling link, a file over [`MAX_FILE_BYTES`] and a file
//!   that is not UTF-8 are reported as located errors. Special files are
//!   never opened and no file is read past the limit, so a FIFO cannot
//!   hang a load and a link to `/dev/zero` cannot exhaust memory;
//! - the organisation's logo, `logo.svg` or `logo.png` at the root only, is
//!   listed too (so a watcher sees it change) and read by [`read_logo`] as
//!   bytes, at most [`crate::logo::MAX_LOGO_BYTES`] and one; `load` checks
//!   it ([`crate::logo`]).

use std::fs::{self, File, Metadata};
use std::io::{self, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::logo::{LogoKind, MAX_LOGO_BYTES};
use crate::source::{ReadError, SourceFile};

/// The largest catalog file read. A role file is about 20 KB and the
/// largest built-in file about 60 KB; anything near this is not a
/// hand-written catalog file.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// One catalog file found in a directory, before it is read.
#[derive(Debug)]
pub struct CatalogEntry {
    /// Path relative to the catalog root, with `/` separators.
    pub relative: String,
    pub path: PathBuf,
    pub state: EntryState,
}

impl CatalogEntry {
    /// Which logo this entry is, if it is one (`logo.svg` or `logo.png` at
    /// the root); such an entry is read with [`read_logo`].
    pub fn logo_kind(&self) -> Option<LogoKind> {
        LogoKind::of_file_name(&self.relative)
    }
}

/// What the file system says about a catalog file.
#[derive(Debug)]
pub enum EntryState {
    /// A regular file (possibly behind a link) that can be read.
    Regular {
        len: u64,
        modified: Option<SystemTime>,
    },
    /// A FIFO, device or socket; named in the message.
    Special(&'static str),
    /// A symbolic link whose target does not exist.
    Dangling,
    /// The file system refused to say (permissions, I/O).
    Unreadable(io::Error),
}

/// A problem with a directory (not a file) met while listing a catalog:
/// reported without a file to point at.
#[derive(Debug)]
pub struct DirectoryProblem {
    pub path: PathBuf,
    pub message: String,
}

/// Every catalog file under `root` by the rule above, sorted by relative
/// path, and the problems with directories met on the way.
pub fn list_catalog_files(
    root: &Path,
) -> Result<(Vec<CatalogEntry>, Vec<DirectoryProblem>), ReadError> {
    if !root.is_dir() {
        return Err(ReadError::NotADirectory(root.to_path_buf()));
    }
    let mut walk = Walk {
        root,
        entries: Vec::new(),
        problems: Vec::new(),
        open_dirs: Vec::new(),
    };
    // The root itself must be readable: that failure is the whole load's.
    let listing = fs::read_dir(root).map_err(|source| ReadError::Io {
        path: root.to_path_buf(),
        source,
    })?;
    walk.read(canonical(root), listing);
    // Directory order is the file system's: sort once, for stable output.
    walk.entries.sort_by(|a, b| a.relative.cmp(&b.relative));
    walk.problems.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((walk.entries, walk.problems))
}

struct Walk<'a> {
    root: &'a Path,
    entries: Vec<CatalogEntry>,
    problems: Vec<DirectoryProblem>,
    /// Canonical paths of the directories being read, to stop link loops.
    open_dirs: Vec<PathBuf>,
}

impl Walk<'_> {
    /// A directory below the root: skipped with a problem when it loops
    /// back or cannot be read.
    fn dir(&mut self, dir: &Path) {
        let canonical = canonical(dir);
        if self.open_dirs.contains(&canonical) {
            self.problem(dir, "links back to a directory that contains it; skipped");
            return;
        }
        match fs::read_dir(dir) {
            Ok(listing) => self.read(canonical, listing),
            Err(error) => self.problem(dir, &format!("cannot be read: {error}")),
        }
    }

    /// The entries of one directory; the caller sorts what was found.
    fn read(&mut self, canonical: PathBuf, listing: fs::ReadDir) {
        self.open_dirs.push(canonical);
        for child in listing.filter_map(Result::ok) {
            let name = child.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            let path = child.path();
            let logo = self.open_dirs.len() == 1 && LogoKind::of_file_name(&name).is_some();
            match fs::metadata(&path) {
                Ok(meta) if meta.is_dir() => self.dir(&path),
                _ if !name.ends_with(".toml") && !logo => {}
                Ok(meta) => {
                    let state = state_of(&meta);
                    self.push(path, state);
                }
                Err(error) => {
                    let dangling = error.kind() == io::ErrorKind::NotFound
                        && fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
                    let state = if dangling {
                        EntryState::Dangling
                    } else {
                        EntryState::Unreadable(error)
                    };
                    self.push(path, state);
                }
            }
        }
        self.open_dirs.pop();
    }

    fn push(&mut self, path: PathBuf, state: EntryState) {
        let relative = relative_path(self.root, &path);
        self.entries.push(CatalogEntry {
            relative,
            path,
            state,
        });
    }

    fn problem(&mut self, dir: &Path, what: &str) {
        let shown = relative_path(self.root, dir);
        self.problems.push(DirectoryProblem {
            path: dir.to_path_buf(),
            message: format!("directory `{shown}/` {what}"),
        });
    }
}

fn canonical(dir: &Path) -> PathBuf {
    fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())
}

fn state_of(meta: &Metadata) -> EntryState {
    if meta.is_file() {
        return EntryState::Regular {
            len: meta.len(),
            modified: meta.modified().ok(),
        };
    }
    EntryState::Special(special_kind(meta))
}

#[cfg(unix)]
fn special_kind(meta: &Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let kind = meta.file_type();
    if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &Metadata) -> &'static str {
    "not a regular file"
}

fn relative_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Why a catalog file could not become text; `load` reports it at `span`
/// instead of parsing the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub code: &'static str,
    pub message: String,
    pub span: Range<usize>,
    pub hint: &'static str,
}

fn unreadable(
    entry: &CatalogEntry,
    code: &'static str,
    message: String,
    hint: &'static str,
) -> SourceFile {
    SourceFile::new(entry.relative.clone(), String::new()).with_problem(FileProblem {
        code,
        message,
        span: 0..0,
        hint,
    })
}

/// The problem of an entry that is not a regular file, as a source.
fn state_problem(entry: &CatalogEntry) -> Option<SourceFile> {
    let unreadable = |code, message, hint| Some(unreadable(entry, code, message, hint));
    match &entry.state {
        EntryState::Regular { .. } => None,
        EntryState::Special(kind) => unreadable(
            "not-a-file",
            format!("`{}` is {kind}, not a file", entry.relative),
            "catalog files are ordinary files; remove it or give it a name not ending in .toml",
        ),
        EntryState::Dangling => unreadable(
            "dangling-link",
            format!(
                "`{}` is a link to a file that does not exist",
                entry.relative
            ),
            "fix or remove the link; editors' lock files are skipped only when their names start with `.`",
        ),
        EntryState::Unreadable(error) => unreadable(
            "unreadable-file",
            format!("cannot read `{}`: {error}", entry.relative),
            "check the file's permissions",
        ),
    }
}

/// Reads one listed entry into a [`SourceFile`]; a file that cannot be read
/// as catalog text comes back with its [`FileProblem`].
pub fn read_entry(entry: &CatalogEntry) -> SourceFile {
    if let Some(problem) = state_problem(entry) {
        return problem;
    }
    let unreadable = |code, message, hint| unreadable(entry, code, message, hint);
    match read_catalog_file(&entry.path, MAX_FILE_BYTES) {
        Ok(bytes) if exceeds_limit(&bytes) => unreadable(
            "file-too-large",
            format!(
                "`{}` is larger than {} KiB, the most a catalog file may hold",
                entry.relative,
                MAX_FILE_BYTES / 1024
            ),
            "split the content over several files (one role per file in roles/)",
        ),
        Ok(bytes) => source_from_bytes(entry.relative.clone(), bytes),
        Err(error) => unreadable(
            "unreadable-file",
            format!("cannot read `{}`: {error}", entry.relative),
            "check the file's permissions",
        ),
    }
}

/// Reads a listed logo: its bytes, or the file with its problem (not a
/// file, unreadable, over [`MAX_LOGO_BYTES`]). The bytes are checked by
/// `load`, not here.
pub fn read_logo(entry: &CatalogEntry) -> Result<Vec<u8>, Box<SourceFile>> {
    if let Some(problem) = state_problem(entry) {
        return Err(Box::new(problem));
    }
    match read_catalog_file(&entry.path, MAX_LOGO_BYTES) {
        Ok(bytes) if bytes.len() as u64 > MAX_LOGO_BYTES => Err(Box::new(unreadable(
            entry,
            "logo-too-large",
            format!(
                "`{}` is larger than {} KiB, the most a logo may be",
                entry.relative,
                MAX_LOGO_BYTES / 1024
            ),
            "export a smaller logo (a simplified SVG, or a PNG of at most a few hundred pixels)",
        ))),
        Ok(bytes) => Ok(bytes),
        Err(error) => Err(Box::new(unreadable(
            entry,
            "unreadable-file",
            format!("cannot read `{}`: {error}", entry.relative),
            "check the file's permissions",
        ))),
    }
}

/// Whether bytes from [`read_limited`] are over [`MAX_FILE_BYTES`].
pub fn exceeds_limit(bytes: &[u8]) -> bool {
    bytes.len() as u64 > MAX_FILE_BYTES
}

/// A file's bytes, at most one byte more than [`MAX_FILE_BYTES`] (see
/// [`exceeds_limit`]), so an oversized file or an endless stream
/// (`/dev/zero`) is detected without reading it all. Pipes are read, so
/// `rolebook gap <(…)` works; catalog files are refused unless regular.
pub fn read_limited(path: &Path) -> io::Result<Vec<u8>> {
    read_bounded(File::open(path)?, MAX_FILE_BYTES)
}

fn read_bounded(file: File, limit: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Like [`read_limited`], for a file listed as regular: one swapped for a
/// FIFO or device since is refused before anything is read.
fn read_catalog_file(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let file = File::open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    read_bounded(file, limit)
}

/// Text from bytes that must be UTF-8: invalid input keeps its text (with
/// U+FFFD in place of the bad bytes, so the place can be shown) and a
/// problem at the first bad sequence.
pub fn source_from_bytes(relative: String, bytes: Vec<u8>) -> SourceFile {
    match String::from_utf8(bytes) {
        Ok(text) => SourceFile::new(relative, text),
        Err(error) => {
            let offset = error.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
            let problem = FileProblem {
                code: "not-utf8",
                message: format!(
                    "`{relative}` is not valid UTF-8 (first bad byte at offset {offset})"
                ),
                // The valid prefix is unchanged in the lossy text, and the
                // first bad sequence became one U+FFFD.
                span: offset..offset + '\u{FFFD}'.len_utf8(),
                hint: "save the file as UTF-8",
            };
            SourceFile::new(relative, text).with_problem(problem)
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn listed(root: &Path) -> Vec<(String, String)> {
        let (entries, _) = list_catalog_files(root).expect("listed");
        entries
            .iter()
            .map(|e| {
                let state = match &e.state {
                    EntryState::Regular { .. } => "file".to_string(),
                    EntryState::Special(kind) => kind.to_string(),
                    EntryState::Dangling => "dangling".to_string(),
                    EntryState::Unreadable(error) => error.to_string(),
                };
                (e.relative.clone(), state)
            })
            .collect()
    }

    #[test]
    fn hidden_names_and_editor_artefacts_are_not_catalog_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        fs::create_dir(root.join("roles")).expect("mkdir");
        fs::write(root.join("roles/cto.toml"), "").expect("write");
        fs::write(root.join("roles/.cto.toml.swp"), "").expect("write");
        fs::write(root.join("roles/cto.toml~"), "").expect("write");
        fs::write(root.join("roles/#cto.toml#"), "").expect("write");
        fs::write(root.join(".hidden.toml"), "").expect("write");
        symlink("user@host.1234:1700000000", root.join("roles/.#cto.toml")).expect("lock");
        assert_eq!(listed(root), [("roles/cto.toml".into(), "file".into())]);
    }

    #[test]
    fn links_are_followed_once_and_dangling_ones_reported() {
        let shared = tempfile::tempdir().expect("tempdir");
        fs::write(shared.path().join("cto.toml"), "").expect("write");
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        symlink(shared.path(), root.join("roles")).expect("link dir");
        symlink(root, shared.path().join("loop")).expect("loop");
        symlink(root.join("missing.toml"), root.join("kpis.toml")).expect("dangling");
        assert_eq!(
            listed(root),
            [
                ("kpis.toml".to_string(), "dangling".to_string()),
                ("roles/cto.toml".to_string(), "file".to_string()),
            ]
        );
        let (_, problems) = list_catalog_files(root).expect("listed");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("roles/loop/"), "{problems:?}");
    }

    #[test]
    fn special_files_are_reported_and_never_opened() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("framework.toml");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo");
        assert!(status.success());
        symlink("/dev/zero", dir.path().join("skills.toml")).expect("link");
        let (entries, _) = list_catalog_files(dir.path()).expect("listed");
        let problems: Vec<_> = entries
            .iter()
            .map(|e| read_entry(e).problem().map(|p| p.code))
            .collect();
        assert_eq!(problems, [Some("not-a-file"), Some("not-a-file")]);
    }

    #[test]
    fn a_file_over_the_limit_is_refused_without_being_read_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("kpis.toml");
        let file = File::create(&path).expect("create");
        file.set_len(MAX_FILE_BYTES * 64).expect("sparse");
        let (entries, _) = list_catalog_files(dir.path()).expect("listed");
        let source = read_entry(&entries[0]);
        assert_eq!(source.problem().map(|p| p.code), Some("file-too-large"));
        assert!(source.text.is_empty());
    }

    #[test]
    fn invalid_utf8_is_located_at_its_first_bad_byte() {
        let source = source_from_bytes(
            "kpis.toml".into(),
            b"a = \"ok\"\nb = \"\xff\xfe\"\n".to_vec(),
        );
        let problem = source.problem().expect("a problem");
        assert_eq!(problem.code, "not-utf8");
        assert_eq!(problem.span.start, 14);
        assert_eq!(source.line_col(problem.span.start), (2, 6));
    }
}
