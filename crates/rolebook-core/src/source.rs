//! The text of a catalog's files, and the mapping from byte offsets to the
//! line and column a person sees.
//!
//! Parsing works on [`Sources`] held in memory, so it is testable without a
//! file system; [`Sources::from_dir`] reads them through [`crate::read`],
//! the one place that touches files.

use std::borrow::Cow;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::logo::LogoKind;
use crate::read::{self, FileProblem};

/// Index of a file inside [`Sources`].
pub type FileId = usize;

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the catalog root, with `/` separators
    /// (`roles/sre-manager.toml`).
    pub path: String,
    /// Borrowed for the built-in catalog, which is in the binary: a command
    /// on it does not copy its megabyte of text.
    pub text: Cow<'static, str>,
    /// Byte offset of each line's start, counted the first time a position
    /// is asked for (only diagnostics and editors ask).
    line_starts: OnceLock<Vec<usize>>,
    /// Why the file could not be read as catalog text; such a file is
    /// reported, not parsed.
    problem: Option<FileProblem>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<Cow<'static, str>>) -> Self {
        SourceFile {
            path: path.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
            problem: None,
        }
    }

    pub fn with_problem(mut self, problem: FileProblem) -> Self {
        self.problem = Some(problem);
        self
    }

    /// Why the file's text is not catalog text (special file, not UTF-8, …).
    pub fn problem(&self) -> Option<&FileProblem> {
        self.problem.as_ref()
    }

    /// One-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line_starts = self.line_starts();
        let line = line_starts.partition_point(|&start| start <= offset) - 1;
        let start = line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |prefix| prefix.chars().count());
        (line + 1, column + 1)
    }

    /// The full text of the one-based line `line`, without its newline.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self
            .line_starts()
            .get(line - 1)
            .copied()
            .unwrap_or(self.text.len());
        let end = self
            .line_starts()
            .get(line)
            .map_or(self.text.len(), |next| next - 1);
        self.text
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches('\r')
    }

    pub fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// The file name without directory and extension: a role's expected id.
    pub fn stem(&self) -> &str {
        let name = self.path.rsplit('/').next().unwrap_or(&self.path);
        name.strip_suffix(".toml").unwrap_or(name)
    }
}

/// Every file of one catalog, in sorted path order.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Where the files came from, for messages; `None` for the built-in catalog.
    pub root: Option<PathBuf>,
    files: Vec<SourceFile>,
    /// Directories that could not be read while listing the files.
    pub directory_problems: Vec<String>,
    /// The organisation's logo as read, unchecked (`load` checks it); its
    /// file is also among the files, so that a problem has a place.
    logo: Option<LogoSource>,
}

/// The bytes of `logo.svg` or `logo.png`, from a directory or from
/// anywhere else that holds a catalog (a workspace).
#[derive(Debug, Clone)]
pub struct LogoSource {
    pub kind: LogoKind,
    pub bytes: Vec<u8>,
}

/// Failure to read a catalog directory: the only I/O error the core reports.
#[derive(Debug)]
pub enum ReadError {
    /// The path is missing or is a file.
    NotADirectory(PathBuf),
    Io {
        path: PathBuf,
        source: io::Error,
    },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotADirectory(dir) => write!(
                f,
                "catalog directory `{}` does not exist or is not a directory",
                dir.display()
            ),
            ReadError::Io { path, source } => {
                write!(f, "cannot read {}: {}", path.display(), source)
            }
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::NotADirectory(_) => None,
            ReadError::Io { source, .. } => Some(source),
        }
    }
}

/// Where a catalog comes from: the one embedded in the binary or a
/// directory of TOML files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogSource {
    Builtin,
    Dir(PathBuf),
}

impl CatalogSource {
    /// `--catalog DIR` when given, the built-in catalog otherwise.
    pub fn from_option(dir: Option<&Path>) -> Self {
        dir.map_or(CatalogSource::Builtin, |d| {
            CatalogSource::Dir(d.to_path_buf())
        })
    }

