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

use askama::Template;
use rolebook_core::Catalog;
use rolebook_core::suggest::is_kebab_case;
use serde::Serialize;

use crate::error::AppError;
pub use crate::publication::{Publication, Selection, SelectionError};
use crate::search::HitKind;
pub use crate::state::Snapshot;
pub use crate::views::Links;
use crate::views::compare::published_moves;
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

/// Renders the pages of the static site for one catalog snapshot. Builds
/// the career graph once, which every career and compare page shares.
/// `Sync`: pages may be rendered from several threads.
#[derive(Debug)]
pub struct StaticSite<'a> {
    snap: &'a Snapshot,
}

impl<'a> StaticSite<'a> {
    pub fn new(snap: &'a Snapshot) -> Self {
        StaticSite { snap }
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
            Route::Career => views::career::career_page(snap, links, None, 1, None),
            Route::Search => views::render(&SearchPage {
                layout: Layout::new(snap, "Search", "Search roles, skills and KPIs.", "search")
                    .with_links(links),
            }),
            Route::Role(id) => views::catalog::role_page(snap, links, id),
            Route::Skill(id) => views::catalog::skill_page(snap, links, id),
            Route::Kpi(id) => views::catalog::kpi_page(snap, links, id),
            Route::CareerOf(id) => views::career::career_page(snap, links, Some(id), 1, None),
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

/// The snapshot a static site of the whole catalog is rendered from.
/// `source_label` is shown in the footer; make it something readers may
/// see (not a local path).
pub fn snapshot(catalog: Catalog, source_label: String) -> Snapshot {
    Snapshot::offline(catalog, source_label)
}

/// The snapshot a static site of what `publication` publishes is rendered
/// from (see [`snapshot`]).
pub fn published_snapshot(
    catalog: Catalog,
    source_label: String,
    publication: Publication,
) -> Snapshot {
    Snapshot::offline(catalog, source_label).with_publication(publication)
}

// ------------------------------------------------------------------- assets

/// The files every page refers to, by path relative to the site root: the
/// embedded stylesheets, script and icon, [`search_index_js`], and each
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
    // JSON is a JavaScript expression; the file is a script, never inline
    // HTML, so no `</script>` escaping is needed.
    let json = serde_json::to_string(&entries).unwrap_or_else(|_| "[]".to_string());
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
