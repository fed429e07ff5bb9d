//! A format-neutral document: what every exported file says, before any
//! format decides how it looks.
//!
//! A role blueprint, a skill, a KPI or a job posting is walked once into a
//! [`Document`]
//! (headings, paragraphs, labelled fields, lists and tables of plain text);
//! the Markdown, HTML, DOCX and PDF writers only decide how each block looks.
//! That keeps the formats in step: every one shows the same sections in the
//! same order. Text stays plain here; each writer escapes it for its format.

use std::fmt::Write;

use rolebook_core::model::{Kpi, Role, RoleRef, Skill};
use rolebook_core::{Catalog, Logo};

use crate::Scope;

/// One exported document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The document title (the first heading, and file metadata).
    pub title: String,
    /// One line under the title ("Reliability · Manager").
    pub subtitle: Option<String>,
    pub blocks: Vec<Block>,
    /// The organisation's logo, shown in the header of the HTML, PDF and
    /// (PNG only) DOCX files; Markdown has no place for it.
    pub logo: Option<Logo>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A section heading; level 2 is a section, 3 a subsection (1 is the
    /// title, which is not a block).
    Heading {
        level: u8,
        text: String,
    },
    Paragraph(String),
    /// Labelled values ("Target: 99.9%"), shown as a group.
    Fields(Vec<(String, String)>),
    List(Vec<String>),
    Table(Table),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Relative column widths, one per column (they need not add up to
    /// anything in particular).
    pub widths: Vec<u16>,
}

/// Builds a document block by block, skipping empty content so that no
/// format shows an empty heading's list or a blank field.
#[derive(Debug)]
pub(crate) struct Builder {
    doc: Document,
}

impl Builder {
    pub(crate) fn new(title: impl Into<String>, subtitle: Option<String>) -> Self {
        Builder {
            doc: Document {
                title: title.into(),
                subtitle,
                blocks: Vec::new(),
                logo: None,
            },
        }
    }

    pub(crate) fn heading(&mut self, level: u8, text: impl Into<String>) {
        self.doc.blocks.push(Block::Heading {
            level,
            text: text.into(),
        });
    }

    pub(crate) fn para(&mut self, text: &str) {
        let text = text.trim();
        if !text.is_empty() {
            self.doc.blocks.push(Block::Paragraph(text.to_string()));
        }
    }

    pub(crate) fn fields(&mut self, fields: Vec<(&str, String)>) {
        let fields: Vec<(String, String)> = fields
            .into_iter()
            .filter(|(_, value)| !value.trim().is_empty())
            .map(|(name, value)| (name.to_string(), value.trim().to_string()))
            .collect();
        if !fields.is_empty() {
            self.doc.blocks.push(Block::Fields(fields));
        }
    }

    pub(crate) fn list(&mut self, items: &[String]) {
        let items: Vec<String> = items
            .iter()
            .map(|item| item.trim().to_string())
            .filter(|item| !item.is_empty())
            .collect();
        if !items.is_empty() {
            self.doc.blocks.push(Block::List(items));
        }
    }

    /// A subsection heading followed by its list, or nothing when the list
    /// is empty.
    pub(crate) fn titled_list(&mut self, level: u8, title: &str, items: &[String]) {
        if items.iter().any(|item| !item.trim().is_empty()) {
            self.heading(level, title);
            self.list(items);
        }
    }

    pub(crate) fn table(&mut self, header: &[&str], widths: &[u16], rows: Vec<Vec<String>>) {
        if !rows.is_empty() {
            self.doc.blocks.push(Block::Table(Table {
                header: header.iter().map(|h| h.to_string()).collect(),
                rows,
                widths: widths.to_vec(),
            }));
        }
    }

    /// The document with no catalog, for tests of the writers.
    #[cfg(test)]
    pub(crate) fn finish(self) -> Document {
        self.doc
    }

    /// The document, carrying `catalog`'s logo: every document (role,
    /// skill, KPI, job posting) is finished for its catalog.
    pub(crate) fn finish_for(mut self, catalog: &Catalog) -> Document {
        self.doc.logo = catalog.logo().cloned();
        self.doc
    }
}

/// "Reliability · Manager": the role's family and level names.
pub(crate) fn family_and_level(catalog: &Catalog, role: &Role) -> String {
    let family = catalog
        .family(&role.family)
        .map_or(role.family.as_str(), |f| f.name.as_str());
    let level = catalog
        .level(&role.level)
        .map_or(role.level.as_str(), |l| l.name.as_str());
    format!("{family} · {level}")
}

/// Whom the role reports to, one entry after another ("; ").
pub(crate) fn reports_to(catalog: &Catalog, role: &Role) -> String {
    let entries: Vec<String> = role
        .scope
        .reports_to
        .iter()
        .map(|r| role_ref(catalog, r))
        .collect();
    entries.join("; ")
}

/// A career or reporting-line entry: the catalog title, or the external
/// title, with its note.
pub(crate) fn role_ref(catalog: &Catalog, reference: &RoleRef) -> String {
    let name = match reference.role_id().and_then(|id| catalog.role(id)) {
        Some(role) => role.title.to_string(),
        None => reference.label().to_string(),
    };
    match &reference.note {
        Some(note) if !note.trim().is_empty() => format!("{name}: {}", note.trim()),
        _ => name,
    }
}

/// "4 Advanced": a required level with its name on the proficiency scale.
pub(crate) fn level_label(catalog: &Catalog, level: u8) -> String {
    match catalog.proficiency_level(level) {
        Some(p) => format!("{level} {}", p.name),
        None => level.to_string(),
    }
}

/// The rows of a role's skills table: skill, required level, importance and
/// what that level of the skill looks like.
pub(crate) fn skill_rows(catalog: &Catalog, role: &Role) -> Vec<Vec<String>> {
    role.skills
        .iter()
        .map(|req| {
            let skill = catalog.skill(&req.skill);
            vec![
                skill.map_or_else(|| req.skill.to_string(), |s| s.name.clone()),
                level_label(catalog, *req.level),
                req.importance.label().to_string(),
                skill
                    .and_then(|s| s.level_descriptor(*req.level))
                    .unwrap_or("")
                    .to_string(),
            ]
        })
        .collect()
}

/// The rows of a role's KPI table: KPI, this role's target, unit, direction
/// and cadence.
pub(crate) fn kpi_rows(catalog: &Catalog, role: &Role) -> Vec<Vec<String>> {
    role.kpis
        .iter()
        .filter_map(|own| {
            let kpi = catalog.kpi(&own.kpi)?;
            Some(vec![
                kpi.name.clone(),
                own.target.clone(),
                kpi.unit.clone(),
                kpi.direction.label().to_string(),
                kpi.cadence.clone(),
            ])
        })
        .collect()
}

/// The whole blueprint of `role`, in the section order of
/// `rolebook show` (`rolebook_core::render`), with tables for skills and
/// KPIs.
pub fn role_document(catalog: &Catalog, role: &Role) -> Document {
    let mut doc = Builder::new(role.title.as_str(), Some(family_and_level(catalog, role)));
    let aliases: Vec<&str> = role.aliases.iter().map(|a| a.as_str()).collect();
    doc.fields(vec![
        ("Id", role.id.to_string()),
        ("Also known as", aliases.join(", ")),
    ]);

    doc.heading(2, "Summary");
    doc.para(&role.summary);
    doc.para(&role.purpose);

    doc.heading(2, "Scope");
    doc.fields(vec![
        ("Reports to", reports_to(catalog, role)),
        ("Direct reports", role.scope.direct_reports.clone()),
        ("Span", role.scope.span.clone()),
        ("Organisation size", role.scope.org_size.clone()),
        ("Budget", role.scope.budget.clone()),
        ("Time horizon", role.scope.time_horizon.clone()),
    ]);
    doc.para(&role.scope.context);
    doc.titled_list(3, "In scope", &role.scope.in_scope);
    doc.titled_list(3, "Out of scope", &role.scope.out_of_scope);

    doc.heading(2, "Responsibilities");
    for area in &role.responsibilities {
        doc.titled_list(3, &area.area, &area.items);
    }

    doc.heading(2, "Decision rights");
    doc.titled_list(3, "Decides", &role.decisions.decides);
    doc.titled_list(3, "Recommends", &role.decisions.recommends);
    doc.titled_list(3, "Is consulted on", &role.decisions.consulted);

    doc.heading(2, "Skills");
    doc.table(
        &["Skill", "Level", "Importance", "What this level looks like"],
        &[5, 3, 4, 11],
        skill_rows(catalog, role),
    );

    doc.heading(2, "KPIs");
    doc.table(
        &["KPI", "Target", "Unit", "Direction", "Cadence"],
        &[6, 8, 3, 3, 3],
        kpi_rows(catalog, role),
    );
    for own in &role.kpis {
        let Some(kpi) = catalog.kpi(&own.kpi) else {
            continue;
        };
        doc.heading(3, &kpi.name);
        let benchmark = kpi.benchmarks.first().map_or_else(String::new, |b| {
            format!("{}: {} ({}, {})", b.value, b.meaning, b.source, b.year)
        });
        doc.fields(vec![
            ("Target", own.target.clone()),
            ("Why this role owns it", own.why.clone()),
            ("Definition", kpi.definition.clone()),
            ("Formula", kpi.formula.clone()),
            ("Benchmark", benchmark),
        ]);
    }

    doc.heading(2, "Career path");
    for (name, moves) in [
        ("Comes from", &role.career.feeders),
        ("Leads to", &role.career.next),
        ("Lateral moves", &role.career.lateral),
    ] {
        let items: Vec<String> = moves.iter().map(|m| role_ref(catalog, m)).collect();
        doc.titled_list(3, name, &items);
    }

    doc.heading(2, "Qualifications");
    doc.list(&role.qualifications.experience);
    doc.titled_list(3, "Certifications", &role.qualifications.certifications);
    doc.titled_list(3, "Education", &role.qualifications.education);

    doc.heading(2, "What success looks like");
    doc.titled_list(3, "After 90 days", &role.success.days_90);
    doc.titled_list(3, "After 12 months", &role.success.months_12);

    if !role.hiring_signals.is_empty() {
        doc.heading(2, "Hiring signals");
        doc.list(&role.hiring_signals);
    }
    if !role.failure_modes.is_empty() {
        doc.heading(2, "Common failure modes");
        doc.list(&role.failure_modes);
    }

    doc.heading(2, "Crosswalk and provenance");
    let onet = role
        .crosswalk
        .onet_soc
        .as_ref()
        .map_or_else(String::new, |code| {
            let title = role.crosswalk.onet_title.as_deref().unwrap_or("");
            format!("{} {title}", code.as_str()).trim().to_string()
        });
    let esco = role
        .crosswalk
        .esco_occupation
        .as_ref()
        .map_or_else(String::new, |uri| {
            let title = role.crosswalk.esco_title.as_deref().unwrap_or("");
            format!("{title} <{uri}>").trim().to_string()
        });
    doc.fields(vec![
        ("O*NET-SOC", onet),
        ("ESCO", esco),
        ("Last reviewed", role.provenance.last_reviewed.to_string()),
        ("Sources", role.provenance.sources.join("; ")),
    ]);
    doc.finish_for(catalog)
}

/// A category as a subtitle word: "service-desk" → "Service desk",
/// "ai risk" → "AI risk".
pub(crate) fn category_label(text: &str) -> String {
    let words: Vec<&str> = text
        .split(['-', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.eq_ignore_ascii_case("ai") {
                "AI"
            } else {
                w
            }
        })
        .collect();
    let joined = words.join(" ");
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A skill: what it is, what each level of the proficiency scale looks
/// like for it (the scale's own words where the skill has none), and the
/// roles that require it, highest level first; what the skill page shows.
pub fn skill_document(catalog: &Catalog, skill: &Skill) -> Document {
    skill_document_in(catalog, skill, Scope::Catalog)
}

/// A skill's document listing only the roles of `scope`.
pub fn skill_document_in(catalog: &Catalog, skill: &Skill, scope: Scope<'_>) -> Document {
    let mut doc = Builder::new(
        skill.name.as_str(),
        Some(format!(
            "Skill · {}",
            category_label(skill.category.label())
        )),
    );
    doc.fields(vec![
        ("Id", skill.id.to_string()),
        ("SFIA code", skill.sfia_code.clone().unwrap_or_default()),
        ("ESCO", skill.esco_uri.clone().unwrap_or_default()),
    ]);
    doc.para(&skill.description);

    doc.heading(2, "Proficiency levels");
    let levels = catalog
        .proficiency()
        .iter()
        .map(|p| {
            vec![
                level_label(catalog, *p.level),
                skill
                    .level_descriptor(*p.level)
                    .unwrap_or(&p.descriptor)
                    .to_string(),
            ]
        })
        .collect();
    doc.table(&["Level", "What this level looks like"], &[3, 12], levels);

    doc.heading(2, "Roles that require it");
    let holders: Vec<Vec<String>> = catalog
        .roles_requiring_skill(&skill.id)
        .into_iter()
        .filter(|(role, _)| scope.has_role(&role.id))
        .map(|(role, level)| {
            let importance = role
                .skills
                .iter()
                .find(|s| s.skill.as_str() == skill.id.as_str())
                .map_or("", |s| s.importance.label());
            vec![
                role.title.to_string(),
                level_label(catalog, level),
                importance.to_string(),
            ]
        })
        .collect();
    if holders.is_empty() {
        doc.para("No role in this catalog requires this skill.");
    }
    doc.table(&["Role", "Level", "Importance"], &[8, 4, 3], holders);
    doc.finish_for(catalog)
}

/// A KPI: its definition, how it is measured, how it misleads, published
/// benchmarks, and the roles that own it with their targets; what the KPI
/// page shows.
pub fn kpi_document(catalog: &Catalog, kpi: &Kpi) -> Document {
    kpi_document_in(catalog, kpi, Scope::Catalog)
}

/// A KPI's document listing only the owners of `scope`.
pub fn kpi_document_in(catalog: &Catalog, kpi: &Kpi, scope: Scope<'_>) -> Document {
    let mut doc = Builder::new(
        kpi.name.as_str(),
        Some(format!("KPI · {}", category_label(&kpi.category))),
    );
    doc.fields(vec![("Id", kpi.id.to_string())]);
    doc.para(&kpi.definition);

    doc.heading(2, "Measurement");
    doc.fields(vec![
        ("Formula", kpi.formula.clone()),
        ("Unit", kpi.unit.clone()),
        ("Direction", kpi.direction.label().to_string()),
        ("Cadence", kpi.cadence.clone()),
        ("Data sources", kpi.data_sources.join("; ")),
    ]);

    doc.titled_list(2, "Pitfalls", &kpi.pitfalls);

    if !kpi.benchmarks.is_empty() {
        doc.heading(2, "Benchmarks");
        doc.table(
            &["Value", "Meaning", "Source", "Year"],
            &[4, 8, 5, 2],
            kpi.benchmarks
                .iter()
                .map(|b| {
                    vec![
                        b.value.clone(),
                        b.meaning.clone(),
                        b.source.clone(),
                        b.year.to_string(),
                    ]
                })
                .collect(),
        );
    }

    doc.heading(2, "Who owns it");
    let owners: Vec<Vec<String>> = catalog
        .kpi_owners(&kpi.id)
        .into_iter()
        .filter(|(role, _)| scope.has_role(&role.id))
        .map(|(role, own)| vec![role.title.to_string(), own.target.clone(), own.why.clone()])
        .collect();
    if owners.is_empty() {
        doc.para("No role in this catalog owns this KPI.");
    }
    doc.table(
        &["Role", "Target", "Why this role owns it"],
        &[4, 6, 7],
        owners,
    );
    doc.finish_for(catalog)
}

/// Markdown: ATX headings, `**Label:**` fields, `-` lists and pipe tables,
/// with catalog text escaped ([`rolebook_core::escape::markdown`]).
pub fn to_markdown(doc: &Document) -> String {
    let e = rolebook_core::escape::markdown;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", e(&doc.title));
    if let Some(subtitle) = &doc.subtitle {
        let _ = writeln!(out, "*{}*\n", e(subtitle));
    }
    for block in &doc.blocks {
        match block {
            Block::Heading { level, text } => {
                let _ = writeln!(out, "{} {}\n", "#".repeat(usize::from(*level)), e(text));
            }
            Block::Paragraph(text) => {
                let _ = writeln!(out, "{}\n", e(text));
            }
            Block::Fields(fields) => {
                for (name, value) in fields {
                    let _ = writeln!(out, "- **{}:** {}", e(name), e(value));
                }
                out.push('\n');
            }
            Block::List(items) => {
                for item in items {
                    let _ = writeln!(out, "- {}", e(item));
                }
                out.push('\n');
            }
            Block::Table(table) => {
                let header: Vec<String> = table.header.iter().map(|h| e(h)).collect();
                let _ = writeln!(out, "| {} |", header.join(" | "));
                let _ = writeln!(out, "|{}|", vec!["---"; header.len()].join("|"));
                for row in &table.rows {
                    let cells: Vec<String> = row.iter().map(|c| e(c)).collect();
                    let _ = writeln!(out, "| {} |", cells.join(" | "));
                }
                out.push('\n');
            }
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_skips_empty_content() {
        let mut doc = Builder::new("T", None);
        doc.para("  ");
        doc.fields(vec![("Empty", String::new()), ("Kept", "x".to_string())]);
        doc.list(&[String::new()]);
        doc.titled_list(3, "Nothing", &[" ".to_string()]);
        doc.table(&["A"], &[1], Vec::new());
        let doc = doc.finish();
        assert_eq!(
            doc.blocks,
            vec![Block::Fields(vec![("Kept".to_string(), "x".to_string())])]
        );
    }

    #[test]
    fn category_labels_read_as_words() {
        assert_eq!(category_label("service-desk"), "Service desk");
        assert_eq!(category_label("ai risk"), "AI risk");
        assert_eq!(category_label("technical"), "Technical");
        assert_eq!(category_label(""), "");
    }

    #[test]
    fn markdown_table_cells_keep_pipes_inside() {
        let mut doc = Builder::new("T", None);
        doc.table(&["A", "B"], &[1, 1], vec![vec!["x | y".into(), "z".into()]]);
        let md = to_markdown(&doc.finish());
        assert!(md.contains("| x \\| y | z |"), "{md}");
    }
}
