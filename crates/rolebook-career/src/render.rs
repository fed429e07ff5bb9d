//! Career reports as documents for people, in plain text or Markdown.
//!
//! Each report has one function that walks it once; core's [`TextDoc`]
//! sets it in either style, as it does blueprints, so that reports and
//! blueprints look alike.

pub use rolebook_core::textdoc::Style;
use rolebook_core::textdoc::TextDoc;

use crate::assess::{Assessment, Fit};
use crate::diff::RoleDiff;
use crate::gap::{RoleInfo, SkillLine};
use crate::graph::{Evidence, Move, NextReport};
use crate::path::PathReport;

/// How many skill gaps a move's explanation names.
const GAPS_EXPLAINED: usize = 3;

/// A role as "Title [id]" (text) or "Title (`id`)" (Markdown).
fn role_name(doc: &TextDoc, role: &RoleInfo) -> String {
    doc.role_name(&role.title, &role.id)
}

fn level(n: u8, name: &str) -> String {
    if n == 0 {
        name.to_string()
    } else {
        format!("{n} {name}")
    }
}

fn signed(n: i16) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

fn placement(role: &RoleInfo) -> String {
    format!("{}, {}", role.level_name, role.family_name)
}

/// "SLO engineering: 3 Practitioner → 5 Expert (core, +4)".
fn shortfall(line: &SkillLine) -> String {
    format!(
        "{}: {} → {} ({}, +{})",
        line.name,
        level(line.current, &line.current_name),
        level(line.required, &line.required_name),
        line.importance.label(),
        line.weighted_shortfall
    )
}

fn biggest_gaps(lines: &[SkillLine]) -> String {
    if lines.is_empty() {
        return "none: every required level is already met".to_string();
    }
    let mut shown: Vec<String> = lines.iter().take(GAPS_EXPLAINED).map(shortfall).collect();
    if lines.len() > GAPS_EXPLAINED {
        let more = lines.len() - GAPS_EXPLAINED;
        shown.push(format!(
            "and {more} more {}",
            if more == 1 { "skill" } else { "skills" }
        ));
    }
    shown.join("; ")
}

fn evidence(evidence: &Evidence) -> String {
    let place = evidence.location();
    match &evidence.note {
        Some(note) => format!("{place}: {note}"),
        None => place,
    }
}

fn skill_rows(lines: &[SkillLine]) -> Vec<Vec<String>> {
    lines
        .iter()
        .map(|l| {
            vec![
                l.name.clone(),
                l.importance.label().to_string(),
                level(l.current, &l.current_name),
                level(l.required, &l.required_name),
                if l.shortfall == 0 {
                    "met".to_string()
                } else {
                    format!("+{}", l.weighted_shortfall)
                },
            ]
        })
        .collect()
}

