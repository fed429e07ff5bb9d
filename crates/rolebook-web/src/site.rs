//! The catalog as a static website (`rolebook build`): the server's pages
//! rendered to files that work from any static host or a file share.
//!
//! The same handlers' page builders and templates render both; only links
//! differ. Templates write every link through the [`Layout`] helpers, which
//! keep site paths (`/roles/cto`) for the server and write relative file
//! names (`../roles/cto.html`) for the static site: file shares resolve
//! neither absolute paths nor directory URLs, so every link names a file.
//!
//! What needs the server is left out of the static pages or becomes links
//! to pages rendered in advance: the compare picker becomes one page per
//! career move the catalog declares, the career explorer has no picker and
//! no path planner, search runs in the browser over `search-index.js` (a
//! script rather than fetched JSON: browsers refuse `fetch` from `file://`
//! URLs), and there is no banner, no diagnostics page and no API link.
//!
//! [`static_routes`] lists the pages and [`StaticSite::render`] renders one
//! at a time, so a caller can show progress and spread pages over threads.
//!
//! A site publishes what its snapshot's
//! [`Publication`](crate::publication::Publication) does (`rolebook build
//! --roles`): only those roles' pages, and the skills and KPIs they use,
//! are listed, written and indexed; the pages name the roles left out as
//! plain text, never as links to files that are not there.
//!
//! The site writes the server's downloads too ([`static_downloads`],
//! [`StaticSite::export`]), at the same paths, from `rolebook-export` as
//! `rolebook export` does: for a whole catalog the same bytes, for a part
//! of it files that name only its roles ([`Scope::Roles`]). Pages link
//! the formats the snapshot's [`Downloads`] says are written.

use std::sync::OnceLock;

use askama::Template;
use rolebook_core::Catalog;
use rolebook_core::suggest::is_kebab_case;
use rolebook_export::tables::{CatalogTables, SHEETS, Sheet, sheets_in, to_xlsx};
use rolebook_export::{
    ExportError, RoleFormat, Scope, export_kpi_in, export_role, export_skill_in,
};
use serde::Serialize;

use crate::error::AppError;
pub use crate::publication::{Downloads, Publication, Selection, SelectionError};
use crate::search::HitKind;
pub use crate::state::Snapshot;
pub use crate::views::Links;
use crate::views::compare::published_moves;
pub use crate::views::downloads::Kind;
use crate::views::downloads::{CATALOG_JSON, CATALOG_XLSX, document_path, table_path};
use crate::views::{self, Layout, static_file};

/// Where the client-side search index is written, as a site path.
pub const SEARCH_INDEX: &str = "/static/search-index.js";

// ------------------------------------------------------------------ routes

/// One page of the static site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Home,
    Skills,
    Kpis,
    /// The list of comparisons.
    Compare,
    /// The career explorer's index: every role.
    Career,
    Search,
    Role(String),
    Skill(String),
    Kpi(String),
    /// The career graph and moves around a role.
    CareerOf(String),
    /// Two roles side by side, `from` as the baseline: one page per move
    /// the catalog declares.
    CompareMove {
        from: String,
        to: String,
    },
}

impl Route {
    /// The page's site path, as the server routes it.
    pub fn path(&self) -> String {
        match self {
            Route::Home => "/".to_string(),
            Route::Skills => "/skills".to_string(),
            Route::Kpis => "/kpis".to_string(),
            Route::Compare => "/compare".to_string(),
            Route::Career => "/career".to_string(),
            Route::Search => "/search".to_string(),
            Route::Role(id) => format!("/roles/{id}"),
            Route::Skill(id) => format!("/skills/{id}"),
            Route::Kpi(id) => format!("/kpis/{id}"),
            Route::CareerOf(id) => format!("/career/{id}"),
            Route::CompareMove { from, to } => format!("/compare?roles={from},{to}"),
        }
    }

    /// The file the page is written to, relative to the site root.
    pub fn file(&self) -> String {
        static_file(&self.path()).unwrap_or_else(|| "index.html".to_string())
    }