    /// A short name for people: "built-in catalog" or the directory.
    pub fn label(&self) -> String {
        match self {
            CatalogSource::Builtin => "built-in catalog".to_string(),
            CatalogSource::Dir(dir) => dir.display().to_string(),
        }
    }

    /// The catalog's files, in memory.
    pub fn read(&self) -> Result<Sources, ReadError> {
        match self {
            CatalogSource::Builtin => Ok(crate::builtin::sources()),
            CatalogSource::Dir(dir) => Sources::from_dir(dir),
        }
    }
}

impl Sources {
    pub fn new(files: impl IntoIterator<Item = SourceFile>) -> Self {
        let mut files: Vec<SourceFile> = files.into_iter().collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Sources {
            root: None,
            files,
            directory_problems: Vec::new(),
            logo: None,
        }
    }

    /// The same sources with `bytes` as the organisation's logo. Its file
    /// (`logo.svg`, `logo.png`) joins the files so that `load` can point at
    /// it; an SVG's text is its content, so a problem shows its line.
    pub fn with_logo(mut self, kind: LogoKind, bytes: Vec<u8>) -> Self {
        let text = match kind {
            LogoKind::Svg => String::from_utf8_lossy(&bytes).into_owned(),
            LogoKind::Png => String::new(),
        };
        self.insert(SourceFile::new(kind.file_name(), text));
        self.logo = Some(LogoSource { kind, bytes });
        self
    }

    /// The logo as read, when the catalog has one.
    pub fn logo(&self) -> Option<&LogoSource> {
        self.logo.as_ref()
    }

    /// Adds a file in path order (replacing one of the same path).
    fn insert(&mut self, file: SourceFile) {
        self.files.retain(|f| f.path != file.path);
        let at = self.files.partition_point(|f| f.path < file.path);
        self.files.insert(at, file);
    }

    /// Reads every catalog file under `dir` by the rule in [`crate::read`].
    /// A file that cannot be catalog text (a FIFO, a dangling link, too
    /// large, not UTF-8) is kept with its problem, for `load` to report at
    /// its place; only an unreadable `dir` fails the whole read.
    pub fn from_dir(dir: &Path) -> Result<Self, ReadError> {
        let (entries, problems) = read::list_catalog_files(dir)?;
        let (logos, entries): (Vec<_>, Vec<_>) =
            entries.iter().partition(|e| e.logo_kind().is_some());
        let mut sources = Sources::new(entries.into_iter().map(read::read_entry));
        // `logo.svg` first: with both files it is the logo, and `load`
        // reports `logo.png`.
        for entry in logos.into_iter().rev() {
            let Some(kind) = entry.logo_kind() else {
                continue;
            };
            match read::read_logo(entry) {
                Ok(bytes) if sources.logo.is_none() => sources = sources.with_logo(kind, bytes),
                Ok(_) => sources.insert(SourceFile::new(kind.file_name(), String::new())),
                Err(problem) => sources.insert(*problem),
            }
        }
        sources.root = Some(dir.to_path_buf());
        sources.directory_problems = problems.into_iter().map(|p| p.message).collect();
        Ok(sources)
    }

    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id]
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate()
    }

    pub fn find(&self, path: &str) -> Option<FileId> {
        self.files.iter().position(|file| file.path == path)
    }

    /// The path to show for a file: under the catalog root when there is one.
    pub fn display_path(&self, id: FileId) -> String {
        match &self.root {
            Some(root) => root.join(&self.files[id].path).display().to_string(),
            None => format!("<built-in>/{}", self.files[id].path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_is_one_based_and_counts_characters() {
        let file = SourceFile::new("a.toml", "ab\nçd = 1\n");
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(3), (2, 1));
        // 'ç' is two bytes but one column.
        assert_eq!(file.line_col(5), (2, 2));
        assert_eq!(file.line_text(2), "çd = 1");
        assert_eq!(file.line_col(999), (3, 1));
    }

    #[test]
    fn stem_is_the_file_name_without_extension() {
        assert_eq!(
            SourceFile::new("roles/sre-manager.toml", "").stem(),
            "sre-manager"
        );
    }
}
