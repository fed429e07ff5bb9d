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

use std::collections::BTreeMap;

use askama::Template;
use rolebook_career::{CareerGraph, EdgeKind};
use rolebook_core::Catalog;
use rolebook_core::model::Role;
use rolebook_core::suggest::is_kebab_case;
use serde::Serialize;

use crate::error::AppError;
use crate::pages::{self, Layout};
use crate::search::HitKind;
use crate::state::Snapshot;

/// Where the client-side search index is written, as a site path.
pub const SEARCH_INDEX: &str = "/static/search-index.js";

/// How a page writes its links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// Site paths (`/roles/cto`), as the server routes them.
    Server,
    /// Relative links to files, from a page `depth` directories below the
    /// site root (`roles/cto.html` has depth 1).
    Static { depth: usize },
}

impl Links {
    /// Links for the page written to `file` (relative to the site root).
    pub fn for_file(file: &str) -> Self {
        Links::Static {
            depth: file.matches('/').count(),
        }
    }

    pub fn is_static(&self) -> bool {
        matches!(self, Links::Static { .. })
    }

    /// The link to `target`, a site path as the server routes it, with an
    /// optional query and fragment (`/roles/cto`, `/compare?roles=a,b`,
    /// `/static/app.css?v=…`, `/compare#from-cto`). Anything that is not a
    /// site path (a fragment, an outside URL) is returned as it is.
    pub fn link(&self, target: &str) -> String {
        let Links::Static { depth } = *self else {
            return target.to_string();
        };
        let (rest, fragment) = match target.find('#') {
            Some(at) => target.split_at(at),
            None => (target, ""),
        };
        let Some(file) = static_file(rest) else {
            return target.to_string();
        };
        let mut out = String::with_capacity(3 * depth + file.len() + fragment.len());
        for _ in 0..depth {
            out.push_str("../");
        }
        out.push_str(&file);
        out.push_str(fragment);
        out
    }

    /// The way from a page up to the site root: empty, `../`, `../../`.
    pub fn root(&self) -> String {
        match *self {
            Links::Server => "/".to_string(),
            Links::Static { depth } => "../".repeat(depth),
        }
    }
}

/// The file (relative to the site root) that stands for a site path with
/// its query, or `None` when `target` is not a site path:
/// - `/` → `index.html`; a section (`/skills`) → `skills/index.html`; an
///   item (`/roles/cto`) → `roles/cto.html`;
/// - `/compare?roles=a,b` → `compare/a--b.html` (ids are kebab-case, so
///   `--` cannot occur inside one);
/// - assets keep their name and lose the `?v=` cache buster, which a file
///   share does not need.
///
/// Other queries are dropped: the static site has one page per path.
pub fn static_file(target: &str) -> Option<String> {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let path = path.strip_prefix('/')?.trim_end_matches('/');
    if path.starts_with('/') {
        // `//host/…` is a URL on another host.
        return None;
    }
    if path.is_empty() {
        return Some("index.html".to_string());
    }
    if path.starts_with("static/") {
        return Some(path.to_string());
    }
    if path == "compare" {
        let roles = crate::query::list(Some(query), "roles");
        if roles.len() >= 2 {
            return Some(format!("compare/{}.html", roles.join("--")));
        }
    }
    Some(if path.contains('/') {
        format!("{path}.html")
    } else {
        format!("{path}/index.html")
    })
}

/// Link helpers for templates: every `href`, `src` and `action` goes
/// through one of these.
impl Layout {
    pub fn link(&self, target: impl AsRef<str>) -> String {
        self.links.link(target.as_ref())
    }

    pub fn role_link(&self, id: impl std::fmt::Display) -> String {
        self.child_link("/roles", id)
    }

    pub fn skill_link(&self, id: impl std::fmt::Display) -> String {
        self.child_link("/skills", id)
    }

    pub fn kpi_link(&self, id: impl std::fmt::Display) -> String {
        self.child_link("/kpis", id)
    }

    pub fn career_link(&self, id: impl std::fmt::Display) -> String {
        self.child_link("/career", id)
    }

    /// `base` (a section such as `/skills`) followed by an id.
    pub fn child_link(&self, base: &str, id: impl std::fmt::Display) -> String {
        self.link(format!("{base}/{id}"))
    }

    pub fn is_static(&self) -> bool {
        self.links.is_static()
    }
}

/// Most roles a career page of the static site draws. A build draws every
/// role's neighbourhood, and the layout grows faster than quadratically
/// (about 0.2 s for 60 roles): past this, the page lists the moves without
/// the drawing, which the server still makes on demand (up to its own
/// limit). Every built-in role's neighbourhood is well below it.
pub const DRAWN_MAX_ROLES: usize = 40;

/// Whether the static site draws the graph around `role`: a bad request
/// (the page's note) when the neighbourhood is too large.
pub(crate) fn drawable(graph: &CareerGraph<'_>, role: &Role, depth: usize) -> Result<(), AppError> {
    let Some(node) = graph.node(role) else {
        return Ok(());
    };
    let roles = graph.neighbourhood(node, depth).len();
    if roles > DRAWN_MAX_ROLES {
        return Err(AppError::bad_request(format!(
            "{roles} roles are within {depth} move{} of it, more than the {DRAWN_MAX_ROLES} a published page draws",
            if depth == 1 { "" } else { "s" }
        )));
    }
    Ok(())
}