    /// The ids in the route, which become file names.
    fn ids(&self) -> Vec<&str> {
        match self {
            Route::Role(id) | Route::Skill(id) | Route::Kpi(id) | Route::CareerOf(id) => {
                vec![id]
            }
            Route::CompareMove { from, to } => vec![from, to],
            _ => Vec::new(),
        }
    }
}

/// Every page of the static site of `snap`: the home page, the skill,
/// KPI, compare and career indexes, the search page, the page of every
/// role, skill and KPI it publishes, the career page of every published
/// role and a comparison per career move declared between two of them.
pub fn static_routes(snap: &Snapshot) -> Vec<Route> {
    let catalog = &snap.catalog;
    let publication = &snap.publication;
    let mut routes = vec![
        Route::Home,
        Route::Skills,
        Route::Kpis,
        Route::Compare,
        Route::Career,
        Route::Search,
    ];
    let roles = publication.roles(catalog);
    routes.extend(roles.iter().map(|r| Route::Role(r.id.to_string())));
    routes.extend(
        publication
            .skills(catalog)
            .iter()
            .map(|s| Route::Skill(s.id.to_string())),
    );
    routes.extend(
        publication
            .kpis(catalog)
            .iter()
            .map(|k| Route::Kpi(k.id.to_string())),
    );
    routes.extend(roles.iter().map(|r| Route::CareerOf(r.id.to_string())));
    let roles = catalog.roles();
    routes.extend(
        published_moves(snap)
            .into_keys()
            .map(|(from, to)| Route::CompareMove {
                from: roles[from].id.to_string(),
                to: roles[to].id.to_string(),
            }),
    );
    routes
}

// ---------------------------------------------------------------- downloads

/// One downloadable file of the static site, at the path the server
/// answers it on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Download {
    /// A role, skill or KPI in one format.
    Document {
        kind: Kind,
        id: String,
        format: RoleFormat,
    },
    /// `catalog.xlsx`: every table, a sheet each.
    Workbook,
    /// `catalog.json`: the tables in long form.
    TablesJson,
    /// `catalog/<table>.csv`, by its index in [`SHEETS`].
    Table(usize),
}

impl Download {
    /// The file's site path, as the server routes it.
    pub fn path(&self) -> String {
        match self {
            Download::Document { kind, id, format } => document_path(*kind, id, *format),
            Download::Workbook => CATALOG_XLSX.to_string(),
            Download::TablesJson => CATALOG_JSON.to_string(),
            Download::Table(index) => table_path(SHEETS.get(*index).map_or("", |(_, f)| f)),
        }
    }

    /// The file it is written to, relative to the site root.
    pub fn file(&self) -> String {
        static_file(&self.path()).unwrap_or_default()
    }

    /// Whether it is a PDF: typesetting one takes far longer than any
    /// other file or page (about 0.1 s in a release build).
    pub fn is_pdf(&self) -> bool {
        matches!(
            self,
            Download::Document {
                format: RoleFormat::Pdf,
                ..
            }
        )
    }
}

/// Every file the pages of `snap` offer for download: each published
/// role, skill and KPI in each format of `snap.downloads`, and the
/// catalog's tables; nothing when it offers none. PDFs come first, so
/// that threads taking work in this order finish together.
pub fn static_downloads(snap: &Snapshot) -> Vec<Download> {
    let offer = snap.downloads;
    if !offer.any() {
        return Vec::new();
    }
    let catalog = &snap.catalog;
    let publication = &snap.publication;
    let mut things: Vec<(Kind, String)> = Vec::new();
    things.extend(
        publication
            .roles(catalog)
            .iter()
            .map(|r| (Kind::Role, r.id.to_string())),
    );
    things.extend(
        publication
            .skills(catalog)
            .iter()
            .map(|s| (Kind::Skill, s.id.to_string())),
    );
    things.extend(
        publication
            .kpis(catalog)
            .iter()
            .map(|k| (Kind::Kpi, k.id.to_string())),
    );
    let mut files: Vec<Download> = offer
        .formats()
        .flat_map(|format| {
            things.iter().map(move |(kind, id)| Download::Document {
                kind: *kind,
                id: id.clone(),
                format,
            })
        })
        .collect();
    files.extend([Download::Workbook, Download::TablesJson]);
    files.extend((0..SHEETS.len()).map(Download::Table));
    files.sort_by_key(|file| !file.is_pdf());
    files
}

