//! A role blueprint as a document for people: Markdown or plain text.
//!
//! Both styles share one walk over the blueprint so that they always show
//! the same sections in the same order; [`TextDoc`] sets them in either
//! style.

use crate::catalog::Catalog;
use crate::model::{Role, RoleRef};
pub use crate::textdoc::Style;
use crate::textdoc::TextDoc;

/// A role another role names: its title and id when it is in the catalog,
/// as written otherwise, with the note that comes with it.
fn role_ref(doc: &TextDoc, catalog: &Catalog, reference: &RoleRef) -> String {
    let name = match reference.role_id().and_then(|id| catalog.role(id)) {
        Some(role) => doc.role_name(role.title.as_str(), role.id.as_str()),
        None => reference.label().to_string(),
    };
    match &reference.note {
        Some(note) if !note.trim().is_empty() => format!("{name}: {note}"),
        _ => name,
    }
}

/// The whole blueprint of `role` as one document.
pub fn role_document(catalog: &Catalog, role: &Role, style: Style) -> String {
    let mut doc = TextDoc::new(style);
    doc.heading(1, &role.title);
    let family = catalog
        .family(&role.family)
        .map_or(role.family.as_str(), |f| f.name.as_str());
    let level = catalog
        .level(&role.level)
        .map_or(role.level.as_str(), |l| l.name.as_str());
    doc.field("Id", &role.id);
    doc.field("Family", family);
    doc.field("Level", level);
    if !role.aliases.is_empty() {
        let aliases: Vec<&str> = role.aliases.iter().map(|a| a.as_str()).collect();
        doc.field("Also known as", &aliases.join(", "));
    }
    doc.end_block();
    doc.heading(2, "Summary");
    doc.para(&role.summary);
    doc.para(&role.purpose);

    doc.heading(2, "Scope");
    let reports_to: Vec<String> = role
        .scope
        .reports_to
        .iter()
        .map(|r| role_ref(&doc, catalog, r))
        .collect();
    doc.field("Reports to", &reports_to.join("; "));
    doc.field("Direct reports", &role.scope.direct_reports);
    doc.field("Span", &role.scope.span);
    doc.field("Organisation size", &role.scope.org_size);
    doc.field("Budget", &role.scope.budget);
    doc.field("Time horizon", &role.scope.time_horizon);
    doc.end_block();
    doc.para(&role.scope.context);
    if !role.scope.in_scope.is_empty() {
        doc.heading(3, "In scope");
        doc.list(&role.scope.in_scope);
    }
    if !role.scope.out_of_scope.is_empty() {
        doc.heading(3, "Out of scope");
        doc.list(&role.scope.out_of_scope);
    }

    doc.heading(2, "Responsibilities");
    for area in &role.responsibilities {
        doc.heading(3, &area.area);
        doc.list(&area.items);
    }

    doc.heading(2, "Decision rights");
    for (name, items) in [
        ("Decides", &role.decisions.decides),
        ("Recommends", &role.decisions.recommends),
        ("Is consulted on", &role.decisions.consulted),
    ] {
        if !items.is_empty() {
            doc.heading(3, name);
            doc.list(items);
        }
    }

    doc.heading(2, "Skills");
    let rows: Vec<Vec<String>> = role
        .skills
        .iter()
        .map(|req| {
            let skill = catalog.skill(&req.skill);
            let name = skill.map_or(req.skill.to_string(), |s| s.name.clone());
            let level_name = catalog
                .proficiency_level(*req.level)
                .map_or(String::new(), |p| p.name.clone());
            let importance = req.importance.label();
            vec![
                name,
                format!("{} {level_name}", *req.level),
                importance.to_string(),
            ]
        })
        .collect();
    doc.table(&["Skill", "Level", "Importance"], &rows);

    doc.heading(2, "KPIs");
    for ownership in &role.kpis {
        let Some(kpi) = catalog.kpi(&ownership.kpi) else {
            continue;
        };
        doc.heading(3, &kpi.name);
        doc.field("Target", &ownership.target);
        doc.field("Why this role owns it", &ownership.why);
        doc.field("Definition", &kpi.definition);
        doc.field("Formula", &kpi.formula);
        doc.field("Unit", &kpi.unit);
        doc.field("Direction", kpi.direction.label());
        doc.field("Cadence", &kpi.cadence);
        if let Some(benchmark) = kpi.benchmarks.first() {
            doc.field(
                "Benchmark",
                &format!(
                    "{}: {} ({}, {})",
                    benchmark.value, benchmark.meaning, benchmark.source, benchmark.year
                ),
            );
        }
        doc.end_block();
    }

    doc.heading(2, "Career path");
    for (name, moves) in [
        ("Comes from", &role.career.feeders),
        ("Leads to", &role.career.next),
        ("Lateral moves", &role.career.lateral),
    ] {
        if !moves.is_empty() {
            doc.heading(3, name);
            let items: Vec<String> = moves.iter().map(|m| role_ref(&doc, catalog, m)).collect();
            doc.list(&items);
        }
    }

    doc.heading(2, "Qualifications");
    doc.list(&role.qualifications.experience);
    if !role.qualifications.certifications.is_empty() {
        doc.heading(3, "Certifications");
        doc.list(&role.qualifications.certifications);
    }
    if !role.qualifications.education.is_empty() {
        doc.heading(3, "Education");
        doc.list(&role.qualifications.education);
    }

    doc.heading(2, "What success looks like");
    if !role.success.days_90.is_empty() {
        doc.heading(3, "After 90 days");
        doc.list(&role.success.days_90);
    }
    if !role.success.months_12.is_empty() {
        doc.heading(3, "After 12 months");
        doc.list(&role.success.months_12);
    }

    if !role.hiring_signals.is_empty() {
        doc.heading(2, "Hiring signals");
        doc.list(&role.hiring_signals);
    }
    if !role.failure_modes.is_empty() {
        doc.heading(2, "Common failure modes");
        doc.list(&role.failure_modes);
    }

    doc.heading(2, "Crosswalk and provenance");
    if let Some(code) = &role.crosswalk.onet_soc {
        let title = role.crosswalk.onet_title.as_deref().unwrap_or("");
        doc.field("O*NET-SOC", &format!("{} {title}", code.as_str()));
    }
    if let Some(esco) = &role.crosswalk.esco_occupation {
        let title = role.crosswalk.esco_title.as_deref().unwrap_or("");
        doc.field("ESCO", &format!("{title} <{esco}>"));
    }
    doc.field("Last reviewed", &role.provenance.last_reviewed.to_string());
    doc.field("Sources", &role.provenance.sources.join("; "));
    doc.finish()
}
