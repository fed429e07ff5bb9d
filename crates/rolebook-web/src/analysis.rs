//! Compare and career requests, shared by the pages and the API: reading
//! the role names out of a request, and calling `rolebook-career` for the
//! analysis itself (diffs, the career graph, its paths and SVG).

use rolebook_career::export::{self, SvgOptions, View};
use rolebook_career::graph::Move;
use rolebook_career::{Career, CareerGraph, NextReport, RoleDiff};
use rolebook_core::Catalog;
use rolebook_core::model::Role;

use crate::error::AppError;
use crate::publication::Publication;

/// Fewest and most roles a comparison takes.
pub const MIN_COMPARE: usize = 2;
pub const MAX_COMPARE: usize = 4;
/// Deepest career neighbourhood the explorer draws.
pub const MAX_DEPTH: usize = 3;

/// Most roles a career page draws unless asked for all of them: the
/// nearest to its role. More boxes than this do not read on a screen; the
/// page says what it left out and links to the whole drawing.
pub const DRAWN_ROLES: usize = 24;
/// Most paths one request may ask for.
pub const MAX_PATHS: usize = 10;
/// Longest free-text value accepted in a query string.
pub const MAX_QUERY_LEN: usize = 200;

/// A role by id, title or alias, or a 404 with did-you-mean suggestions.
pub fn find_role<'c>(catalog: &'c Catalog, name: &str) -> Result<&'c Role, AppError> {
    if name.len() > MAX_QUERY_LEN {
        return Err(AppError::bad_request(format!(
            "a role name is at most {MAX_QUERY_LEN} characters"
        )));
    }
    Ok(catalog.lookup_role(name)?)
}

/// Resolves 2 to 4 distinct roles for a comparison.
pub fn compare_roles<'c>(
    catalog: &'c Catalog,
    names: &[String],
) -> Result<Vec<&'c Role>, AppError> {
    if names.len() < MIN_COMPARE || names.len() > MAX_COMPARE {
        return Err(AppError::bad_request(format!(
            "compare takes {MIN_COMPARE} to {MAX_COMPARE} roles, got {}; e.g. ?roles=sre-manager,sre-director",
            names.len()
        )));
    }
    let mut roles: Vec<&Role> = Vec::with_capacity(names.len());
    for name in names {
        let role = find_role(catalog, name)?;
        if roles.iter().any(|r| r.id == role.id) {
            return Err(AppError::bad_request(format!(
                "`{}` is named twice; compare different roles",
                role.id.as_str()
            )));
        }
        roles.push(role);
    }
    Ok(roles)
}

/// Diffs from the first role (the baseline) to each of the others.
pub fn diffs(career: &Career<'_>, roles: &[&Role]) -> Vec<RoleDiff> {
    roles
        .iter()
        .skip(1)
        .map(|other| career.diff(roles[0], other))
        .collect()
}

/// The moves from a role (with those to titles outside the catalog) and
/// the moves into it.
pub fn moves(graph: &CareerGraph<'_>, role: &Role) -> (NextReport, Vec<Move>) {
    (graph.next(role), graph.incoming(role))
}

/// The career graph within `depth` moves of `role`, as SVG ready to inline
/// in a page.
///
/// The career crate draws it for a page: an `<svg>` element without XML
/// prolog, background or `<style>` (the Content-Security-Policy forbids
/// inline styles; the stylesheet themes it through its classes), named for
/// assistive technology, with each published role's box a link to its
/// explorer page so that the graph is navigable without JavaScript; a
/// role `publication` leaves out is drawn without a link.
///
/// At most `limit` roles are drawn, the nearest first
/// ([`CareerGraph::nearest`] says which).
pub fn graph_svg(
    graph: &CareerGraph<'_>,
    role: &Role,
    depth: usize,
    limit: usize,
    publication: &Publication,
) -> Result<String, AppError> {
    let node = graph.node(role).ok_or_else(|| {
        AppError::Internal(format!("role {} has no graph node", role.id.as_str()))
    })?;
    let (view, _) = View::nearest(graph, node, depth, limit);
    let link = |id: &str| publication.has_role(id).then(|| format!("/career/{id}"));
    let title = format!("Career moves around {}", role.title.as_str());
    let options = SvgOptions {
        inline: true,
        link: Some(&link),
        title: Some(&title),
    };
    export::to_svg_with(graph, &view, &options).map_err(|e| AppError::bad_request(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin_catalog as catalog;

    #[test]
    fn compare_checks_count_duplicates_and_names() {
        let catalog = catalog();
        let names = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(matches!(
            compare_roles(&catalog, &names(&["cto"])),
            Err(AppError::BadRequest(_))
        ));
        assert!(matches!(
            compare_roles(&catalog, &names(&["cto", "chief-technology-officer"])),
            Err(AppError::BadRequest(m)) if m.contains("twice")
        ));
        match compare_roles(&catalog, &names(&["cto", "sre-manger"])) {
            Err(AppError::NotFound { suggestions, .. }) => {
                assert_eq!(suggestions[0].id, "sre-manager");
            }
            other => panic!("expected not found, got {other:?}"),
        }
        let roles =
            compare_roles(&catalog, &names(&["CTO", "CISO", "sre-manager"])).expect("valid");
        assert_eq!(diffs(&Career::new(&catalog), &roles).len(), 2);
    }

    #[test]
    fn graph_svg_is_an_element_for_the_page_with_every_role_linked() {
        let catalog = catalog();
        let role = catalog.role("sre-manager").expect("role");
        let career = Career::new(&catalog);
        let graph = CareerGraph::new(&career);
        let svg = graph_svg(&graph, role, 1, DRAWN_ROLES, &Publication::everything()).expect("svg");
        assert!(svg.starts_with("<svg"), "{}", &svg[..80]);
        assert!(!svg.contains("<style"));
        assert!(!svg.contains(" style=\""));
        assert!(!svg.contains("<?xml"));
        assert!(!svg.contains("class=\"background\""));
        assert!(svg.contains("aria-labelledby=\"career-graph-title\""));
        assert!(svg.contains(">Career moves around SRE Manager</title>"));
        assert!(svg.contains("<a href=\"/career/sre-manager\" class=\"node fam-"));
        assert!(svg.contains("focus\" aria-current=\"page\">"));
        let (next, incoming) = moves(&graph, role);
        for m in next.moves.iter().chain(&incoming) {
            for id in [&m.to.id, &m.from.id] {
                assert!(svg.contains(&format!("<a href=\"/career/{id}\"")), "{id}");
            }
        }
        assert_eq!(svg.matches("<a ").count(), svg.matches("</a>").count());
        assert_eq!(svg.matches(" aria-current=").count(), 1);

        // Roles left out of a publication are drawn, not linked.
        let only = Publication::of_roles(&catalog, ["sre-manager"]);
        let svg = graph_svg(&graph, role, 1, DRAWN_ROLES, &only).expect("svg");
        assert_eq!(svg.matches("<a ").count(), 1, "{svg}");
        assert!(svg.contains("<a href=\"/career/sre-manager\""));
        assert!(svg.contains(">SRE Director</text>"), "{svg}");
    }
}
