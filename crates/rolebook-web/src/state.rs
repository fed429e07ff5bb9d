//! The catalog the server is showing: an immutable snapshot, swapped
//! atomically when the catalog directory changes.
//!
//! Every request takes one [`Snapshot`] (an `Arc`) and uses it to the end,
//! so a reload never shows a page half old, half new. A reload that finds
//! errors keeps the last good catalog and records the problem in the new
//! snapshot, which pages show as a banner to those who may see it.
//! Rendered pages are cached inside the snapshot, so a swap also drops
//! every cached page.
//!
//! Each catalog version is served as one snapshot per [`Audience`],
//! swapped together: the same catalog, views and report, each with its own
//! page cache. A page is rendered from the snapshot of the request's
//! audience, so the view builders know nothing of requests, a cached page
//! never reaches the other audience, and the cached path stays one lookup.
//! A snapshot also says what its pages publish ([`Publication`]).
//!
//! What is derived from a catalog (the search engine, the career index and
//! graph) is built once per catalog in [`Views`] and shared by every
//! snapshot that serves that catalog, so no request rebuilds it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use arc_swap::ArcSwap;
use rolebook_career::{Career, CareerGraph};
use rolebook_core::{Catalog, CatalogSource, Loaded, diagnostic};

use crate::audience::Audience;
use crate::cache::PageCache;
use crate::provider::{CatalogProvider, LoadError};
use crate::publication::{Downloads, Publication};
use crate::search::SearchService;

self_cell::self_cell!(
    /// The career index of a catalog, owning the catalog it borrows.
    struct CareerCell {
        owner: Arc<Catalog>,
        #[covariant]
        dependent: Career,
    }
    impl {Debug}
);

self_cell::self_cell!(
    /// The career graph over a [`CareerCell`], owning the index it borrows.
    struct GraphCell {
        owner: CareerCell,
        #[covariant]
        dependent: CareerGraph,
    }
    impl {Debug}
);

/// Everything derived from one catalog, built once when it is loaded.
#[derive(Debug)]
pub struct Views {
    pub search: SearchService,
    career: GraphCell,
}

impl Views {
    pub fn build(catalog: &Arc<Catalog>) -> Self {
        let career = CareerCell::new(catalog.clone(), |catalog| Career::new(catalog));
        Views {
            search: SearchService::build(catalog),
            career: GraphCell::new(career, |cell| CareerGraph::new(cell.borrow_dependent())),
        }
    }
}

/// A problem with the catalog files that the server is working around by
/// serving the last good catalog.
#[derive(Debug, Clone)]
pub struct Problem {
    /// One line for the banner.
    pub summary: String,
    pub error_count: usize,
    pub since: SystemTime,
}

/// What the last load of the catalog reported, for `/admin/diagnostics`.
#[derive(Debug, Clone)]
pub struct LoadReport {
    /// Diagnostics as a compiler prints them (plain text, not yet escaped).
    pub rendered: String,
    pub errors: usize,
    pub warnings: usize,
    pub at: SystemTime,
}

/// One consistent view of the catalog, with everything derived from it.
#[derive(Debug)]
pub struct Snapshot {
    pub catalog: Arc<Catalog>,
    /// Increases by one on every swap.
    pub generation: u64,
    /// The provider's public label: never a path on the server.
    pub source_label: String,
    /// The workspace version the catalog was loaded from; `None` for
    /// catalog files.
    pub version: Option<u64>,
    /// Set while the catalog files have errors and an older catalog is
    /// being served.
    pub problem: Option<Problem>,
    pub report: LoadReport,
    /// Who its pages are for: whether they show [`Snapshot::problem`].
    pub audience: Audience,
    /// What its pages list and link.
    pub publication: Arc<Publication>,
    /// Which downloads its pages link: all for a server's whole catalog
    /// (it answers them only then), what a static site writes, none
    /// otherwise.
    pub downloads: Downloads,
    views: Arc<Views>,
    pub(crate) cache: PageCache,
}

impl Snapshot {
    fn new(
        catalog: Arc<Catalog>,
        views: Arc<Views>,
        generation: u64,
        source_label: String,
        problem: Option<Problem>,
        report: LoadReport,
    ) -> Self {
        Snapshot {
            catalog,
            generation,
            source_label,
            version: None,
            problem,
            report,
            audience: Audience::MAINTAINERS,
            publication: Arc::new(Publication::everything()),
            downloads: Downloads::All,
            views,
            cache: PageCache::default(),
        }
    }

