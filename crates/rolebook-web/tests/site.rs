//! The static site (`rolebook build`) rendered into a temporary directory:
//! every page exists, every link and asset reference resolves to a file
//! (and its fragment to an element) in the output, nothing links to an
//! absolute path or elsewhere, there is no inline script or style, and the
//! search index lists every role, skill and KPI. A site of a few chosen
//! roles (`--roles`) holds their pages and those of the skills and KPIs
//! they use, and names every other role as plain text. Sites with
//! downloads (of the small export fixture, since typesetting PDFs is slow
//! in debug builds) write every file a page links, and the files of a
//! few chosen roles name no other role.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Component, Path, PathBuf};

use rolebook_core::{Catalog, Sources, builtin, load};
use rolebook_web::site::{
    self, Download, Downloads, Kind, Publication, Route, Selection, Snapshot, StaticSite,
};
use serde_json::Value;

fn builtin_catalog() -> Catalog {
    load(builtin::sources())
        .catalog
        .expect("the built-in catalog is valid")
}

fn fixture(name: &str) -> Catalog {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/catalogs/valid")
        .join(name);
    load(Sources::from_dir(&dir).expect("fixture readable"))
        .catalog
        .expect("fixture is valid")
}

/// Renders the whole site into `dir` the way `rolebook build` does, and
/// returns the routes.
fn build(catalog: Catalog, dir: &Path) -> Vec<Route> {
    build_site(&site::snapshot(catalog, "test catalog".to_string()), dir)
}

/// Renders the site of `snap` into `dir`, downloads included, and
/// returns the routes.
fn build_site(snap: &Snapshot, dir: &Path) -> Vec<Route> {
    let renderer = StaticSite::new(snap);
    let write = |file: &str, bytes: &[u8]| {
        let path = dir.join(file);
        fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        fs::write(path, bytes).expect("write");
    };
    for (file, bytes) in site::assets(snap) {
        write(&file, &bytes);
    }
    let routes = site::static_routes(snap);
    for route in &routes {
        let page = renderer
            .render(route)
            .unwrap_or_else(|e| panic!("{route:?}: {e}"));
        assert_eq!(page.file, route.file());
        write(&page.file, page.html.as_bytes());
    }
    for download in site::static_downloads(snap) {
        let bytes = renderer
            .export(&download)
            .unwrap_or_else(|e| panic!("{download:?}: {e}"));
        write(&download.file(), &bytes);
    }
    routes
}

