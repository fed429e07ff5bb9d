//! Prose on the pages: references to roles, skills and KPIs are links to
//! their pages (never to the page itself, never to a page the site does
//! not publish), targets are their current value, and the text around
//! them is escaped like any other text.

mod common;

use std::fs;
use std::path::Path;

use common::{catalog_copy, get};
use rolebook_web::{AppState, CatalogSource, app};

/// Replaces `from` (which must be there) by `to` in `file` of `dir`.
fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} has no {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

/// The export fixture with references (and markup that must stay text) in
/// a role's summary, a role's reason to own a KPI, a KPI's definition and
/// a skill's description.
fn with_references() -> tempfile::TempDir {
    let dir = catalog_copy("export");
    let root = dir.path();
    edit(
        root,
        "roles/sre-manager.toml",
        "summary = \"Leads an SRE team that keeps 10 services within their SLOs & error budgets.\"",
        "summary = \"The {role} <script>x</script> & reports to the {role:sre-director}, keeps {kpi:slo-attainment} at {target:slo-attainment} and practises {skill:slo-engineering}; {{braces}.\"",
    );
    edit(
        root,
        "roles/sre-manager.toml",
        "why = \"The team runs the services.\"",
        "why = \"The team runs the services the {role:sre-director} assigns.\"",
    );
    edit(
        root,
        "kpis.toml",
        "definition = \"Share of SLOs met over the window.\"",
        "definition = \"Share of SLOs met over the window; the {role:sre-manager} reports it.\"",
    );
    edit(
        root,
        "skills.toml",
        "description = \"Defines and runs service level objectives.\"",
        "description = \"Defines and runs service level objectives, with {kpi:mttr} in mind.\"",
    );
    dir
}

#[tokio::test]
async fn references_in_prose_are_links_and_text_stays_text() {
    let dir = with_references();
    let router = app(AppState::load(CatalogSource::Dir(dir.path().to_path_buf())).expect("valid"));

    let role = get(&router, "/roles/sre-manager").await;
    let body = &role.body;
    assert!(
        body.contains(
            "<p class=\"lede\">The SRE Manager &lt;script&gt;x&lt;/script&gt; &amp; reports to the \
             <a href=\"/roles/sre-director\">SRE Director</a>, keeps \
             <a href=\"/kpis/slo-attainment\">SLO attainment</a> at 95% of SLOs met | 11 of 12 windows and practises \
             <a href=\"/skills/slo-engineering\">SLO &amp; error-budget engineering</a>; {braces}.</p>"
        ),
        "{body}"
    );
    assert!(!body.contains("<script>x"));
    // The role's own title is never a link to the page itself.
    assert!(!body.contains("<a href=\"/roles/sre-manager\">"), "{body}");
    assert!(body.contains("<p>The team runs the services the <a href=\"/roles/sre-director\">SRE Director</a> assigns.</p>"));
    // The KPI's definition, shown on the role's KPI card.
    assert!(
        body.contains("<dd>Share of SLOs met over the window; the SRE Manager reports it.</dd>")
    );
    // The page's description is plain text, for search engines and previews.
    assert!(
        body.contains("<meta name=\"description\" content=\"The SRE Manager &#60;script&#62;"),
        "{body}"
    );

    let kpi = get(&router, "/kpis/slo-attainment").await;
    assert!(
        kpi.body
            .contains("the <a href=\"/roles/sre-manager\">SRE Manager</a> reports it."),
        "{}",
        kpi.body
    );
    assert!(
        kpi.body
            .contains("the <a href=\"/roles/sre-director\">SRE Director</a> assigns.")
    );

    let skill = get(&router, "/skills/slo-engineering").await;
    assert!(
        skill
            .body
            .contains("with <a href=\"/kpis/mttr\">Mean time to restore</a> in mind."),
        "{}",
        skill.body
    );
}
