//! Where the served catalog comes from. The server asks a
//! [`CatalogProvider`] for the catalog, and on every watch tick for a cheap
//! version stamp; a new stamp means reload. Catalog files (built-in or a
//! directory) are one provider; a workspace ([`WorkspaceProvider`]) is
//! the other, its database behind `rolebook-store`'s API, so this crate
//! writes no SQL.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::time::UNIX_EPOCH;

use rolebook_core::read::EntryState;
use rolebook_core::{CatalogSource, Loaded, load};

/// Why a catalog could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}")]
    Read(String),
    /// The files were read but the catalog has errors. Holds everything the
    /// caller needs to print the diagnostics.
    #[error("the catalog has {} error(s)", .0.error_count())]
    Invalid(Box<Loaded>),
}

pub trait CatalogProvider: Send + Sync + std::fmt::Debug + 'static {
    /// A name for operators, in logs; may be a path on the server.
    fn label(&self) -> String;

    /// A name safe to show anyone: the footer, `/admin/diagnostics` and
    /// `/healthz`, and the root of file names in diagnostics. Never a path
    /// on the server.
    fn public_label(&self) -> String {
        self.label()
    }

    /// Reads and loads the catalog. Blocking: call it off the async workers.
    fn load(&self) -> Result<Loaded, LoadError>;

    /// [`CatalogProvider::load`] with the number of the version it read,
    /// from the same read, for pages to show; `None` when the catalog has
    /// no numbered versions (files). Blocking.
    fn load_versioned(&self) -> Result<(Loaded, Option<u64>), LoadError> {
        self.load().map(|loaded| (loaded, None))
    }

    /// The workspace the catalog comes from, for the workspace API and the
    /// history pages; `None` when it comes from files.
    fn workspace(&self) -> Option<&rolebook_store::Workspace> {
        None
    }

    /// A stamp that changes whenever the catalog may have; `None` when it
    /// cannot be read, which is itself a change to report. Blocking, and
    /// cheap enough to call twice a second.
    fn version(&self) -> Option<u64>;

    /// Whether the catalog can change at all; one that cannot is never
    /// watched.
    fn watched(&self) -> bool {
        true
    }
}

impl CatalogProvider for CatalogSource {
    fn label(&self) -> String {
        CatalogSource::label(self)
    }

    fn public_label(&self) -> String {
        match self {
            CatalogSource::Builtin => CatalogSource::label(self),
            CatalogSource::Dir(dir) => dir_label(dir),
        }
    }

    fn load(&self) -> Result<Loaded, LoadError> {
        self.read()
            .map(load)
            .map_err(|e| LoadError::Read(e.to_string()))
    }

    fn version(&self) -> Option<u64> {
        match self {
            CatalogSource::Builtin => Some(0),
            CatalogSource::Dir(dir) => fingerprint(dir),
        }
    }

    fn watched(&self) -> bool {
        matches!(self, CatalogSource::Dir(_))
    }
}

/// The latest published version of a workspace. Its version stamp is the
/// version number, a one-row read: servers sharing one PostgreSQL database
/// see each other's publishes at the next tick.
#[derive(Debug, Clone)]
pub struct WorkspaceProvider {
    workspace: rolebook_store::Workspace,
    /// The runtime the workspace's connections belong to; its `block_on`
    /// serves the blocking calls of this trait (made off the async
    /// workers, or before serving starts).
    runtime: tokio::runtime::Handle,
}

impl WorkspaceProvider {
    pub fn new(workspace: rolebook_store::Workspace, runtime: tokio::runtime::Handle) -> Self {
        WorkspaceProvider { workspace, runtime }
    }

    pub fn workspace(&self) -> &rolebook_store::Workspace {
        &self.workspace
    }
}

impl CatalogProvider for WorkspaceProvider {
    fn label(&self) -> String {
        let location = self.workspace.location();
        format!(
            "workspace ({}: {})",
            location.engine().name(),
            location.label()
        )
    }

    fn public_label(&self) -> String {
        "workspace".to_string()
    }

    fn load(&self) -> Result<Loaded, LoadError> {
        self.load_versioned().map(|(loaded, _)| loaded)
    }

    fn load_versioned(&self) -> Result<(Loaded, Option<u64>), LoadError> {
        self.runtime
            .block_on(self.workspace.load_latest())
            .map(|(version, loaded)| (loaded, u64::try_from(version).ok()))
            .map_err(|e| LoadError::Read(e.to_string()))
    }

    fn workspace(&self) -> Option<&rolebook_store::Workspace> {
        Some(&self.workspace)
    }

    fn version(&self) -> Option<u64> {
        let latest = self.runtime.block_on(self.workspace.latest_version());
        latest.ok().flatten().and_then(|v| u64::try_from(v).ok())
    }
}

/// A directory's own name, without the path to it.
pub fn dir_label(dir: &Path) -> String {
    match dir.file_name() {
        Some(name) => name.to_string_lossy().into_owned(),
        None => "custom catalog directory".to_string(),
    }
}

/// A digest of every catalog file's path, kind, size and modification
/// time, listed by the loader's own rule ([`rolebook_core::read`]): a
/// change to a hidden or editor file is no change, a symlinked `roles/`
/// is watched through its link. `None` when the directory cannot be read
/// (which is itself a change worth reporting).
pub fn fingerprint(dir: &Path) -> Option<u64> {
    let (entries, problems) = rolebook_core::read::list_catalog_files(dir).ok()?;
    let mut hasher = DefaultHasher::new();
    for entry in &entries {
        entry.relative.hash(&mut hasher);
        match &entry.state {
            EntryState::Regular { len, modified } => {
                let nanos = modified
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                (0u8, *len, nanos).hash(&mut hasher);
            }
            EntryState::Special(kind) => (1u8, *kind).hash(&mut hasher),
            EntryState::Dangling => 2u8.hash(&mut hasher),
            EntryState::Unreadable(error) => (3u8, error.to_string()).hash(&mut hasher),
        }
    }
    for problem in &problems {
        problem.message.hash(&mut hasher);
    }
    Some(hasher.finish())
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
        // The organisation's logo is read by the loader, so it is watched.
        let before = fingerprint(dir.path());
        std::fs::write(dir.path().join("logo.svg"), "<svg/>").expect("write");
        let with_logo = fingerprint(dir.path());
        assert_ne!(with_logo, before);
        std::fs::write(dir.path().join("logo.svg"), "<svg></svg>").expect("write");
        assert_ne!(fingerprint(dir.path()), with_logo);
        assert_eq!(fingerprint(&dir.path().join("missing")), None);
        // Editors' files beside catalog files are not catalog files either.
        let before = fingerprint(dir.path());
        std::fs::write(dir.path().join(".framework.toml.swp"), "x").expect("write");
        std::fs::write(dir.path().join("framework.toml~"), "x").expect("write");
        assert_eq!(fingerprint(dir.path()), before);
    }

    #[test]
    fn public_labels_name_no_path() {
        let source = CatalogSource::Dir("/srv/secret/acme-roles/".into());
        assert_eq!(source.public_label(), "acme-roles");
        assert_eq!(CatalogProvider::label(&source), "/srv/secret/acme-roles/");
        for dir in ["/", ".", "..", "/srv/.."] {
            assert_eq!(
                dir_label(Path::new(dir)),
                "custom catalog directory",
                "{dir}"
            );
        }
        assert_eq!(CatalogSource::Builtin.public_label(), "built-in catalog");
    }
}