    /// The same catalog version for `audience`, with a page cache of its
    /// own.
    fn for_audience(&self, audience: Audience) -> Self {
        Snapshot {
            catalog: self.catalog.clone(),
            generation: self.generation,
            source_label: self.source_label.clone(),
            version: self.version,
            problem: self.problem.clone(),
            report: self.report.clone(),
            audience,
            publication: self.publication.clone(),
            downloads: self.downloads,
            views: self.views.clone(),
            cache: PageCache::default(),
        }
    }

    /// The problem its pages show on a banner: the catalog's, when its
    /// audience may see it.
    pub fn shown_problem(&self) -> Option<&Problem> {
        self.problem
            .as_ref()
            .filter(|_| self.audience.may_see_diagnostics())
    }

    /// The same snapshot publishing only what `publication` does.
    /// The files the server makes come from the whole catalog, so a
    /// part of it offers none until [`Snapshot::with_downloads`] says what
    /// a static site writes for it.
    pub fn with_publication(self, publication: Publication) -> Self {
        let downloads = if publication.is_everything() {
            self.downloads
        } else {
            Downloads::None
        };
        Snapshot {
            publication: Arc::new(publication),
            downloads,
            ..self
        }
    }

    /// The same snapshot with pages that link `downloads`.
    pub fn with_downloads(self, downloads: Downloads) -> Self {
        Snapshot { downloads, ..self }
    }

    /// The search engine and title resolver of this snapshot's catalog.
    pub fn search(&self) -> &SearchService {
        &self.views.search
    }

    /// The catalog indexed for career analysis (gaps, diffs, assessments).
    pub fn career(&self) -> &Career<'_> {
        self.views.career.borrow_owner().borrow_dependent()
    }

    /// The career graph: moves, paths, neighbourhoods.
    pub fn graph(&self) -> &CareerGraph<'_> {
        self.views.career.borrow_dependent()
    }

    /// A snapshot of a valid catalog that is rendered but not served (the
    /// static site): for the public, no reloads, no problem, nothing
    /// reported.
    pub fn offline(catalog: Catalog, source_label: String) -> Self {
        let catalog = Arc::new(catalog);
        let views = Arc::new(Views::build(&catalog));
        let report = LoadReport {
            rendered: String::new(),
            errors: 0,
            warnings: 0,
            at: SystemTime::now(),
        };
        Snapshot {
            audience: Audience::PUBLIC,
            downloads: Downloads::None,
            ..Snapshot::new(catalog, views, 1, source_label, None, report)
        }
    }
}

/// One catalog version as each audience is served it, by
/// [`Audience::index`].
#[derive(Debug)]
struct Served {
    by_audience: [Arc<Snapshot>; 4],
}

impl Served {
    fn new(snapshot: Snapshot) -> Self {
        Served {
            by_audience: Audience::ALL.map(|audience| Arc::new(snapshot.for_audience(audience))),
        }
    }
}

/// What a reload did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReloadOutcome {
    /// The new catalog is being served.
    Loaded { roles: usize, warnings: usize },
    /// The files have errors (or could not be read); the last good catalog
    /// is still served.
    Kept { errors: usize },
}

#[derive(Debug)]
struct Inner {
    provider: Arc<dyn CatalogProvider>,
    current: ArcSwap<Served>,
    generation: AtomicU64,
    /// Serialises reloads so two never interleave their swaps.
    reload_lock: std::sync::Mutex<()>,
    /// The workspace's accounts, for finding who a request is from.
    auth: crate::auth::Auth,
}

/// Shared application state: cheap to clone, one per server.
#[derive(Debug, Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

impl AppState {
    /// Loads the catalog; fails when it cannot be read or has errors,
    /// because there is no last good catalog to fall back on yet.
    pub fn load(provider: impl CatalogProvider) -> Result<Self, LoadError> {
        let (loaded, version) = provider.load_versioned()?;
        Self::from_loaded_version(provider, loaded, version)
    }

    /// State for a catalog that has already been loaded.
    pub fn from_loaded(provider: impl CatalogProvider, loaded: Loaded) -> Result<Self, LoadError> {
        Self::from_loaded_version(provider, loaded, None)
    }

    /// State for a catalog that has already been loaded from `version` of
    /// a workspace.
    pub fn from_loaded_version(
        provider: impl CatalogProvider,
        mut loaded: Loaded,
        version: Option<u64>,
    ) -> Result<Self, LoadError> {
        let Some(catalog) = loaded.catalog.take() else {
            return Err(LoadError::Invalid(Box::new(loaded)));
        };
        let report = report_of(&mut loaded, &provider);
        let catalog = Arc::new(catalog);
        let views = Arc::new(Views::build(&catalog));
        let snapshot = Snapshot {
            version,
            ..Snapshot::new(catalog, views, 1, provider.public_label(), None, report)
        };
        let auth = crate::auth::Auth::new(
            provider
                .workspace()
                .map(|ws| rolebook_accounts::Accounts::new(ws.db().clone())),
        );
        Ok(AppState {
            inner: Arc::new(Inner {
                provider: Arc::new(provider),
                current: ArcSwap::from_pointee(Served::new(snapshot)),
                generation: AtomicU64::new(1),
                reload_lock: std::sync::Mutex::new(()),
                auth,
            }),
        })
    }