// ---------------------------------------------------------------- rendering

/// A rendered page: where it goes and what it holds.
#[derive(Debug, Clone)]
pub struct Page {
    /// Relative to the site root, `/`-separated.
    pub file: String,
    pub html: String,
}

/// Why a page of the static site could not be rendered.
#[derive(Debug, thiserror::Error)]
#[error("cannot render {path}: {message}")]
pub struct RenderError {
    pub path: String,
    pub message: String,
}

impl RenderError {
    fn new(route: &Route, error: AppError) -> Self {
        RenderError {
            path: route.path(),
            message: match error {
                // The detail the server only logs is what a build must say.
                AppError::Internal(detail) => detail,
                other => other.to_string(),
            },
        }
    }
}

#[derive(Template)]
#[template(path = "site-search.html")]
struct SearchPage {
    layout: Layout,
}

/// Renders the pages and downloads of the static site for one catalog
/// snapshot. The career graph is the snapshot's, shared by every career
/// and compare page; the catalog's tables are computed once, by the first
/// file that needs them. `Sync`: pages and files may be made from several
/// threads.
#[derive(Debug)]
pub struct StaticSite<'a> {
    snap: &'a Snapshot,
    tables: OnceLock<(CatalogTables, Vec<Sheet>)>,
}

impl<'a> StaticSite<'a> {
    pub fn new(snap: &'a Snapshot) -> Self {
        StaticSite {
            snap,
            tables: OnceLock::new(),
        }
    }

    /// The bytes of one download: `rolebook-export`'s, as the server and
    /// `rolebook export` make them; for a part of the catalog, naming only
    /// its published roles.
    pub fn export(&self, download: &Download) -> Result<Vec<u8>, RenderError> {
        let snap = self.snap;
        let catalog = &snap.catalog;
        let publication = &snap.publication;
        let keep = |id: &str| publication.has_role(id);
        let scope = if publication.is_everything() {
            Scope::Catalog
        } else {
            Scope::Roles(&keep)
        };
        let failed = |message: String| RenderError {
            path: download.path(),
            message,
        };
        let unknown = || failed("not published".to_string());
        let tables = || {
            self.tables.get_or_init(|| {
                let tables = CatalogTables::new_in(catalog, scope);
                let sheets = sheets_in(catalog, &tables, scope);
                (tables, sheets)
            })
        };
        let bytes: Result<Vec<u8>, ExportError> = match download {
            Download::Document { kind, id, format } => {
                if !is_kebab_case(id) {
                    return Err(failed(format!("the id `{id}` cannot be a file name")));
                }
                match kind {
                    Kind::Role => {
                        let role = catalog
                            .role(id)
                            .filter(|_| publication.has_role(id))
                            .ok_or_else(unknown)?;
                        export_role(catalog, role, *format)
                    }
                    Kind::Skill => {
                        let skill = catalog
                            .skill(id)
                            .filter(|_| publication.has_skill(id))
                            .ok_or_else(unknown)?;
                        export_skill_in(catalog, skill, *format, scope)
                    }
                    Kind::Kpi => {
                        let kpi = catalog
                            .kpi(id)
                            .filter(|_| publication.has_kpi(id))
                            .ok_or_else(unknown)?;
                        export_kpi_in(catalog, kpi, *format, scope)
                    }
                }
            }
            Download::Workbook => to_xlsx(catalog, &tables().1),
            Download::TablesJson => tables().0.to_json(),
            Download::Table(index) => {
                let sheet = tables().1.get(*index).ok_or_else(unknown)?;
                sheet.to_csv().map(String::into_bytes)
            }
        };
        bytes.map_err(|e| failed(e.to_string()))
    }