/// A role diff.
pub fn diff(report: &RoleDiff, style: Style) -> String {
    let mut doc = TextDoc::new(style);
    doc.heading(1, &format!("{} → {}", report.from.title, report.to.title));
    let from = role_name(&doc, &report.from);
    let to = role_name(&doc, &report.to);
    doc.field("From", &format!("{from}, {}", placement(&report.from)));
    doc.field("To", &format!("{to}, {}", placement(&report.to)));
    doc.field(
        "Level",
        &format!(
            "{} → {} (rank {}, SFIA level {})",
            report.level.from,
            report.level.to,
            signed(report.level.rank_change),
            signed(report.level.sfia_change)
        ),
    );
    if let Some(track) = &report.level.track {
        doc.field("Track", &format!("{} → {}", track.from, track.to));
    }
    if let Some(family) = &report.family {
        doc.field("Family", &format!("{} → {}", family.from, family.to));
    }
    doc.field("Skill gap", &report.gap.total.to_string());
    doc.end_block();

    doc.heading(2, "Skills");
    let entries = |entries: &[crate::diff::SkillEntry]| -> Vec<Vec<String>> {
        entries
            .iter()
            .map(|e| {
                vec![
                    e.name.clone(),
                    level(e.level, &e.level_name),
                    e.importance.label().to_string(),
                ]
            })
            .collect()
    };
    if !report.skills_gained.is_empty() {
        doc.heading(3, &format!("Gained ({})", report.skills_gained.len()));
        doc.table(
            &["Skill", "Level", "Importance"],
            &entries(&report.skills_gained),
        );
    }
    if !report.skills_lost.is_empty() {
        doc.heading(
            3,
            &format!("No longer required ({})", report.skills_lost.len()),
        );
        doc.table(
            &["Skill", "Level", "Importance"],
            &entries(&report.skills_lost),
        );
    }
    if !report.skills_changed.is_empty() {
        doc.heading(3, &format!("Changed ({})", report.skills_changed.len()));
        let rows: Vec<Vec<String>> = report
            .skills_changed
            .iter()
            .map(|c| {
                let importance_change = if c.from_importance == c.to_importance {
                    c.to_importance.label().to_string()
                } else {
                    format!(
                        "{} → {}",
                        c.from_importance.label(),
                        c.to_importance.label()
                    )
                };
                vec![
                    c.name.clone(),
                    level(c.from_level, &c.from_level_name),
                    level(c.to_level, &c.to_level_name),
                    signed(c.level_change()),
                    importance_change,
                ]
            })
            .collect();
        doc.table(&["Skill", "From", "To", "Change", "Importance"], &rows);
    }
    doc.para(&format!(
        "Required at the same level and importance by both: {}.",
        plural(report.skills_unchanged, "skill", "skills")
    ));

    doc.heading(2, "Skill gap");
    doc.para(report.gap.formula);
    if report.gap.skills.is_empty() {
        doc.para(&format!(
            "Gap {}: {} requires nothing {} does not.",
            report.gap.total, report.to.title, report.from.title
        ));
    } else {
        doc.para(&format!("Gap {}:", report.gap.total));
        doc.table(
            &["Skill", "Importance", "From", "To", "Weighted"],
            &skill_rows(&report.gap.skills),
        );
    }

    doc.heading(2, "KPIs");
    let kpi_items = |entries: &[crate::diff::KpiEntry]| -> Vec<String> {
        entries
            .iter()
            .map(|k| format!("{}: {}", k.name, k.target))
            .collect()
    };
    if !report.kpis_gained.is_empty() {
        doc.heading(3, &format!("Gained ({})", report.kpis_gained.len()));
        doc.list(&kpi_items(&report.kpis_gained));
    }
    if !report.kpis_lost.is_empty() {
        doc.heading(3, &format!("No longer owned ({})", report.kpis_lost.len()));
        doc.list(&kpi_items(&report.kpis_lost));
    }
    if !report.kpi_targets_changed.is_empty() {
        doc.heading(
            3,
            &format!("Different targets ({})", report.kpi_targets_changed.len()),
        );
        for change in &report.kpi_targets_changed {
            doc.item(
                "-",
                &change.name,
                &[
                    format!("from: {}", change.from_target),
                    format!("to: {}", change.to_target),
                ],
            );
        }
        doc.end_block();
    }
    if report.kpis_gained.is_empty()
        && report.kpis_lost.is_empty()
        && report.kpi_targets_changed.is_empty()
    {
        doc.para("Both roles own the same KPIs with the same targets.");
    }

    doc.heading(2, "Scope");
    if report.scope.is_empty() {
        doc.para("The scope fields are the same.");
    }
    for change in &report.scope {
        doc.item(
            "-",
            change.label,
            &[
                format!("from: {}", change.from),
                format!("to: {}", change.to),
            ],
        );
    }
    if !report.scope.is_empty() {
        doc.end_block();
    }

    doc.heading(2, "Decision rights");
    let mut any = false;
    for (name, lists) in report.decisions.lists() {
        for (only, items) in [
            (&report.from.title, &lists.only_from),
            (&report.to.title, &lists.only_to),
        ] {
            if !items.is_empty() {
                any = true;
                doc.heading(3, &format!("{name}: only {only}"));
                doc.list(items);
            }
        }
    }
    if !any {
        doc.para("The decision rights are the same.");
    }
    doc.finish()
}

fn move_details(m: &Move, with_placement: bool) -> Vec<String> {
    let mut details = Vec::new();
    if with_placement {
        details.push(format!("Role: {}", placement(&m.to)));
    }
    details.push(format!("Biggest gaps: {}", biggest_gaps(&m.gap.skills)));
    for e in &m.evidence {
        details.push(format!("Evidence: {}", evidence(e)));
    }
    details
}