    /// The built-in catalog, which is always valid.
    pub fn builtin() -> Result<Self, LoadError> {
        Self::load(CatalogSource::Builtin)
    }

    /// How requests are authenticated: set once, before serving.
    pub fn with_auth(self, config: crate::auth::AuthConfig) -> Self {
        self.inner.auth.configure(config);
        self
    }

    /// The accounts and who requests are from.
    pub fn auth(&self) -> &crate::auth::Auth {
        &self.inner.auth
    }

    /// Where the catalog comes from.
    pub fn provider(&self) -> Arc<dyn CatalogProvider> {
        self.inner.provider.clone()
    }

    /// The current snapshot as its maintainers see it: the catalog and
    /// its problems. Pages use [`AppState::snapshot_for`] the request's
    /// audience.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot_for(Audience::MAINTAINERS)
    }

    /// The current snapshot for `audience`, to use for one request.
    pub fn snapshot_for(&self, audience: Audience) -> Arc<Snapshot> {
        self.inner.current.load().by_audience[audience.index()].clone()
    }

    /// Reads the catalog again and swaps it in when valid. Blocking: reads
    /// files, so call it off the async workers.
    pub fn reload(&self) -> ReloadOutcome {
        let _guard = self
            .inner
            .reload_lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let previous = self.snapshot();
        let generation = self.inner.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let provider = self.inner.provider.as_ref();
        let label = provider.public_label();
        // A catalog that cannot be served keeps the last good one, with the
        // problem on a banner; a problem that persists keeps its start.
        let keep = |summary: String, errors: usize, report: LoadReport| {
            let problem = Problem {
                summary,
                error_count: errors,
                since: previous
                    .problem
                    .as_ref()
                    .map_or_else(SystemTime::now, |p| p.since),
            };
            let snapshot = Snapshot {
                // The catalog served is still the previous one.
                version: previous.version,
                ..Snapshot::new(
                    previous.catalog.clone(),
                    previous.views.clone(),
                    generation,
                    label.clone(),
                    Some(problem),
                    report,
                )
            };
            (snapshot, ReloadOutcome::Kept { errors })
        };
        let (snapshot, outcome) = match provider.load_versioned() {
            Ok((mut loaded, version)) => {
                let report = report_of(&mut loaded, provider);
                match loaded.catalog {
                    Some(catalog) => {
                        let outcome = ReloadOutcome::Loaded {
                            roles: catalog.roles().len(),
                            warnings: report.warnings,
                        };
                        let catalog = Arc::new(catalog);
                        let views = Arc::new(Views::build(&catalog));
                        let snapshot = Snapshot {
                            version,
                            ..Snapshot::new(catalog, views, generation, label.clone(), None, report)
                        };
                        (snapshot, outcome)
                    }
                    None => {
                        let errors = report.errors;
                        let summary = format!(
                            "The catalog files have {}; showing the last valid version.",
                            plural(errors, "error", "errors")
                        );
                        keep(summary, errors, report)
                    }
                }
            }
            Err(error) => {
                let message = redact(&error.to_string(), provider);
                let report = LoadReport {
                    rendered: format!("error: {message}\n"),
                    errors: 1,
                    warnings: 0,
                    at: SystemTime::now(),
                };
                keep(
                    format!("{message}; showing the last valid version."),
                    1,
                    report,
                )
            }
        };
        self.inner.current.store(Arc::new(Served::new(snapshot)));
        outcome
    }
}

/// What `loaded` reported, its files named under the provider's public
/// label rather than the directory's path.
fn report_of(loaded: &mut Loaded, provider: &dyn CatalogProvider) -> LoadReport {
    if loaded.sources.root.is_some() {
        loaded.sources.root = Some(provider.public_label().into());
    }
    let errors = loaded.error_count();
    LoadReport {
        rendered: diagnostic::render(&loaded.sources, &loaded.diagnostics, false),
        errors,
        warnings: loaded.diagnostics.len() - errors,
        at: SystemTime::now(),
    }
}

/// `text` with the provider's full label (a directory's path) replaced by
/// its public one.
fn redact(text: &str, provider: &dyn CatalogProvider) -> String {
    let (full, public) = (provider.label(), provider.public_label());
    if full.is_empty() || full == public {
        text.to_string()
    } else {
        text.replace(&full, &public)
    }
}

pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}
