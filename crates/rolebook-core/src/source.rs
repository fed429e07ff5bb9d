//! The text of a catalog's files, and the mapping from byte offsets to the
//! line and column a person sees.
//!
//! Parsing works on [`Sources`] held in memory, so it is testable without a
//! file system; [`Sources::from_dir`] is the one place that reads files.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Index of a file inside [`Sources`].
pub type FileId = usize;

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the catalog root, with `/` separators
    /// (`roles/sre-manager.toml`).
    pub path: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// One-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |prefix| prefix.chars().count());
        (line + 1, column + 1)
    }

    /// The full text of the one-based line `line`, without its newline.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self
            .line_starts
            .get(line - 1)
            .copied()
            .unwrap_or(self.text.len());
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |next| next - 1);
        self.text
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches('\r')
    }

    pub fn line_starts(&self) -> &[usize] {
        &self.line_starts
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
        Sources { root: None, files }
    }

    /// Reads every `.toml` file under `dir` (recursively). Files that are
    /// not valid UTF-8 are kept with lossy text so validation can report them.
    pub fn from_dir(dir: &Path) -> Result<Self, ReadError> {
        if !dir.is_dir() {
            return Err(ReadError::NotADirectory(dir.to_path_buf()));
        }
        let mut files = Vec::new();
        collect_toml_files(dir, dir, &mut files)?;
        let mut sources = Sources::new(files);
        sources.root = Some(dir.to_path_buf());
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

fn collect_toml_files(root: &Path, dir: &Path, out: &mut Vec<SourceFile>) -> Result<(), ReadError> {
    let read_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ReadError::Io { path, source }
    };
    let entries = fs::read_dir(dir).map_err(read_err(dir))?;
    for entry in entries {
        let entry = entry.map_err(read_err(dir))?;
        let path = entry.path();
        let file_type = entry.file_type().map_err(read_err(&path))?;
        if file_type.is_dir() {
            // Hidden directories (.git, editors' folders) are never catalog content.
            if !entry.file_name().to_string_lossy().starts_with('.') {
                collect_toml_files(root, &path, out)?;
            }
        } else if path.extension().is_some_and(|ext| ext == "toml") {
            let bytes = fs::read(&path).map_err(read_err(&path))?;
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let relative = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push(SourceFile::new(
                relative,
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
    }
    Ok(())
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