/// The moves from one role, ranked.
pub fn next(report: &NextReport, style: Style) -> String {
    let mut doc = TextDoc::new(style);
    doc.heading(1, &format!("Moves from {}", report.role.title));
    let role = role_name(&doc, &report.role);
    doc.field("Role", &format!("{role}, {}", placement(&report.role)));
    doc.field(
        "Ranked by",
        "kind (next, then lateral, then implied), then skill gap, smallest first",
    );
    doc.field("Gap", report.gap_formula);
    doc.end_block();
    if report.moves.is_empty() {
        doc.para("The catalog lists no moves from this role, and the framework implies none.");
    }
    for (i, m) in report.moves.iter().enumerate() {
        let title = format!(
            "{}: {}, gap {}",
            role_name(&doc, &m.to),
            m.kind.label(),
            m.gap.total
        );
        let details = move_details(m, true);
        doc.item(&format!("{}.", i + 1), &title, &details);
        doc.end_block();
    }
    if !report.outside.is_empty() {
        doc.heading(2, "Also listed, outside the catalog");
        doc.para("These roles have no blueprint, so no gap can be measured.");
        let items: Vec<String> = report
            .outside
            .iter()
            .map(|o| match &o.note {
                Some(note) => format!("{} ({}): {note}", o.title, o.kind.label()),
                None => format!("{} ({})", o.title, o.kind.label()),
            })
            .collect();
        doc.list(&items);
    }
    doc.finish()
}