/// Every file under `dir`, relative, `/`-separated.
fn files(dir: &Path) -> BTreeSet<String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        for entry in fs::read_dir(dir).expect("list") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path.strip_prefix(root).expect("inside");
                out.insert(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

/// Values of the attributes that name another file.
fn references(html: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for name in ["href", "src", "action", "data-search-index"] {
        let needle = format!(" {name}=\"");
        let mut rest = html;
        while let Some(at) = rest.find(&needle) {
            rest = &rest[at + needle.len()..];
            let end = rest.find('"').expect("attribute closes");
            out.push((name, rest[..end].replace("&amp;", "&")));
            rest = &rest[end..];
        }
    }
    out
}

/// `reference` from the page `page` (both relative to the site root) as a
/// path from the root, or `None` when it leaves the site.
fn resolve(page: &str, reference: &str) -> Option<String> {
    let mut parts: Vec<String> = Path::new(page)
        .parent()
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    for component in Path::new(reference).components() {
        match component {
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(parts.join("/"))
}

/// Every page of the site in `dir`, by file, as text; not the downloads
/// (an HTML export is a document to save, self-contained).
fn read_pages(dir: &Path, written: &BTreeSet<String>) -> HashMap<String, String> {
    written
        .iter()
        .filter(|f| f.ends_with(".html") && !f.starts_with("downloads/"))
        .map(|f| (f.clone(), fs::read_to_string(dir.join(f)).expect("read")))
        .collect()
}

/// The dead-link check: every reference in every page resolves to a file
/// of the site, and a fragment to an element of that file; no absolute
/// path, no other host, no inline script or style. Returns how many
/// references were checked.
fn check_links(pages: &HashMap<String, String>, written: &BTreeSet<String>) -> usize {
    let mut checked = 0;
    for (page, html) in pages {
        assert!(html.contains("<html lang=\"en\" data-static"), "{page}");
        // The Content-Security-Policy invariant: no inline script or style.
        assert_eq!(
            html.matches("<script").count(),
            html.matches("<script src=\"").count(),
            "{page} has an inline script"
        );
        assert!(!html.contains("<style"), "{page} has a style element");
        assert!(!html.contains(" style=\""), "{page} has a style attribute");
        for (attribute, value) in references(html) {
            assert!(
                !value.starts_with('/') && !value.contains("://"),
                "{page}: {attribute}=\"{value}\" is not a relative link"
            );
            let (path, fragment) = value.split_once('#').unwrap_or((&value, ""));
            assert!(!path.contains('?'), "{page}: {value} has a query");
            let target = if path.is_empty() {
                page.clone()
            } else {
                resolve(page, path).unwrap_or_else(|| panic!("{page}: {value} leaves the site"))
            };
            assert!(
                written.contains(&target),
                "{page}: {attribute}=\"{value}\" points at {target}, which was not written"
            );
            assert!(
                path.is_empty()
                    || path.ends_with(".html")
                    || target.starts_with("static/")
                    || target.starts_with("downloads/")
                    || (target.starts_with("roles/") && path.ends_with(".json")),
                "{page}: {value} does not name a file"
            );
            if !fragment.is_empty() {
                let text = pages
                    .get(&target)
                    .unwrap_or_else(|| panic!("{page}: {value} has a fragment into a non-page"));
                assert!(
                    text.contains(&format!(" id=\"{fragment}\"")),
                    "{page}: {value}: no element with id {fragment}"
                );
            }
            checked += 1;
        }
    }
    checked
}

fn search_index(dir: &Path) -> Vec<Value> {
    let script = fs::read_to_string(dir.join("static/search-index.js")).expect("index written");
    let json = script
        .split_once("window.ROLEBOOK_INDEX = ")
        .and_then(|(_, rest)| rest.trim_end().strip_suffix(';'))
        .expect("the script sets window.ROLEBOOK_INDEX");
    match serde_json::from_str(json).expect("the index is JSON") {
        Value::Array(entries) => entries,
        other => panic!("the index is not a list: {other}"),
    }
}

#[test]
fn the_built_in_catalog_builds_into_a_self_contained_site() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = builtin_catalog();
    let (roles, skills, kpis) = (
        catalog.roles().len(),
        catalog.skills().len(),
        catalog.kpis().len(),
    );
    let role_ids: Vec<String> = catalog.roles().iter().map(|r| r.id.to_string()).collect();
    let routes = build(catalog, dir.path());
    let written = files(dir.path());

    // Every page exists: the six indexes, every role, skill, KPI and
    // career page, and at least one comparison per role with a move.
    for route in &routes {
        assert!(written.contains(&route.file()), "{route:?} was not written");
    }
    let compare_pages = routes
        .iter()
        .filter(|r| matches!(r, Route::CompareMove { .. }))
        .count();
    assert_eq!(routes.len(), 6 + 2 * roles + skills + kpis + compare_pages);
    assert!(compare_pages >= roles, "{compare_pages} comparisons");
    for file in [
        "index.html",
        "skills/index.html",
        "kpis/index.html",
        "compare/index.html",
        "career/index.html",
        "search/index.html",
        "roles/sre-manager.html",
        "career/sre-manager.html",
        "skills/incident-management.html",
        "kpis/mean-time-to-restore.html",
        "compare/sre-manager--sre-director.html",
        "static/app.css",
        "static/print.css",
        "static/app.js",
        "static/icon.svg",
        "static/search-index.js",
    ] {
        assert!(written.contains(file), "{file} is missing");
    }

    let pages = read_pages(dir.path(), &written);
    let checked = check_links(&pages, &written);
    assert!(checked > 10_000, "only {checked} references checked");

    // What needs the server is left out.
    for (page, html) in &pages {
        for server_only in [
            "api/v1",
            "admin/diagnostics",
            "gap/index.html",
            "name=\"roles\"",
            "name=\"to\"",
        ] {
            assert!(!html.contains(server_only), "{page} has {server_only}");
        }
    }

    // The search index lists every role (with its aliases), skill and KPI,
    // each pointing at its page.
    let entries = search_index(dir.path());
    assert_eq!(entries.len(), roles + skills + kpis);
    for entry in &entries {
        let url = entry["url"].as_str().expect("url");
        assert!(written.contains(url), "the index points at {url}");
        assert!(!entry["title"].as_str().unwrap_or("").is_empty());
    }
    let indexed_roles: BTreeSet<&str> = entries
        .iter()
        .filter(|e| e["kind"] == "role")
        .filter_map(|e| e["url"].as_str())
        .collect();
    for id in &role_ids {
        assert!(
            indexed_roles.contains(format!("roles/{id}.html").as_str()),
            "{id} is not in the search index"
        );
    }
    let cto = entries
        .iter()
        .find(|e| e["url"] == "roles/chief-technology-officer.html")
        .expect("CTO indexed");
    assert!(
        cto["aliases"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x == "CTO")),
        "{cto}"
    );
}

#[test]
fn pages_link_the_comparisons_and_career_pages_they_offer() {
    let dir = tempfile::tempdir().expect("tempdir");
    build(builtin_catalog(), dir.path());
    let read = |file: &str| fs::read_to_string(dir.path().join(file)).expect(file);
    let role = read("roles/sre-manager.html");
    assert!(role.contains("href=\"../career/sre-manager.html\""));
    assert!(role.contains("href=\"../compare/index.html#from-sre-manager\""));
    let career = read("career/sre-manager.html");
    assert!(career.contains("<svg"), "the graph is drawn");
    assert!(career.contains("href=\"../career/sre-director.html\""));
    assert!(career.contains("href=\"../compare/sre-manager--sre-director.html\""));
    assert!(
        !career.contains("Plan a path"),
        "no path planner without a server"
    );
    let compare = read("compare/sre-manager--sre-director.html");
    assert!(compare.contains("Skill gap from SRE Manager"));
    assert!(compare.contains("<a href=\"../compare/index.html\">All comparisons</a>"));
    let index = read("compare/index.html");
    assert!(index.contains("id=\"from-sre-manager\""));
    let search = read("search/index.html");
    assert!(search.contains("data-search-results"));
    assert!(search.contains("data-search-index=\"../static/search-index.js\""));
    let home = read("index.html");
    assert!(home.contains("data-root=\"\""));
    assert!(home.contains("action=\"search/index.html\""));
}

#[test]
fn the_site_of_a_small_catalog_is_pinned() {
    let dir = tempfile::tempdir().expect("tempdir");
    build(fixture("minimal"), dir.path());
    let listing: Vec<String> = files(dir.path()).into_iter().collect();
    insta::assert_snapshot!("minimal_site_files", listing.join("\n"));
    let index = serde_json::to_string_pretty(&search_index(dir.path())).expect("json");
    insta::assert_snapshot!("minimal_search_index", index);
}

#[test]
fn routes_and_files_agree_with_the_link_helper() {
    let catalog = builtin_catalog();
    for route in site::static_routes(&site::snapshot(catalog, "test catalog".to_string())) {
        let from_root = site::Links::Static { depth: 0 }.link(&route.path());
        assert_eq!(from_root, route.file(), "{route:?}");
        assert_eq!(
            PathBuf::from(route.file())
                .extension()
                .and_then(|e| e.to_str()),
            Some("html")
        );
    }
}

#[test]
fn every_role_page_links_its_json_the_document_the_api_serves() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = builtin_catalog();
    let expected: Vec<(String, Value)> = catalog
        .roles()
        .iter()
        .map(|role| {
            let json = serde_json::to_value(rolebook_wire::Role::of(&catalog, role)).expect("json");
            (role.id.to_string(), json)
        })
        .collect();
    build(catalog, dir.path());
    for (id, json) in expected {
        let page = fs::read_to_string(dir.path().join(format!("roles/{id}.html"))).expect("page");
        assert!(
            page.contains(&format!("href=\"../roles/{id}.json\">JSON</a>")),
            "{id}"
        );
        let file = fs::read_to_string(dir.path().join(format!("roles/{id}.json"))).expect("json");
        let written: Value = serde_json::from_str(&file).expect("valid JSON");
        assert_eq!(written, json, "{id}");
    }
}