/// Rewrites the site paths in `href` attributes of an HTML fragment built
/// outside the templates (the career graph's SVG) for `links`.
pub fn relink_svg(fragment: &str, links: Links) -> String {
    if !links.is_static() {
        return fragment.to_string();
    }
    const ATTRIBUTE: &str = "href=\"";
    let mut out = String::with_capacity(fragment.len() + fragment.len() / 16);
    let mut rest = fragment;
    while let Some(at) = rest.find(ATTRIBUTE) {
        let value_start = at + ATTRIBUTE.len();
        out.push_str(&rest[..value_start]);
        rest = &rest[value_start..];
        let end = rest.find('"').unwrap_or(rest.len());
        out.push_str(&links.link(&rest[..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

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

/// Every page of the static site for `catalog`: the home page, the skill,
/// KPI, compare and career indexes, the search page, every role, skill and
/// KPI page, the career page of every role and a comparison per declared
/// career move.
pub fn static_routes(catalog: &Catalog) -> Vec<Route> {
    let mut routes = vec![
        Route::Home,
        Route::Skills,
        Route::Kpis,
        Route::Compare,
        Route::Career,
        Route::Search,
    ];
    routes.extend(
        catalog
            .roles()
            .iter()
            .map(|r| Route::Role(r.id.to_string())),
    );
    routes.extend(
        catalog
            .skills()
            .iter()
            .map(|s| Route::Skill(s.id.to_string())),
    );
    routes.extend(catalog.kpis().iter().map(|k| Route::Kpi(k.id.to_string())));
    routes.extend(
        catalog
            .roles()
            .iter()
            .map(|r| Route::CareerOf(r.id.to_string())),
    );
    let roles = catalog.roles();
    routes.extend(
        declared_moves(catalog)
            .into_keys()
            .map(|(from, to)| Route::CompareMove {
                from: roles[from].id.to_string(),
                to: roles[to].id.to_string(),
            }),
    );
    routes
}

/// The moves the catalog declares (`next` and `lateral` lists, and
/// `feeders` read backwards), by (from, to) role index, with their kind:
/// the edges of the career graph that are not implied, by the graph's own
/// rule (a move declared as next and lateral counts as next).
fn declared_moves(catalog: &Catalog) -> BTreeMap<(usize, usize), EdgeKind> {
    let roles = catalog.roles();
    let index: std::collections::HashMap<&str, usize> = roles
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut moves = BTreeMap::new();
    let mut add = |from: usize, to: usize, kind: EdgeKind| {
        if from != to {
            moves
                .entry((from, to))
                .and_modify(|k: &mut EdgeKind| *k = (*k).min(kind))
                .or_insert(kind);
        }
    };
    for (i, role) in roles.iter().enumerate() {
        let resolved = |refs: &[rolebook_core::model::RoleRef]| {
            refs.iter()
                .filter_map(|r| r.role_id().and_then(|id| index.get(id).copied()))
                .collect::<Vec<_>>()
        };
        for j in resolved(&role.career.next) {
            add(i, j, EdgeKind::Next);
        }
        for j in resolved(&role.career.feeders) {
            add(j, i, EdgeKind::Next);
        }
        for j in resolved(&role.career.lateral) {
            add(i, j, EdgeKind::Lateral);
        }
    }
    moves
}

/// A role and the comparisons of its declared moves, for the static
/// compare index.
#[derive(Debug)]
pub struct MoveGroup {
    pub id: String,
    pub title: String,
    pub moves: Vec<MoveLink>,
}

#[derive(Debug)]
pub struct MoveLink {
    pub title: String,
    pub kind: &'static str,
    /// Site path of the comparison.
    pub href: String,
}

/// Every role's declared moves, in catalog order, next moves first.
pub fn move_groups(catalog: &Catalog) -> Vec<MoveGroup> {
    let roles = catalog.roles();
    let mut groups: Vec<MoveGroup> = roles
        .iter()
        .map(|r| MoveGroup {
            id: r.id.to_string(),
            title: r.title.to_string(),
            moves: Vec::new(),
        })
        .collect();
    let mut moves: Vec<((usize, usize), EdgeKind)> = declared_moves(catalog).into_iter().collect();
    moves.sort_by(|((a_from, a_to), a_kind), ((b_from, b_to), b_kind)| {
        (a_from, a_kind, roles[*a_to].title.as_str()).cmp(&(
            b_from,
            b_kind,
            roles[*b_to].title.as_str(),
        ))
    });
    for ((from, to), kind) in moves {
        groups[from].moves.push(MoveLink {
            title: roles[to].title.to_string(),
            kind: kind.label(),
            href: format!(
                "/compare?roles={},{}",
                roles[from].id.as_str(),
                roles[to].id.as_str()
            ),
        });
    }
    groups
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
            Route::Home => pages::home_page(snap, links),
            Route::Skills => pages::skills_index_page(snap, links),
            Route::Kpis => pages::kpis_index_page(snap, links),
            Route::Compare => pages::compare_page(snap, links, &[]),
            Route::Career => pages::career_page(snap, links, None, 1, None),
            Route::Search => pages::render(&SearchPage {
                layout: Layout::new(snap, "Search", "Search roles, skills and KPIs.", "search")
                    .with_links(links),
            }),
            Route::Role(id) => pages::role_page(snap, links, id),
            Route::Skill(id) => pages::skill_page(snap, links, id),
            Route::Kpi(id) => pages::kpi_page(snap, links, id),
            Route::CareerOf(id) => pages::career_page(snap, links, Some(id), 1, None),
            Route::CompareMove { from, to } => {
                pages::compare_page(snap, links, &[from.clone(), to.clone()])
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

/// The snapshot a static site is rendered from. `source_label` is shown in
/// the footer; make it something readers may see (not a local path).
pub fn snapshot(catalog: Catalog, source_label: String) -> Snapshot {
    Snapshot::offline(catalog, source_label)
}

// ------------------------------------------------------------------- assets

/// The files every page refers to, by path relative to the site root: the
/// embedded stylesheets, script and icon, and [`search_index_js`].
pub fn assets(catalog: &Catalog) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = crate::assets::files()
        .into_iter()
        .map(|(name, bytes)| (format!("static/{name}"), bytes))
        .collect();
    if let Some(file) = static_file(SEARCH_INDEX) {
        files.push((file, search_index_js(catalog).into_bytes()));
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
/// `window.ROLEBOOK_INDEX` to every role, skill and KPI with its page,
/// names and summary, as search results show them.
pub fn search_index_js(catalog: &Catalog) -> String {
    let mut entries = Vec::new();
    let mut add = |kind: HitKind, id: &str, aliases: Vec<String>| {
        if let Some(crate::search::HitDescription {
            title,
            href,
            context: meta,
            summary,
        }) = crate::search::describe_hit(catalog, kind, id)
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
    use super::*;
    use rolebook_career::Career;

    #[test]
    fn server_links_are_site_paths_unchanged() {
        for path in [
            "/",
            "/roles/cto",
            "/compare?roles=a,b",
            "/static/app.css?v=1",
        ] {
            assert_eq!(Links::Server.link(path), path);
        }
        assert_eq!(Links::Server.root(), "/");
    }

    #[test]
    fn static_links_are_relative_file_names() {
        let root = Links::Static { depth: 0 };
        let deep = Links::for_file("roles/cto.html");
        assert_eq!(deep, Links::Static { depth: 1 });
        for (target, from_root, from_deep) in [
            ("/", "index.html", "../index.html"),
            ("/skills", "skills/index.html", "../skills/index.html"),
            ("/skills/", "skills/index.html", "../skills/index.html"),
            ("/roles/cto", "roles/cto.html", "../roles/cto.html"),
            ("/career/cto", "career/cto.html", "../career/cto.html"),
            (
                "/compare?roles=cto,ciso",
                "compare/cto--ciso.html",
                "../compare/cto--ciso.html",
            ),
            (
                "/compare?roles=cto",
                "compare/index.html",
                "../compare/index.html",
            ),
            (
                "/compare#from-cto",
                "compare/index.html#from-cto",
                "../compare/index.html#from-cto",
            ),
            (
                "/career/cto?depth=2",
                "career/cto.html",
                "../career/cto.html",
            ),
            (
                "/static/app.css?v=0123",
                "static/app.css",
                "../static/app.css",
            ),
            ("#skills", "#skills", "#skills"),
            (
                "https://example.org/x",
                "https://example.org/x",
                "https://example.org/x",
            ),
            ("//example.org/x", "//example.org/x", "//example.org/x"),
        ] {
            assert_eq!(root.link(target), from_root, "{target}");
            assert_eq!(deep.link(target), from_deep, "{target}");
        }
        assert_eq!(root.root(), "");
        assert_eq!(deep.root(), "../");
    }

    #[test]
    fn svg_links_are_rewritten_only_for_the_static_site() {
        let svg = r##"<svg><a href="/career/cto" class="focus"><title>x</title></a><a xlink:href="/career/ciso"></a><a href="#top"></a></svg>"##;
        assert_eq!(relink_svg(svg, Links::Server), svg);
        assert_eq!(
            relink_svg(svg, Links::Static { depth: 1 }),
            r##"<svg><a href="../career/cto.html" class="focus"><title>x</title></a><a xlink:href="../career/ciso.html"></a><a href="#top"></a></svg>"##
        );
        assert_eq!(
            relink_svg("<a href=\"/x", Links::Static { depth: 0 }),
            "<a href=\"x/index.html"
        );
    }

    fn catalog() -> Catalog {
        rolebook_core::load(rolebook_core::builtin::sources())
            .catalog
            .expect("built-in catalog is valid")
    }

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
        let catalog = catalog();
        let routes = static_routes(&catalog);
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