    pub fn render(&self, route: &Route) -> Result<Page, RenderError> {
        if let Some(bad) = route.ids().into_iter().find(|id| !is_kebab_case(id)) {
            // A valid catalog has only kebab-case ids; anything else could
            // name a file outside the site.
            return Err(RenderError {
                path: route.path(),
                message: format!("the id `{bad}` cannot be a file name"),
            });
        }
        let file = route.file();
        let links = Links::for_file(&file);
        let snap = self.snap;
        let page = match route {
            Route::Home => views::catalog::home_page(snap, links),
            Route::Skills => views::catalog::skills_index_page(snap, links),
            Route::Kpis => views::catalog::kpis_index_page(snap, links),
            Route::Compare => views::compare::compare_page(snap, links, &[]),
            Route::Career => views::career::career_page(snap, links, None, 1, None, false),
            Route::Search => views::render(&SearchPage {
                layout: Layout::new(snap, "Search", "Search roles, skills and KPIs.", "search")
                    .with_links(links),
            }),
            Route::Role(id) => views::catalog::role_page(snap, links, id),
            Route::Skill(id) => views::catalog::skill_page(snap, links, id),
            Route::Kpi(id) => views::catalog::kpi_page(snap, links, id),
            Route::CareerOf(id) => {
                views::career::career_page(snap, links, Some(id), 1, None, false)
            }
            Route::CompareMove { from, to } => {
                views::compare::compare_page(snap, links, &[from.clone(), to.clone()])
            }
        }
        .map_err(|e| RenderError::new(route, e))?;
        let html = String::from_utf8(page.body.to_vec()).map_err(|e| RenderError {
            path: route.path(),
            message: e.to_string(),
        })?;
        Ok(Page { file, html })
    }
}

/// The snapshot a static site of the whole catalog is rendered from, with
/// no downloads (see [`published_snapshot`] for those). `source_label` is
/// shown in the footer; make it something readers may see (not a local
/// path).
pub fn snapshot(catalog: Catalog, source_label: String) -> Snapshot {
    Snapshot::offline(catalog, source_label)
}

/// The snapshot a static site of what `publication` publishes is rendered
/// from (see [`snapshot`]), its pages linking the files `downloads` says
/// the site writes ([`static_downloads`]).
pub fn published_snapshot(
    catalog: Catalog,
    source_label: String,
    publication: Publication,
    downloads: Downloads,
) -> Snapshot {
    Snapshot::offline(catalog, source_label)
        .with_publication(publication)
        .with_downloads(downloads)
}

// ------------------------------------------------------------------- assets

/// The files every page refers to, by path relative to the site root: the
/// embedded stylesheets, script and icon, [`search_index_js`], the
/// organisation's logo (`brand/logo.svg` or `.png`), and each
/// published role's JSON (`roles/<id>.json`, as `GET /api/v1/roles/<id>`
/// answers).
pub fn assets(snap: &Snapshot) -> Vec<(String, Vec<u8>)> {
    let catalog = &snap.catalog;
    let mut files: Vec<(String, Vec<u8>)> = crate::assets::files()
        .into_iter()
        .map(|(name, bytes)| (format!("static/{name}"), bytes))
        .collect();
    if let Some(file) = static_file(SEARCH_INDEX) {
        files.push((file, search_index_js(snap).into_bytes()));
    }
    // The organisation's logo, where the header's `<img>` finds it.
    if let Some(logo) = catalog.logo()
        && let Some(file) = static_file(&crate::views::logo_path(logo.kind()))
    {
        files.push((file, logo.bytes().to_vec()));
    }
    // Each role's JSON beside its page: the document the API serves, for
    // integrators who only have the published site.
    for role in snap.publication.roles(catalog) {
        if let Some(file) = static_file(&format!("/api/v1/roles/{}", role.id.as_str()))
            && let Ok(json) = serde_json::to_vec_pretty(&rolebook_wire::Role::of(catalog, role))
        {
            files.push((file, json));
        }
    }
    files
}

