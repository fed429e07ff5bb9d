//! How pages write their links: site paths for the server, relative file
//! names for the static site, through the [`Layout`] helpers every
//! template uses.

use super::Layout;

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
///   share does not need;
/// - a role's JSON (`/api/v1/roles/cto`) → `roles/cto.json`, the same
///   document the API serves;
/// - a download (`/downloads/roles/cto.docx`) and the logo
///   (`/brand/logo.svg`) keep their names: their paths are already files'.
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
    if path.starts_with("static/") || path.starts_with("downloads/") || path.starts_with("brand/") {
        return Some(path.to_string());
    }
    if let Some(id) = path.strip_prefix("api/v1/roles/") {
        return Some(format!("roles/{id}.json"));
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

#[cfg(test)]
mod tests {
    use super::*;

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
            (
                "/downloads/roles/cto.docx",
                "downloads/roles/cto.docx",
                "../downloads/roles/cto.docx",
            ),
            (
                "/downloads/catalog/skills-matrix.csv",
                "downloads/catalog/skills-matrix.csv",
                "../downloads/catalog/skills-matrix.csv",
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
}