/// Issue 16: `rolebook build --roles sre-manager,sre-director,head-of-it`
/// publishes those three roles and what they use, nothing else, and every
/// mention of another role is text.
#[test]
fn a_site_of_chosen_roles_has_their_pages_only_and_no_dead_link() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = builtin_catalog();
    let chosen = ["sre-manager", "sre-director", "head-of-it"];
    // By id, or by title as people name them.
    let selection = Selection {
        roles: vec![
            "sre-manager".to_string(),
            "sre-director".to_string(),
            "Head of IT".to_string(),
        ],
        ..Selection::default()
    };
    let publication = selection.publication(&catalog).expect("known roles");

    // What the chosen roles use, and the roles they mention that are left
    // out: the career moves and "reports to" of their files.
    let mut skills = BTreeSet::new();
    let mut kpis = BTreeSet::new();
    let mut mentions: Vec<(String, String, String)> = Vec::new();
    for id in chosen {
        let role = catalog.role(id).expect("role");
        skills.extend(
            role.skills
                .iter()
                .map(|s| format!("skills/{}.html", s.skill.as_str())),
        );
        kpis.extend(
            role.kpis
                .iter()
                .map(|k| format!("kpis/{}.html", k.kpi.as_str())),
        );
        let refs = role
            .scope
            .reports_to
            .iter()
            .chain(&role.career.next)
            .chain(&role.career.feeders)
            .chain(&role.career.lateral);
        for reference in refs {
            if let Some(other) = reference.role_id().and_then(|r| catalog.role(r))
                && !chosen.contains(&other.id.as_str())
            {
                mentions.push((
                    id.to_string(),
                    other.id.to_string(),
                    other.title.to_string(),
                ));
            }
        }
    }
    assert!(!mentions.is_empty(), "the chosen roles mention others");
    let left_out: Vec<(String, String)> = catalog
        .roles()
        .iter()
        .filter(|r| !chosen.contains(&r.id.as_str()))
        .map(|r| (r.id.to_string(), r.title.to_string()))
        .collect();
    let mut prose_mentions = 0;
    let manager = catalog
        .written_roles()
        .iter()
        .find(|r| r.id.as_str() == "sre-manager")
        .expect("written");
    rolebook_core::prose::role_prose(manager, |text| {
        prose_mentions += text.matches("{role:sre-director}").count();
    });
    assert!(
        prose_mentions > 3,
        "the fixture mentions the director in prose"
    );
    let all_skills = catalog.skills().len();
    let all_kpis = catalog.kpis().len();

    let snap = site::published_snapshot(
        catalog,
        "test catalog".to_string(),
        publication,
        Downloads::None,
    );
    build_site(&snap, dir.path());
    let written = files(dir.path());
    let under = |folder: &str, extension: &str| -> BTreeSet<String> {
        written
            .iter()
            .filter(|f| f.starts_with(folder) && f.ends_with(extension))
            .filter(|f| !f.ends_with("/index.html"))
            .cloned()
            .collect()
    };
    let expected = |folder: &str, extension: &str| -> BTreeSet<String> {
        chosen
            .iter()
            .map(|id| format!("{folder}{id}{extension}"))
            .collect()
    };

    // Only the chosen roles have pages, career pages and JSON; skills and
    // KPIs have pages exactly when a chosen role uses them.
    assert_eq!(under("roles/", ".html"), expected("roles/", ".html"));
    assert_eq!(under("roles/", ".json"), expected("roles/", ".json"));
    assert_eq!(under("career/", ".html"), expected("career/", ".html"));
    assert_eq!(under("skills/", ".html"), skills);
    assert_eq!(under("kpis/", ".html"), kpis);
    assert!(skills.len() < all_skills && kpis.len() < all_kpis);
    for compare in under("compare/", ".html") {
        let name = compare
            .strip_prefix("compare/")
            .and_then(|c| c.strip_suffix(".html"))
            .expect("a comparison");
        let (from, to) = name.split_once("--").expect("two roles");
        assert!(chosen.contains(&from) && chosen.contains(&to), "{compare}");
    }
    assert!(written.contains("compare/sre-manager--sre-director.html"));

    // No link in any page points at a missing file.
    let pages = read_pages(dir.path(), &written);
    let checked = check_links(&pages, &written);
    assert!(checked > 500, "only {checked} references checked");

    // A role left out is named as text where a chosen role mentions it,
    // and linked nowhere: not from the pages, not from the career graph.
    for (page, other, title) in &mentions {
        let html = &pages[&format!("roles/{page}.html")];
        assert!(
            html.contains(&title.replace('&', "&amp;")),
            "{page} does not name {title}"
        );
        assert!(!html.contains(&format!("roles/{other}.html")), "{page}");
    }
    for (id, title) in &left_out {
        for (page, html) in &pages {
            assert!(
                !html.contains(&format!("/{id}.html\"")),
                "{page} links to {id}"
            );
            assert!(
                !html.contains(&format!(">{}</a>", title.replace('&', "&amp;"))),
                "{page} links {title}"
            );
        }
    }
    // Prose that mentions a chosen role links to its page, every time it
    // does; one left out is its title as text (above).
    let manager = &pages["roles/sre-manager.html"];
    let linked = manager
        .matches("<a href=\"../roles/sre-director.html\">SRE Director</a>")
        .count();
    assert!(
        linked >= prose_mentions,
        "{linked} of {prose_mentions} mentions linked"
    );
    assert!(
        !manager.contains("{role"),
        "no reference is left unresolved"
    );

    let career = &pages["career/sre-director.html"];
    assert!(career.contains("<svg"), "the graph is drawn");
    let drawn_left_out = left_out
        .iter()
        .filter(|(_, title)| career.contains(&format!(">{}</text>", title.replace('&', "&amp;"))))
        .count();
    assert!(
        drawn_left_out > 0,
        "the graph draws roles left out, as boxes"
    );

    // The home page and the indexes list the chosen roles only; the search
    // index holds what was published.
    let home = &pages["index.html"];
    for id in chosen {
        assert!(home.contains(&format!("href=\"roles/{id}.html\"")), "{id}");
    }
    assert!(
        home.contains("<div><dt>Roles</dt><dd>3</dd></div>"),
        "{home}"
    );
    let entries = search_index(dir.path());
    let urls: BTreeSet<String> = entries
        .iter()
        .filter_map(|e| e["url"].as_str().map(str::to_string))
        .collect();
    let published: BTreeSet<String> = expected("roles/", ".html")
        .into_iter()
        .chain(skills.iter().cloned())
        .chain(kpis.iter().cloned())
        .collect();
    assert_eq!(urls, published);
}