/// One searchable thing in the client-side index.
#[derive(Debug, Serialize)]
struct IndexEntry {
    /// `role`, `skill` or `kpi`.
    kind: &'static str,
    /// The page, relative to the site root.
    url: String,
    title: String,
    /// Other names (a role's aliases).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    aliases: Vec<String>,
    /// Family and level, or category.
    meta: String,
    summary: String,
}

/// The client-side search index: a script that sets
/// `window.ROLEBOOK_INDEX` to every published role, skill and KPI with its
/// page, names and summary, as search results show them.
pub fn search_index_js(snap: &Snapshot) -> String {
    let catalog = &snap.catalog;
    let mut entries = Vec::new();
    let mut add = |kind: HitKind, id: &str, aliases: Vec<String>| {
        if let Some(views::search::HitDescription {
            title,
            href,
            context: meta,
            summary,
        }) = views::search::describe_hit(catalog, &snap.publication, kind, id)
            && let Some(url) = static_file(&href)
        {
            entries.push(IndexEntry {
                kind: kind.label(),
                url,
                title,
                aliases,
                meta,
                summary,
            });
        }
    };
    for role in catalog.roles() {
        let aliases = role.aliases.iter().map(|a| a.to_string()).collect();
        add(HitKind::Role, &role.id, aliases);
    }
    for skill in catalog.skills() {
        add(HitKind::Skill, &skill.id, Vec::new());
    }
    for kpi in catalog.kpis() {
        add(HitKind::Kpi, &kpi.id, Vec::new());
    }
    // JSON is a JavaScript expression. The file is a script of its own,
    // but `</` is written `<\/` (the same string) all the same, so that the
    // index stays harmless should anyone inline it in a page: text typed
    // into an editor's field cannot close a script element.
    let json = serde_json::to_string(&entries)
        .unwrap_or_else(|_| "[]".to_string())
        .replace("</", "<\\/");
    format!(
        "// rolebook search index: every role, skill and KPI of the published catalog.\nwindow.ROLEBOOK_INDEX = {json};\n"
    )
}

#[cfg(test)]
mod tests {
    use crate::builtin_catalog as catalog;
    use std::collections::BTreeMap;

    use rolebook_career::{Career, CareerGraph, EdgeKind};

    use super::*;
    use crate::views::compare::declared_moves;

    #[test]
    fn declared_moves_match_the_career_graph() {
        let catalog = catalog();
        let career = Career::new(&catalog);
        let graph = CareerGraph::new(&career);
        let from_graph: BTreeMap<(usize, usize), EdgeKind> = graph
            .edges()
            .iter()
            .filter(|e| e.kind != EdgeKind::Implied)
            .map(|e| ((e.from, e.to), e.kind))
            .collect();
        assert!(!from_graph.is_empty());
        assert_eq!(declared_moves(&catalog), from_graph);
    }

    #[test]
    fn routes_have_distinct_files() {
        let routes = static_routes(&snapshot(catalog(), "built-in catalog".into()));
        let mut files: Vec<String> = routes.iter().map(Route::file).collect();
        files.sort();
        files.dedup();
        assert_eq!(files.len(), routes.len());
    }

    #[test]
    fn a_route_with_an_unsafe_id_is_refused() {
        let snap = snapshot(catalog(), "built-in catalog".into());
        let site = StaticSite::new(&snap);
        let error = site
            .render(&Route::Role("../../etc/passwd".into()))
            .expect_err("refused");
        assert!(
            error.to_string().contains("cannot be a file name"),
            "{error}"
        );
        let missing = site
            .render(&Route::Role("no-such-role".into()))
            .expect_err("unknown");
        assert!(missing.to_string().contains("no-such-role"), "{missing}");
    }
}