/// The cheapest paths between two roles.
pub fn paths(report: &PathReport, style: Style) -> String {
    let mut doc = TextDoc::new(style);
    doc.heading(
        1,
        &format!("Paths from {} to {}", report.from.title, report.to.title),
    );
    if let Some(person) = &report.person {
        let who = person.name.as_deref().unwrap_or("the profile");
        doc.field(
            "Starting from",
            &format!("{who}'s own ratings, in the role {}", report.from.title),
        );
    }
    doc.field("Path cost", report.path_formula);
    doc.field("Gap", report.gap_formula);
    doc.end_block();
    if report.paths.is_empty() {
        doc.para(&format!(
            "No path leads from {} to {} in the career graph.",
            report.from.title, report.to.title
        ));
    }
    for (i, path) in report.paths.iter().enumerate() {
        doc.heading(
            2,
            &format!(
                "Path {}: {}, total gap {}, {}",
                i + 1,
                path.summary(),
                path.total_gap,
                plural(path.steps.len(), "move", "moves")
            ),
        );
        let mut route = vec![report.from.title.clone()];
        route.extend(path.steps.iter().map(|s| s.to.title.clone()));
        doc.para(&route.join(" → "));
        if path.steps.is_empty() {
            doc.para("Already there: the two roles are the same.");
        }
        for (j, step) in path.steps.iter().enumerate() {
            let title = format!(
                "{} → {}: {}, gap {}",
                step.from.title,
                role_name(&doc, &step.to),
                step.kind.label(),
                step.gap.total
            );
            // Every missing skill, not only the biggest: a path is a plan.
            let mut details = vec![if step.gap.skills.is_empty() {
                "To gain: nothing, every required level is held by then".to_string()
            } else {
                format!(
                    "To gain: {}",
                    step.gap
                        .skills
                        .iter()
                        .map(shortfall)
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            }];
            details.extend(
                step.evidence
                    .iter()
                    .map(|e| format!("Evidence: {}", evidence(e))),
            );
            doc.item(&format!("{}.", j + 1), &title, &details);
            doc.end_block();
        }
    }
    doc.finish()
}

/// A person's gap to a target role, with readiness and a plan.
pub fn assessment(report: &Assessment, style: Style) -> String {
    let mut doc = TextDoc::new(style);
    let who = report.person.as_deref().unwrap_or("Profile");
    doc.heading(1, &format!("{who} → {}", report.target.title));
    if let Some(name) = &report.person {
        doc.field("Person", name);
    }
    if let Some(current) = &report.current_role {
        let role = role_name(&doc, current);
        doc.field("Current role", &format!("{role}, {}", placement(current)));
    }
    let target = role_name(&doc, &report.target);
    doc.field(
        "Target",
        &format!("{target}, {}", placement(&report.target)),
    );
    doc.field(
        "Readiness",
        &format!(
            "{} ({} of {} weighted levels)",
            report.readiness.percent(),
            report.readiness.met,
            report.readiness.required
        ),
    );
    doc.field("Skill gap", &report.gap.to_string());
    doc.end_block();
    doc.field("Readiness formula", report.readiness.formula);
    doc.field("Gap formula", report.gap_formula);
    doc.end_block();

    doc.heading(2, "Skills");
    if report.skills.iter().any(|l| l.manager.is_some()) {
        // The manager's rating beside the person's own; only theirs counts.
        let rows: Vec<Vec<String>> = skill_rows(&report.skills)
            .into_iter()
            .zip(&report.skills)
            .map(|(mut row, line)| {
                let manager = line.manager.map_or_else(
                    || "–".to_string(),
                    |m| {
                        let apart = if m.abs_diff(line.current) >= 2 {
                            " (2+ apart)"
                        } else {
                            ""
                        };
                        format!("{m}{apart}")
                    },
                );
                row.insert(3, manager);
                row
            })
            .collect();
        doc.table(
            &[
                "Skill",
                "Importance",
                "Current",
                "Manager",
                "Required",
                "Gap",
            ],
            &rows,
        );
    } else {
        doc.table(
            &["Skill", "Importance", "Current", "Required", "Gap"],
            &skill_rows(&report.skills),
        );
    }

    doc.heading(2, "Development plan");
    if report.plan.is_empty() {
        doc.para("Every required level is met: nothing to develop for this role.");
    }
    for (i, item) in report.plan.iter().enumerate() {
        let current = if item.current == 0 {
            "not assessed".to_string()
        } else {
            format!("now {}", item.current)
        };
        let title = format!(
            "{} ({}): {current}, required {}",
            item.name,
            item.importance.label(),
            item.required
        );
        let steps: Vec<String> = item
            .steps
            .iter()
            .map(|s| {
                let generic = if s.generic {
                    " (general scale; the skill does not describe this level)"
                } else {
                    ""
                };
                format!(
                    "Level {} {}: {}{generic}",
                    s.level, s.level_name, s.descriptor
                )
            })
            .collect();
        doc.item(&format!("{}.", i + 1), &title, &steps);
        doc.end_block();
    }
    if !report.other_skills.is_empty() {
        doc.heading(2, "Other skills in the profile");
        doc.para(&format!("{} does not require these.", report.target.title));
        let items: Vec<String> = report
            .other_skills
            .iter()
            .map(|s| format!("{}: {}", s.name, level(s.level, &s.level_name)))
            .collect();
        doc.list(&items);
    }
    doc.finish()
}

/// Every role (or the top ones) ranked by readiness.
pub fn fit(report: &Fit, style: Style) -> String {
    let mut doc = TextDoc::new(style);
    let who = report.person.as_deref().unwrap_or("this profile");
    doc.heading(1, &format!("Roles by readiness for {who}"));
    doc.field(
        "Shown",
        &format!(
            "{} of {}",
            report.roles.len(),
            plural(report.total_roles, "role", "roles")
        ),
    );
    doc.field("Readiness formula", report.readiness_formula);
    doc.field("Gap formula", report.gap_formula);
    doc.end_block();
    let gaps = |row: &crate::assess::FitRow| {
        let shown: Vec<String> = row
            .biggest_gaps
            .iter()
            .map(|l| format!("{} +{}", l.name, l.weighted_shortfall))
            .collect();
        if shown.is_empty() {
            "none".to_string()
        } else {
            shown.join("; ")
        }
    };
    match style {
        // A table is the natural shape in Markdown; in a terminal it would
        // run far past the line width, so each role gets a short entry.
        Style::Markdown => {
            let rows: Vec<Vec<String>> = report
                .roles
                .iter()
                .map(|row| {
                    let marker = if row.current { " (current)" } else { "" };
                    vec![
                        row.position.to_string(),
                        format!("{}{marker}", role_name(&doc, &row.role)),
                        row.role.level_name.clone(),
                        row.readiness.percent(),
                        row.gap.to_string(),
                        format!("{}/{}", row.skills_met, row.skills_required),
                        gaps(row),
                    ]
                })
                .collect();
            doc.table(
                &[
                    "#",
                    "Role",
                    "Level",
                    "Readiness",
                    "Gap",
                    "Met",
                    "Biggest gaps",
                ],
                &rows,
            );
        }
        Style::Text => {
            let width = report.roles.len().to_string().len() + 1;
            for row in &report.roles {
                let marker = if row.current { ", current role" } else { "" };
                let title = format!(
                    "{}: readiness {}, gap {}",
                    role_name(&doc, &row.role),
                    row.readiness.percent(),
                    row.gap
                );
                let details = [
                    format!(
                        "{}{marker}; {} of {} required skills met",
                        placement(&row.role),
                        row.skills_met,
                        row.skills_required
                    ),
                    format!("Biggest gaps: {}", gaps(row)),
                ];
                doc.item(
                    &format!("{:>width$}", format!("{}.", row.position)),
                    &title,
                    &details,
                );
            }
            doc.end_block();
        }
    }
    doc.finish()
}