/// The files a page links under `downloads/`, as paths from the root.
fn download_links(pages: &HashMap<String, String>) -> BTreeSet<String> {
    pages
        .iter()
        .flat_map(|(page, html)| {
            references(html)
                .into_iter()
                .filter_map(|(_, value)| resolve(page, &value))
                .filter(|target| target.starts_with("downloads/"))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Issue 16: a static site of one chosen role writes its downloads, the
/// pages link every one of them and nothing else, and no file names the
/// role left out: not the skill and KPI documents, not the tables.
#[test]
fn a_site_of_a_chosen_role_writes_its_downloads_naming_no_other_role() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = fixture("export");
    let publication = Publication::of_roles(&catalog, ["sre-manager"]);
    let snap = site::published_snapshot(
        catalog,
        "test catalog".to_string(),
        publication,
        Downloads::All,
    );
    build_site(&snap, dir.path());
    let written = files(dir.path());
    let pages = read_pages(dir.path(), &written);
    check_links(&pages, &written);

    // Every file written is linked, and every link is to a file written.
    let downloads: BTreeSet<String> = written
        .iter()
        .filter(|f| f.starts_with("downloads/"))
        .cloned()
        .collect();
    assert_eq!(download_links(&pages), downloads);
    for file in [
        "downloads/roles/sre-manager.docx",
        "downloads/roles/sre-manager.md",
        "downloads/skills/incident-command.html",
        "downloads/kpis/mttr.jsonld",
        "downloads/catalog.xlsx",
        "downloads/catalog.json",
        "downloads/catalog/skills-matrix.csv",
        "downloads/catalog/career-edges.csv",
    ] {
        assert!(downloads.contains(file), "{file} is missing");
    }
    assert_eq!(
        downloads.contains("downloads/roles/sre-manager.pdf"),
        rolebook_export::PDF_SUPPORTED
    );
    assert!(!downloads.iter().any(|f| f.contains("sre-director")));
    let role = &pages["roles/sre-manager.html"];
    assert!(role.contains("href=\"../downloads/roles/sre-manager.docx\" download"));
    assert!(pages["index.html"].contains("href=\"downloads/catalog.xlsx\" download"));

    // The role left out is in no text file but the chosen role's own
    // documents (which name its career moves as text, as its page does):
    // skill and KPI documents list only the published holders and owners,
    // the tables only its rows.
    let skill_md = fs::read_to_string(dir.path().join("downloads/skills/slo-engineering.md"))
        .expect("skill markdown");
    assert!(skill_md.contains("SRE Manager"), "{skill_md}");
    for file in downloads
        .iter()
        .filter(|f| !f.starts_with("downloads/roles/"))
    {
        if file.ends_with(".md")
            || file.ends_with(".html")
            || file.ends_with(".json")
            || file.ends_with(".csv")
        {
            let text = fs::read_to_string(dir.path().join(file)).expect("text");
            for other in ["sre-director", "SRE Director"] {
                assert!(!text.contains(other), "{file} names {other}");
            }
        }
    }
}

/// `rolebook build --no-pdf`: every other format is written and linked, no
/// page links a PDF; and the files of a whole catalog are the bytes of
/// `rolebook export`.
#[test]
fn a_site_without_pdf_links_none_and_writes_the_export_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = fixture("export");
    let expected_role = rolebook_export::export_role(
        &catalog,
        catalog.role("sre-director").expect("role"),
        rolebook_export::RoleFormat::Docx,
    )
    .expect("docx");
    let expected_skill = rolebook_export::export_skill(
        &catalog,
        catalog.skill("slo-engineering").expect("skill"),
        rolebook_export::RoleFormat::Markdown,
    )
    .expect("markdown");
    let tables = rolebook_export::CatalogTables::new(&catalog);
    let expected_xlsx = rolebook_export::tables::to_xlsx(
        &catalog,
        &rolebook_export::tables::sheets(&catalog, &tables),
    )
    .expect("xlsx");
    let snap = site::published_snapshot(
        catalog,
        "test catalog".to_string(),
        Publication::everything(),
        Downloads::NoPdf,
    );
    let expected_files = site::static_downloads(&snap);
    assert!(expected_files.iter().all(|d| !d.is_pdf()));
    assert!(expected_files.contains(&Download::Document {
        kind: Kind::Kpi,
        id: "mttr".to_string(),
        format: rolebook_export::RoleFormat::Json,
    }));
    build_site(&snap, dir.path());
    let written = files(dir.path());
    let pages = read_pages(dir.path(), &written);
    check_links(&pages, &written);
    assert!(!written.iter().any(|f| f.ends_with(".pdf")));
    for (page, html) in &pages {
        assert!(!html.contains(".pdf\""), "{page} links a PDF");
    }
    let links = download_links(&pages);
    assert!(links.contains("downloads/roles/sre-director.docx"));
    assert!(links.contains("downloads/catalog/kpi-ownership.csv"));
    let read = |file: &str| fs::read(dir.path().join(file)).expect(file);
    assert_eq!(read("downloads/roles/sre-director.docx"), expected_role);
    assert_eq!(read("downloads/skills/slo-engineering.md"), expected_skill);
    assert_eq!(read("downloads/catalog.xlsx"), expected_xlsx);
}
