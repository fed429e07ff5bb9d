//! What changed between two versions of one catalog entity (a role, a
//! skill, a KPI, the framework or the organisation): the history view of a
//! versioned workspace. Comparing two *different* roles for a career move is
//! `rolebook-career`'s `diff`, not this.
//!
//! The result is plain data ([`Changes`], serialised as JSON as it is),
//! rendered one line per change as text ([`Changes::to_text`]) or as a
//! Markdown list ([`Changes::to_markdown`]). Values are compared, never the
//! spans ids were read from.
//!
//! Lists are matched by what identifies their items: strings by their exact
//! text, skills and KPIs by id, career moves by role id or external title,
//! responsibility areas by name, framework levels and families by id. An
//! item whose text changed where it stands (same position, and neither text
//! elsewhere in the other version) is one [`Change::Text`], not a removal
//! and an addition. An item that is kept is [`Change::Moved`] only when it
//! is off the longest run of kept items still in their old order, so one
//! insertion does not make every later item "moved".
//!
//! Field paths name where a change is: `summary`, `scope.budget`,
//! `responsibilities[Incident management].items`, `kpis[toil-share].why`.
//! A name in brackets is catalog text, with `\` and `]` escaped by a
//! backslash, so a path can always be read back ([`field_label`]).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::hash::Hash;

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use crate::escape;
use crate::model::{
    Framework, Importance, Kpi, LintAllow, Organisation, Role, RoleRef, Skill, SkillRequirement,
};
use crate::text::printable;

/// Everything that changed in one entity between two of its versions, in
/// file order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changes {
    /// `role`, `skill`, `kpi`, `framework` or `organisation`.
    pub kind: &'static str,
    /// The entity's id in the newer version (`framework` and
    /// `organisation` for those two files).
    pub id: String,
    pub changes: Vec<Change>,
}

/// One change. Positions (`from`, `to` of [`Change::Moved`]) count from 0;
/// renderings count from 1.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "kebab-case")]
pub enum Change {
    /// Prose changed: a text field, or a list item reworded in place. An
    /// absent optional text is the empty string.
    Text {
        field: String,
        from: String,
        to: String,
        /// The change word by word, for display.
        words: Vec<WordChange>,
    },
    /// A scalar that is not prose changed: title, family, level, a code,
    /// a unit, a direction, a date. An absent value is the empty string.
    Value {
        field: String,
        from: String,
        to: String,
    },
    /// An item added to a list.
    Added {
        field: String,
        value: String,
    },
    /// An item removed from a list.
    Removed {
        field: String,
        value: String,
    },
    /// The same item at a new position in its list.
    Moved {
        field: String,
        value: String,
        from: usize,
        to: usize,
    },
    SkillLevel {
        skill: String,
        from: u8,
        to: u8,
    },
    SkillImportance {
        skill: String,
        from: Importance,
        to: Importance,
    },
    SkillAdded {
        skill: String,
        level: u8,
        importance: Importance,
    },
    SkillRemoved {
        skill: String,
        level: u8,
        importance: Importance,
    },
    KpiTarget {
        kpi: String,
        from: String,
        to: String,
    },
    KpiAdded {
        kpi: String,
        target: String,
    },
    KpiRemoved {
        kpi: String,
        target: String,
    },
    /// A career move added: `to` is a catalog role id or an external
    /// title, as [`RoleRef::label`] shows it.
    CareerAdded {
        list: CareerList,
        to: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    CareerRemoved {
        list: CareerList,
        to: String,
    },
}

/// Which of a role's career lists a move is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CareerList {
    Feeders,
    Next,
    Lateral,
}

impl CareerList {
    /// The list's field name in a role file.
    pub fn field(self) -> &'static str {
        match self {
            CareerList::Feeders => "career.feeders",
            CareerList::Next => "career.next",
            CareerList::Lateral => "career.lateral",
        }
    }
}

/// A run of words (with the spaces between them) that both versions share,
/// or that only one has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordChange {
    pub op: WordOp,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WordOp {
    Equal,
    Insert,
    Delete,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// One line per change, for a terminal or an e-mail; `No changes` when
    /// there are none.
    pub fn to_text(&self) -> String {
        self.render(Style::Text)
    }

    /// A Markdown list, one item per change, with deleted words struck
    /// through and inserted words in bold; `No changes` when there are none.
    pub fn to_markdown(&self) -> String {
        self.render(Style::Markdown)
    }

    fn render(&self, style: Style) -> String {
        if self.changes.is_empty() {
            return "No changes\n".to_owned();
        }
        let mut out = String::new();
        for change in &self.changes {
            if style == Style::Markdown {
                out.push_str("- ");
            }
            out.push_str(&render_change(change, style));
            out.push('\n');
        }
        out
    }
}

// ------------------------------------------------------------------ entities

/// Every field of a role, in file order.
pub fn role_changes(old: &Role, new: &Role) -> Changes {
    let mut out = Vec::new();
    value(&mut out, "id", &old.id, &new.id);
    value(&mut out, "title", &old.title, &new.title);
    string_list(
        &mut out,
        "aliases",
        &at_strs(&old.aliases),
        &at_strs(&new.aliases),
    );
    value(&mut out, "family", &old.family, &new.family);
    value(&mut out, "level", &old.level, &new.level);
    text(&mut out, "summary", &old.summary, &new.summary);
    text(&mut out, "purpose", &old.purpose, &new.purpose);
    string_list(
        &mut out,
        "hiring_signals",
        &strs(&old.hiring_signals),
        &strs(&new.hiring_signals),
    );
    string_list(
        &mut out,
        "failure_modes",
        &strs(&old.failure_modes),
        &strs(&new.failure_modes),
    );

    let (a, b) = (&old.scope, &new.scope);
    role_refs(&mut out, "scope.reports_to", &a.reports_to, &b.reports_to);
    for (field, from, to) in [
        ("scope.direct_reports", &a.direct_reports, &b.direct_reports),
        ("scope.span", &a.span, &b.span),
        ("scope.org_size", &a.org_size, &b.org_size),
        ("scope.budget", &a.budget, &b.budget),
        ("scope.time_horizon", &a.time_horizon, &b.time_horizon),
        ("scope.context", &a.context, &b.context),
    ] {
        text(&mut out, field, from, to);
    }
    string_list(
        &mut out,
        "scope.in_scope",
        &strs(&a.in_scope),
        &strs(&b.in_scope),
    );
    string_list(
        &mut out,
        "scope.out_of_scope",
        &strs(&a.out_of_scope),
        &strs(&b.out_of_scope),
    );

    responsibilities(&mut out, old, new);

    let (a, b) = (&old.decisions, &new.decisions);
    for (field, from, to) in [
        ("decisions.decides", &a.decides, &b.decides),
        ("decisions.recommends", &a.recommends, &b.recommends),
        ("decisions.consulted", &a.consulted, &b.consulted),
    ] {
        string_list(&mut out, field, &strs(from), &strs(to));
    }

    skills(&mut out, &old.skills, &new.skills);
    kpis(&mut out, old, new);

    for (list, from, to) in [
        (
            CareerList::Feeders,
            &old.career.feeders,
            &new.career.feeders,
        ),
        (CareerList::Next, &old.career.next, &new.career.next),
        (
            CareerList::Lateral,
            &old.career.lateral,
            &new.career.lateral,
        ),
    ] {
        career(&mut out, list, from, to);
    }

    let (a, b) = (&old.qualifications, &new.qualifications);
    for (field, from, to) in [
        ("qualifications.experience", &a.experience, &b.experience),
        (
            "qualifications.certifications",
            &a.certifications,
            &b.certifications,
        ),
        ("qualifications.education", &a.education, &b.education),
        (
            "success.days_90",
            &old.success.days_90,
            &new.success.days_90,
        ),
        (
            "success.months_12",
            &old.success.months_12,
            &new.success.months_12,
        ),
    ] {
        string_list(&mut out, field, &strs(from), &strs(to));
    }

    let (a, b) = (&old.crosswalk, &new.crosswalk);
    opt_value(
        &mut out,
        "crosswalk.onet_soc",
        a.onet_soc.as_deref().map(String::as_str),
        b.onet_soc.as_deref().map(String::as_str),
    );
    for (field, from, to) in [
        ("crosswalk.onet_title", &a.onet_title, &b.onet_title),
        (
            "crosswalk.esco_occupation",
            &a.esco_occupation,
            &b.esco_occupation,
        ),
        ("crosswalk.esco_title", &a.esco_title, &b.esco_title),
    ] {
        opt_value(&mut out, field, from.as_deref(), to.as_deref());
    }

    value(
        &mut out,
        "provenance.last_reviewed",
        &old.provenance.last_reviewed.to_string(),
        &new.provenance.last_reviewed.to_string(),
    );
    string_list(
        &mut out,
        "provenance.sources",
        &strs(&old.provenance.sources),
        &strs(&new.provenance.sources),
    );

    lint_allows(&mut out, &old.lint.allow, &new.lint.allow);

    Changes {
        kind: "role",
        id: new.id.to_string(),
        changes: out,
    }
}

/// Every field of a skill definition, in file order.
pub fn skill_changes(old: &Skill, new: &Skill) -> Changes {
    let mut out = Vec::new();
    value(&mut out, "id", &old.id, &new.id);
    value(&mut out, "name", &old.name, &new.name);
    value(
        &mut out,
        "category",
        old.category.label(),
        new.category.label(),
    );
    text(&mut out, "description", &old.description, &new.description);
    let levels = |skill: &Skill| -> BTreeMap<String, String> {
        skill
            .levels
            .iter()
            .map(|(key, text)| (key.to_string(), text.clone()))
            .collect()
    };
    text_map(&mut out, "levels", &levels(old), &levels(new), text);
    opt_value(
        &mut out,
        "sfia_code",
        old.sfia_code.as_deref(),
        new.sfia_code.as_deref(),
    );
    opt_value(
        &mut out,
        "esco_uri",
        old.esco_uri.as_deref(),
        new.esco_uri.as_deref(),
    );
    Changes {
        kind: "skill",
        id: new.id.to_string(),
        changes: out,
    }
}

/// Every field of a KPI definition, in file order. Benchmarks are compared
/// as their one-line form (value: meaning (source, year)).
pub fn kpi_changes(old: &Kpi, new: &Kpi) -> Changes {
    let mut out = Vec::new();
    value(&mut out, "id", &old.id, &new.id);
    value(&mut out, "name", &old.name, &new.name);
    value(&mut out, "category", &old.category, &new.category);
    text(&mut out, "definition", &old.definition, &new.definition);
    text(&mut out, "formula", &old.formula, &new.formula);
    value(&mut out, "unit", &old.unit, &new.unit);
    value(
        &mut out,
        "direction",
        old.direction.label(),
        new.direction.label(),
    );
    value(&mut out, "cadence", &old.cadence, &new.cadence);
    string_list(
        &mut out,
        "data_sources",
        &strs(&old.data_sources),
        &strs(&new.data_sources),
    );
    string_list(
        &mut out,
        "pitfalls",
        &strs(&old.pitfalls),
        &strs(&new.pitfalls),
    );
    let benchmarks = |kpi: &Kpi| -> Vec<String> {
        kpi.benchmarks
            .iter()
            .map(|b| format!("{}: {} ({}, {})", b.value, b.meaning, b.source, b.year))
            .collect()
    };
    let (a, b) = (benchmarks(old), benchmarks(new));
    string_list(&mut out, "benchmarks", &strs(&a), &strs(&b));
    Changes {
        kind: "kpi",
        id: new.id.to_string(),
        changes: out,
    }
}

/// The framework: levels and families by id, the proficiency scale by
/// level number; each added, removed, moved, renamed or reworded.
pub fn framework_changes(old: &Framework, new: &Framework) -> Changes {
    let mut out = Vec::new();

    let diff = match_list(&keys(&old.levels, |l| &l.id), &keys(&new.levels, |l| &l.id));
    emit(
        &mut out,
        "levels",
        &old.levels,
        &new.levels,
        &diff,
        |l| l.id.to_string(),
        Emit {
            removed: &mut |out, l| removed(out, "levels", &l.id),
            added: &mut |out, l| added(out, "levels", &l.id),
            both: &mut |out, a, b| {
                let at = format!("levels[{}]", path_key(&b.id));
                value(out, &format!("{at}.name"), &a.name, &b.name);
                value(
                    out,
                    &format!("{at}.rank"),
                    &a.rank.to_string(),
                    &b.rank.to_string(),
                );
                value(
                    out,
                    &format!("{at}.track"),
                    a.track.label(),
                    b.track.label(),
                );
                value(
                    out,
                    &format!("{at}.sfia_level"),
                    &a.sfia_level.to_string(),
                    &b.sfia_level.to_string(),
                );
                let count = |n: &Option<crate::model::At<u16>>| {
                    n.as_ref().map(|n| n.to_string()).unwrap_or_default()
                };
                for (field, from, to) in [
                    (
                        "direct_reports_min",
                        &a.direct_reports_min,
                        &b.direct_reports_min,
                    ),
                    (
                        "direct_reports_max",
                        &a.direct_reports_max,
                        &b.direct_reports_max,
                    ),
                ] {
                    value(out, &format!("{at}.{field}"), &count(from), &count(to));
                }
                for (field, from, to) in [
                    ("autonomy", &a.autonomy, &b.autonomy),
                    ("influence", &a.influence, &b.influence),
                    ("complexity", &a.complexity, &b.complexity),
                    ("span_of_control", &a.span_of_control, &b.span_of_control),
                    ("budget", &a.budget, &b.budget),
                    ("time_horizon", &a.time_horizon, &b.time_horizon),
                ] {
                    text(out, &format!("{at}.{field}"), from, to);
                }
            },
        },
    );

    let diff = match_list(
        &keys(&old.families, |f| &f.id),
        &keys(&new.families, |f| &f.id),
    );
    emit(
        &mut out,
        "families",
        &old.families,
        &new.families,
        &diff,
        |f| f.id.to_string(),
        Emit {
            removed: &mut |out, f| removed(out, "families", &f.id),
            added: &mut |out, f| added(out, "families", &f.id),
            both: &mut |out, a, b| {
                let at = format!("families[{}]", path_key(&b.id));
                value(out, &format!("{at}.name"), &a.name, &b.name);
                text(
                    out,
                    &format!("{at}.description"),
                    &a.description,
                    &b.description,
                );
            },
        },
    );

    let diff = match_list(
        &keys(&old.proficiency, |p| &*p.level),
        &keys(&new.proficiency, |p| &*p.level),
    );
    emit(
        &mut out,
        "proficiency",
        &old.proficiency,
        &new.proficiency,
        &diff,
        |p| p.level.to_string(),
        Emit {
            removed: &mut |out, p| removed(out, "proficiency", &p.level.to_string()),
            added: &mut |out, p| added(out, "proficiency", &p.level.to_string()),
            both: &mut |out, a, b| {
                let at = format!("proficiency[{}]", b.level);
                value(out, &format!("{at}.name"), &a.name, &b.name);
                text(
                    out,
                    &format!("{at}.descriptor"),
                    &a.descriptor,
                    &b.descriptor,
                );
            },
        },
    );

    Changes {
        kind: "framework",
        id: "framework".to_owned(),
        changes: out,
    }
}

/// The organisation file: name, website, introduction, its names for
/// levels and families, and the job posting defaults.
pub fn organisation_changes(old: &Organisation, new: &Organisation) -> Changes {
    let mut out = Vec::new();
    opt_value(&mut out, "name", old.name.as_deref(), new.name.as_deref());
    opt_value(
        &mut out,
        "website",
        old.website.as_deref().map(String::as_str),
        new.website.as_deref().map(String::as_str),
    );
    opt_text(
        &mut out,
        "intro",
        old.intro.as_deref(),
        new.intro.as_deref(),
    );
    let names = |map: &BTreeMap<crate::model::At<String>, String>| -> BTreeMap<String, String> {
        map.iter()
            .map(|(key, name)| (key.to_string(), name.clone()))
            .collect()
    };
    text_map(
        &mut out,
        "levels",
        &names(&old.levels),
        &names(&new.levels),
        value,
    );
    text_map(
        &mut out,
        "families",
        &names(&old.families),
        &names(&new.families),
        value,
    );
    let (a, b) = (&old.posting, &new.posting);
    opt_text(
        &mut out,
        "posting.about",
        a.about.as_deref(),
        b.about.as_deref(),
    );
    opt_text(
        &mut out,
        "posting.working_model",
        a.working_model.as_deref(),
        b.working_model.as_deref(),
    );
    string_list(
        &mut out,
        "posting.benefits",
        &strs(&a.benefits),
        &strs(&b.benefits),
    );
    opt_text(
        &mut out,
        "posting.equal_opportunity",
        a.equal_opportunity.as_deref(),
        b.equal_opportunity.as_deref(),
    );
    opt_text(
        &mut out,
        "posting.how_to_apply",
        a.how_to_apply.as_deref(),
        b.how_to_apply.as_deref(),
    );
    Changes {
        kind: "organisation",
        id: "organisation".to_owned(),
        changes: out,
    }
}

// ------------------------------------------------------------- role sections

fn responsibilities(out: &mut Vec<Change>, old: &Role, new: &Role) {
    let (a, b) = (&old.responsibilities, &new.responsibilities);
    let names = |areas: &[crate::model::ResponsibilityArea]| -> Vec<String> {
        areas.iter().map(|area| area.area.clone()).collect()
    };
    // An area renamed where it stands keeps its items, compared as one area.
    let diff = match_replacing(&names(a), &names(b));
    let items_field = |area: &str| format!("responsibilities[{}].items", path_key(area));
    emit(
        out,
        "responsibilities",
        a,
        b,
        &diff,
        |area| area.area.clone(),
        Emit {
            removed: &mut |out, area| {
                removed(out, "responsibilities", &area.area);
                for item in &area.items {
                    removed(out, &items_field(&area.area), item);
                }
            },
            added: &mut |out, area| {
                added(out, "responsibilities", &area.area);
                for item in &area.items {
                    added(out, &items_field(&area.area), item);
                }
            },
            both: &mut |out, from, to| {
                text(
                    out,
                    &format!("responsibilities[{}].area", path_key(&from.area)),
                    &from.area,
                    &to.area,
                );
                string_list(
                    out,
                    &items_field(&to.area),
                    &strs(&from.items),
                    &strs(&to.items),
                );
            },
        },
    );
}

fn skills(out: &mut Vec<Change>, old: &[SkillRequirement], new: &[SkillRequirement]) {
    let diff = match_list(&keys(old, |s| &s.skill), &keys(new, |s| &s.skill));
    let entry = |s: &SkillRequirement| (s.skill.to_string(), *s.level, s.importance);
    emit(
        out,
        "skills",
        old,
        new,
        &diff,
        |s| s.skill.to_string(),
        Emit {
            removed: &mut |out, s| {
                let (skill, level, importance) = entry(s);
                out.push(Change::SkillRemoved {
                    skill,
                    level,
                    importance,
                });
            },
            added: &mut |out, s| {
                let (skill, level, importance) = entry(s);
                out.push(Change::SkillAdded {
                    skill,
                    level,
                    importance,
                });
            },
            both: &mut |out, a, b| {
                if *a.level != *b.level {
                    out.push(Change::SkillLevel {
                        skill: b.skill.to_string(),
                        from: *a.level,
                        to: *b.level,
                    });
                }
                if a.importance != b.importance {
                    out.push(Change::SkillImportance {
                        skill: b.skill.to_string(),
                        from: a.importance,
                        to: b.importance,
                    });
                }
            },
        },
    );
}

fn kpis(out: &mut Vec<Change>, old: &Role, new: &Role) {
    let diff = match_list(&keys(&old.kpis, |k| &k.kpi), &keys(&new.kpis, |k| &k.kpi));
    emit(
        out,
        "kpis",
        &old.kpis,
        &new.kpis,
        &diff,
        |k| k.kpi.to_string(),
        Emit {
            removed: &mut |out, k| {
                out.push(Change::KpiRemoved {
                    kpi: k.kpi.to_string(),
                    target: k.target.clone(),
                });
            },
            added: &mut |out, k| {
                out.push(Change::KpiAdded {
                    kpi: k.kpi.to_string(),
                    target: k.target.clone(),
                });
            },
            both: &mut |out, a, b| {
                if a.target != b.target {
                    out.push(Change::KpiTarget {
                        kpi: b.kpi.to_string(),
                        from: a.target.clone(),
                        to: b.target.clone(),
                    });
                }
                text(
                    out,
                    &format!("kpis[{}].why", path_key(&b.kpi)),
                    &a.why,
                    &b.why,
                );
                value(
                    out,
                    &format!("kpis[{}].accountability", path_key(&b.kpi)),
                    a.accountability.label(),
                    b.accountability.label(),
                );
            },
        },
    );
}

/// What identifies a reference: its role id and its external title.
fn ref_key(r: &RoleRef) -> (Option<&str>, Option<&str>) {
    (r.role_id(), r.title.as_deref().map(String::as_str))
}

/// A reference as a change shows it: the role id or the external title
/// (both, when a file writes both).
fn ref_label(r: &RoleRef) -> String {
    match ref_key(r) {
        (Some(role), Some(title)) => format!("{role} ({title})"),
        (Some(role), None) => role.to_owned(),
        (None, Some(title)) => title.to_owned(),
        (None, None) => String::new(),
    }
}

fn ref_note(out: &mut Vec<Change>, list_field: &str, a: &RoleRef, b: &RoleRef) {
    opt_text(
        out,
        &format!("{list_field}[{}].note", path_key(&ref_label(b))),
        a.note.as_deref(),
        b.note.as_deref(),
    );
}

fn role_refs(out: &mut Vec<Change>, field: &str, old: &[RoleRef], new: &[RoleRef]) {
    let diff = match_list(&keys(old, ref_key), &keys(new, ref_key));
    emit(
        out,
        field,
        old,
        new,
        &diff,
        ref_label,
        Emit {
            removed: &mut |out, r| removed(out, field, &ref_label(r)),
            added: &mut |out, r| {
                added(out, field, &ref_label(r));
                opt_text(
                    out,
                    &format!("{field}[{}].note", path_key(&ref_label(r))),
                    None,
                    r.note.as_deref(),
                );
            },
            both: &mut |out, a, b| ref_note(out, field, a, b),
        },
    );
}

fn career(out: &mut Vec<Change>, list: CareerList, old: &[RoleRef], new: &[RoleRef]) {
    let diff = match_list(&keys(old, ref_key), &keys(new, ref_key));
    emit(
        out,
        list.field(),
        old,
        new,
        &diff,
        ref_label,
        Emit {
            removed: &mut |out, r| {
                out.push(Change::CareerRemoved {
                    list,
                    to: ref_label(r),
                });
            },
            added: &mut |out, r| {
                out.push(Change::CareerAdded {
                    list,
                    to: ref_label(r),
                    note: r.note.clone(),
                });
            },
            both: &mut |out, a, b| ref_note(out, list.field(), a, b),
        },
    );
}

fn lint_allows(out: &mut Vec<Change>, old: &[LintAllow], new: &[LintAllow]) {
    let key = |a: &LintAllow| (a.rule.to_string(), a.text.clone());
    let label = |a: &LintAllow| format!("{}: {}", a.rule.as_str(), a.text);
    let diff = match_list(&keys(old, key), &keys(new, key));
    emit(
        out,
        "lint.allow",
        old,
        new,
        &diff,
        label,
        Emit {
            removed: &mut |out, a| removed(out, "lint.allow", &label(a)),
            added: &mut |out, a| added(out, "lint.allow", &label(a)),
            both: &mut |out, a, b| {
                text(
                    out,
                    &format!("lint.allow[{}].reason", path_key(&label(b))),
                    &a.reason,
                    &b.reason,
                );
            },
        },
    );
}

// ------------------------------------------------------------- field helpers

fn strs(list: &[String]) -> Vec<&str> {
    list.iter().map(String::as_str).collect()
}

fn at_strs(list: &[crate::model::At<String>]) -> Vec<&str> {
    list.iter().map(|at| at.as_str()).collect()
}

fn keys<'a, T, K>(list: &'a [T], key: impl Fn(&'a T) -> K) -> Vec<K> {
    list.iter().map(key).collect()
}

/// `name` as it goes between brackets in a field path.
fn path_key(name: &str) -> String {
    name.replace('\\', "\\\\").replace(']', "\\]")
}

fn text(out: &mut Vec<Change>, field: &str, from: &str, to: &str) {
    if from != to {
        out.push(Change::Text {
            field: field.to_owned(),
            from: from.to_owned(),
            to: to.to_owned(),
            words: word_changes(from, to),
        });
    }
}

fn opt_text(out: &mut Vec<Change>, field: &str, from: Option<&str>, to: Option<&str>) {
    text(out, field, from.unwrap_or(""), to.unwrap_or(""));
}

fn value(out: &mut Vec<Change>, field: &str, from: &str, to: &str) {
    if from != to {
        out.push(Change::Value {
            field: field.to_owned(),
            from: from.to_owned(),
            to: to.to_owned(),
        });
    }
}

fn opt_value(out: &mut Vec<Change>, field: &str, from: Option<&str>, to: Option<&str>) {
    value(out, field, from.unwrap_or(""), to.unwrap_or(""));
}

fn added(out: &mut Vec<Change>, field: &str, value: &str) {
    out.push(Change::Added {
        field: field.to_owned(),
        value: value.to_owned(),
    });
}

fn removed(out: &mut Vec<Change>, field: &str, value: &str) {
    out.push(Change::Removed {
        field: field.to_owned(),
        value: value.to_owned(),
    });
}

/// A map of texts by key (a skill's level descriptors, an organisation's
/// level names): each key whose text differs, an absent one as empty.
fn text_map(
    out: &mut Vec<Change>,
    field: &str,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
    change: fn(&mut Vec<Change>, &str, &str, &str),
) {
    let all: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for key in all {
        let from = old.get(key).map_or("", String::as_str);
        let to = new.get(key).map_or("", String::as_str);
        change(out, &format!("{field}[{}]", path_key(key)), from, to);
    }
}

/// A list of prose items matched by exact text.
fn string_list(out: &mut Vec<Change>, field: &str, old: &[&str], new: &[&str]) {
    let diff = match_replacing(old, new);
    emit(
        out,
        field,
        old,
        new,
        &diff,
        |item| (*item).to_owned(),
        Emit {
            removed: &mut |out, item| removed(out, field, item),
            added: &mut |out, item| added(out, field, item),
            both: &mut |out, a, b| text(out, field, a, b),
        },
    );
}

// ------------------------------------------------------------ list matching

/// How the items of two versions of a list correspond.
#[derive(Debug, Default, PartialEq)]
struct ListDiff {
    /// Old positions with no counterpart, in order.
    removed: Vec<usize>,
    /// One entry per new item, in order.
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Entry {
    Added(usize),
    /// The same item (same key), `moved` when off the longest run of kept
    /// items in their old order.
    Kept {
        old: usize,
        new: usize,
        moved: bool,
    },
    /// A different key at the same position, the old key nowhere in the new
    /// list and the new key nowhere in the old: the item was edited.
    Replaced {
        old: usize,
        new: usize,
    },
}

/// Matches items by key, the n-th occurrence of a key in the old list with
/// its n-th occurrence in the new one.
fn match_list<K: Eq + Hash>(old: &[K], new: &[K]) -> ListDiff {
    match_keys(old, new, false)
}

/// [`match_list`], and an edit in place is an edit, not a removal and an
/// addition.
fn match_replacing<K: Eq + Hash>(old: &[K], new: &[K]) -> ListDiff {
    match_keys(old, new, true)
}

fn match_keys<K: Eq + Hash>(old: &[K], new: &[K], replace: bool) -> ListDiff {
    let mut positions: HashMap<&K, VecDeque<usize>> = HashMap::new();
    for (j, key) in new.iter().enumerate() {
        positions.entry(key).or_default().push_back(j);
    }
    let mut old_of_new: Vec<Option<usize>> = vec![None; new.len()];
    let mut old_used = vec![false; old.len()];
    for (i, key) in old.iter().enumerate() {
        if let Some(j) = positions.get_mut(key).and_then(VecDeque::pop_front)
            && let Some(slot) = old_of_new.get_mut(j)
        {
            *slot = Some(i);
            old_used[i] = true;
        }
    }

    let mut replaced = vec![false; new.len()];
    if replace {
        let old_keys: HashSet<&K> = old.iter().collect();
        let new_keys: HashSet<&K> = new.iter().collect();
        for (j, (from, to)) in old.iter().zip(new).enumerate() {
            if !old_used[j]
                && old_of_new[j].is_none()
                && !new_keys.contains(from)
                && !old_keys.contains(to)
            {
                replaced[j] = true;
                old_used[j] = true;
            }
        }
    }

    // Old positions of the kept items, in new order: the longest increasing
    // run of them stayed in place, the rest moved.
    let kept: Vec<usize> = old_of_new.iter().flatten().copied().collect();
    let mut in_place = longest_increasing(&kept).into_iter();

    let entries = old_of_new
        .iter()
        .enumerate()
        .map(|(j, old_pos)| match old_pos {
            Some(i) => Entry::Kept {
                old: *i,
                new: j,
                moved: !in_place.next().unwrap_or(true),
            },
            None if replaced[j] => Entry::Replaced { old: j, new: j },
            None => Entry::Added(j),
        })
        .collect();
    let removed = old_used
        .iter()
        .enumerate()
        .filter(|(_, used)| !**used)
        .map(|(i, _)| i)
        .collect();
    ListDiff { removed, entries }
}

/// For each element of `seq`, whether it is in one longest strictly
/// increasing subsequence (patience sorting, O(n log n); ties go to the
/// later element, deterministically).
fn longest_increasing(seq: &[usize]) -> Vec<bool> {
    // tails[k]: position in `seq` of the smallest tail of a run of length k+1.
    let mut tails: Vec<usize> = Vec::new();
    let mut previous: Vec<Option<usize>> = vec![None; seq.len()];
    for (i, &x) in seq.iter().enumerate() {
        let at = tails.partition_point(|&t| seq.get(t).is_some_and(|&y| y < x));
        previous[i] = at
            .checked_sub(1)
            .and_then(|before| tails.get(before).copied());
        if let Some(tail) = tails.get_mut(at) {
            *tail = i;
        } else {
            tails.push(i);
        }
    }
    let mut keep = vec![false; seq.len()];
    let mut at = tails.last().copied();
    while let Some(i) = at {
        keep[i] = true;
        at = previous[i];
    }
    keep
}

/// What to push for a removed, an added and a kept (or edited) item.
type Push<'a, T> = &'a mut dyn FnMut(&mut Vec<Change>, &T);
type PushBoth<'a, T> = &'a mut dyn FnMut(&mut Vec<Change>, &T, &T);

struct Emit<'a, T> {
    removed: Push<'a, T>,
    added: Push<'a, T>,
    both: PushBoth<'a, T>,
}

/// The changes of a matched list: removals first (in old order), then each
/// new item in order, a move before the changes inside the item.
fn emit<T>(
    out: &mut Vec<Change>,
    field: &str,
    old: &[T],
    new: &[T],
    diff: &ListDiff,
    label: impl Fn(&T) -> String,
    push: Emit<'_, T>,
) {
    for item in diff.removed.iter().filter_map(|&i| old.get(i)) {
        (push.removed)(out, item);
    }
    for entry in &diff.entries {
        match *entry {
            Entry::Added(j) => {
                if let Some(item) = new.get(j) {
                    (push.added)(out, item);
                }
            }
            Entry::Replaced { old: i, new: j } | Entry::Kept { old: i, new: j, .. } => {
                let (Some(a), Some(b)) = (old.get(i), new.get(j)) else {
                    continue;
                };
                if let Entry::Kept { moved: true, .. } = entry {
                    out.push(Change::Moved {
                        field: field.to_owned(),
                        value: label(b),
                        from: i,
                        to: j,
                    });
                }
                (push.both)(out, a, b);
            }
        }
    }
}

// ------------------------------------------------------------------- words

/// `from` → `to` word by word, in runs. A space between two changed words
/// joins their runs, so a reworded phrase reads as one deletion and one
/// insertion rather than alternating words.
fn word_changes(from: &str, to: &str) -> Vec<WordChange> {
    let diff = TextDiff::from_words(from, to);
    let tokens: Vec<(ChangeTag, &str)> = diff
        .iter_all_changes()
        .map(|change| (change.tag(), change.value()))
        .collect();
    let changed =
        |k: Option<&(ChangeTag, &str)>| k.is_some_and(|(tag, _)| *tag != ChangeTag::Equal);

    let mut runs: Vec<WordChange> = Vec::new();
    let (mut deleted, mut inserted) = (String::new(), String::new());
    let flush = |runs: &mut Vec<WordChange>, deleted: &mut String, inserted: &mut String| {
        for (op, text) in [(WordOp::Delete, deleted), (WordOp::Insert, inserted)] {
            if !text.is_empty() {
                runs.push(WordChange {
                    op,
                    text: std::mem::take(text),
                });
            }
        }
    };
    for (k, &(tag, token)) in tokens.iter().enumerate() {
        match tag {
            ChangeTag::Delete => deleted.push_str(token),
            ChangeTag::Insert => inserted.push_str(token),
            ChangeTag::Equal
                if token.trim().is_empty()
                    && k > 0
                    && changed(tokens.get(k - 1))
                    && changed(tokens.get(k + 1)) =>
            {
                deleted.push_str(token);
                inserted.push_str(token);
            }
            ChangeTag::Equal => {
                flush(&mut runs, &mut deleted, &mut inserted);
                match runs.last_mut() {
                    Some(last) if last.op == WordOp::Equal => last.text.push_str(token),
                    _ => runs.push(WordChange {
                        op: WordOp::Equal,
                        text: token.to_owned(),
                    }),
                }
            }
        }
    }
    flush(&mut runs, &mut deleted, &mut inserted);
    runs
}

// --------------------------------------------------------------- rendering

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Text,
    Markdown,
}

impl Style {
    /// Catalog text as this style writes it, on one line.
    fn plain(self, text: &str) -> String {
        match self {
            Style::Text => printable(text).replace(['\n', '\r'], " "),
            Style::Markdown => markdown(text),
        }
    }

    fn quoted(self, text: &str) -> String {
        format!("\"{}\"", self.plain(text))
    }
}

/// [`escape::markdown`], and `~` escaped too: a deletion is written between
/// `~~`, which a `~` of the text must not open or close.
fn markdown(text: &str) -> String {
    text.split('~')
        .map(escape::markdown)
        .collect::<Vec<_>>()
        .join("\\~")
}

fn render_change(change: &Change, style: Style) -> String {
    let q = |text: &str| style.quoted(text);
    let p = |text: &str| style.plain(text);
    match change {
        Change::Text {
            field,
            from,
            to,
            words,
        } => {
            let label = p(&field_label(field));
            if from.is_empty() {
                format!("{label} set: {}", q(to))
            } else if to.is_empty() {
                format!("{label} cleared (was {})", q(from))
            } else if style == Style::Markdown {
                format!("{label} changed: {}", markdown_words(words))
            } else {
                let (from, to) = excerpt(words);
                format!("{label} changed: {} → {}", q(&from), q(&to))
            }
        }
        Change::Value { field, from, to } => {
            let label = p(&field_label(field));
            if from.is_empty() {
                format!("{label} set: {}", q(to))
            } else if to.is_empty() {
                format!("{label} cleared (was {})", q(from))
            } else {
                format!("{label} changed: {} → {}", q(from), q(to))
            }
        }
        Change::Added { field, value } => {
            format!("{}: added {}", p(&field_label(field)), q(value))
        }
        Change::Removed { field, value } => {
            format!("{}: removed {}", p(&field_label(field)), q(value))
        }
        Change::Moved {
            field,
            value,
            from,
            to,
        } => format!(
            "{}: moved {} from position {} to {}",
            p(&field_label(field)),
            q(value),
            from.saturating_add(1),
            to.saturating_add(1)
        ),
        Change::SkillLevel { skill, from, to } => {
            format!("Skill {}: level {from} → {to}", p(skill))
        }
        Change::SkillImportance { skill, from, to } => format!(
            "Skill {}: importance {} → {}",
            p(skill),
            from.label(),
            to.label()
        ),
        Change::SkillAdded {
            skill,
            level,
            importance,
        } => format!(
            "Skill {}: added at level {level} ({})",
            p(skill),
            importance.label()
        ),
        Change::SkillRemoved {
            skill,
            level,
            importance,
        } => format!(
            "Skill {}: removed (was level {level}, {})",
            p(skill),
            importance.label()
        ),
        Change::KpiTarget { kpi, from, to } => {
            let words = word_changes(from, to);
            if style == Style::Markdown {
                return format!("KPI {}: target changed: {}", p(kpi), markdown_words(&words));
            }
            let (from, to) = excerpt(&words);
            format!("KPI {}: target {} → {}", p(kpi), q(&from), q(&to))
        }
        Change::KpiAdded { kpi, target } => {
            format!("KPI {}: added with target {}", p(kpi), q(target))
        }
        Change::KpiRemoved { kpi, target } => {
            format!("KPI {}: removed (target was {})", p(kpi), q(target))
        }
        Change::CareerAdded { list, to, note } => {
            let mut line = format!("{}: added {}", p(&field_label(list.field())), q(to));
            if let Some(note) = note.as_deref().filter(|note| !note.is_empty()) {
                line.push_str(&format!(" with note {}", q(note)));
            }
            line
        }
        Change::CareerRemoved { list, to } => {
            format!("{}: removed {}", p(&field_label(list.field())), q(to))
        }
    }
}

/// Words kept on each side of a change in a text excerpt.
const CONTEXT_WORDS: usize = 5;

/// Both sides of a text change with long unchanged stretches cut to a few
/// words around each change (`…`), so that a one-word edit of a paragraph
/// reads on one line. Only the text rendering cuts; the data and the
/// Markdown keep every word.
fn excerpt(words: &[WordChange]) -> (String, String) {
    let (mut from, mut to) = (String::new(), String::new());
    for (k, word) in words.iter().enumerate() {
        match word.op {
            WordOp::Delete => from.push_str(&word.text),
            WordOp::Insert => to.push_str(&word.text),
            WordOp::Equal => {
                let shown = elide(&word.text, k > 0, k + 1 < words.len());
                from.push_str(&shown);
                to.push_str(&shown);
            }
        }
    }
    (from, to)
}

/// An unchanged stretch, keeping the words next to a change before it
/// (`after_change`) and after it (`before_change`).
fn elide(text: &str, after_change: bool, before_change: bool) -> String {
    // The space before the first word is not a word of context.
    let body = text.trim_start();
    let lead = text.get(..text.len() - body.len()).unwrap_or("");
    let tokens: Vec<&str> = body.split_inclusive(char::is_whitespace).collect();
    let head = if after_change { CONTEXT_WORDS } else { 0 };
    let tail = if before_change { CONTEXT_WORDS } else { 0 };
    // Cut only when that drops a few words, not one.
    if tokens.len() < head + tail + 3 {
        return text.to_owned();
    }
    let start: String = std::iter::once(lead)
        .chain(tokens.iter().take(head).copied())
        .collect();
    let end: String = tokens.iter().skip(tokens.len() - tail).copied().collect();
    let mut out = start.trim_end().to_owned();
    if !out.is_empty() {
        out.push(' ');
    }
    out.push('…');
    if !end.is_empty() {
        out.push(' ');
        out.push_str(&end);
    }
    out
}

/// Words of a text change as Markdown: deletions struck through, insertions
/// in bold, the spaces around a run outside its markers (CommonMark does
/// not open `**` before a space or close it after one).
fn markdown_words(words: &[WordChange]) -> String {
    let mut out = String::new();
    let mut previous = WordOp::Equal;
    for word in words {
        let marker = match word.op {
            WordOp::Equal => {
                out.push_str(&markdown(&word.text));
                previous = word.op;
                continue;
            }
            WordOp::Delete => "~~",
            WordOp::Insert => "**",
        };
        let core = word.text.trim();
        if core.is_empty() {
            // Only spacing changed: show the new spacing, not the old.
            if word.op == WordOp::Insert {
                out.push_str(&markdown(&word.text));
            }
            previous = word.op;
            continue;
        }
        let start = word.text.len() - word.text.trim_start().len();
        let before = word.text.get(..start).unwrap_or("");
        let after = word.text.get(start + core.len()..).unwrap_or("");
        if previous == WordOp::Delete && !out.ends_with(' ') && before.is_empty() {
            out.push(' ');
        }
        out.push_str(&markdown(before));
        out.push_str(marker);
        out.push_str(&markdown(core));
        out.push_str(marker);
        out.push_str(&markdown(after));
        previous = word.op;
    }
    out.trim_end().to_owned()
}

/// A field path as a reader says it: `responsibilities[Incident
/// management].items` is "Responsibilities › Incident management",
/// `scope.org_size` is "Scope › Organisation size".
pub fn field_label(field: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut name = String::new();
    let mut chars = field.chars();
    let push_name = |parts: &mut Vec<String>, name: &mut String| {
        if !name.is_empty() {
            if let Some(label) = segment_label(name) {
                parts.push(label);
            }
            name.clear();
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '.' => push_name(&mut parts, &mut name),
            '[' => {
                push_name(&mut parts, &mut name);
                let mut key = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => key.extend(chars.next()),
                        ']' => break,
                        c => key.push(c),
                    }
                }
                parts.push(key);
            }
            c => name.push(c),
        }
    }
    push_name(&mut parts, &mut name);
    parts.join(" › ")
}

/// How a field name reads; `None` for a name that adds nothing (`items`).
fn segment_label(name: &str) -> Option<String> {
    let known = match name {
        "items" => return None,
        "id" => "Id",
        "aliases" => "Also known as",
        "hiring_signals" => "Hiring signals",
        "failure_modes" => "Failure modes",
        "reports_to" => "Reports to",
        "direct_reports" => "Direct reports",
        "org_size" => "Organisation size",
        "time_horizon" => "Time horizon",
        "in_scope" => "In scope",
        "out_of_scope" => "Out of scope",
        "area" => "Area name",
        "consulted" => "Consulted on",
        "skills" => "Skills",
        "kpis" => "KPIs",
        "career" => "Career path",
        "feeders" => "Comes from",
        "next" => "Leads to",
        "lateral" => "Lateral moves",
        "days_90" => "After 90 days",
        "months_12" => "After 12 months",
        "onet_soc" => "O*NET-SOC code",
        "onet_title" => "O*NET title",
        "esco_occupation" => "ESCO occupation",
        "esco_title" => "ESCO title",
        "esco_uri" => "ESCO URI",
        "sfia_code" => "SFIA code",
        "sfia_level" => "SFIA level",
        "direct_reports_min" => "Fewest direct reports",
        "direct_reports_max" => "Most direct reports",
        "last_reviewed" => "Last reviewed",
        "allow" => "Allowed findings",
        "data_sources" => "Data sources",
        "span_of_control" => "Span of control",
        "intro" => "Introduction",
        "posting" => "Job postings",
        "working_model" => "Working model",
        "equal_opportunity" => "Equal opportunity statement",
        "how_to_apply" => "How to apply",
        other => {
            let spaced = other.replace('_', " ");
            let mut chars = spaced.chars();
            return Some(match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            });
        }
    };
    Some(known.to_owned())
}

#[cfg(test)]
mod tests {
    use serde::Serialize;
    use serde::de::DeserializeOwned;
    use serde_json::Value;

    use super::*;
    use crate::Catalog;
    use crate::model::{At, RoleRef};

    fn catalog() -> Catalog {
        crate::load(crate::builtin::sources())
            .catalog
            .expect("the built-in catalog loads")
    }

    fn sre_manager(catalog: &Catalog) -> Role {
        let role = catalog
            .written_roles()
            .iter()
            .find(|role| role.id.as_str() == "sre-manager")
            .expect("built-in sre-manager");
        Role::clone(role)
    }

    #[test]
    fn identical_entities_have_no_changes() {
        let catalog = catalog();
        for role in catalog.written_roles().iter().chain(catalog.roles()) {
            let changes = role_changes(role, &role.clone());
            assert!(changes.is_empty(), "{changes:?}");
            assert_eq!(changes.to_text(), "No changes\n");
        }
        for skill in catalog.written_skills() {
            assert!(skill_changes(skill, &skill.clone()).is_empty());
        }
        for kpi in catalog.written_kpis() {
            assert!(kpi_changes(kpi, &kpi.clone()).is_empty());
        }
        let framework = catalog.written_framework();
        assert!(framework_changes(framework, &framework.clone()).is_empty());
        let organisation = full_organisation();
        assert!(organisation_changes(&organisation, &organisation.clone()).is_empty());
    }

    #[test]
    fn spans_are_not_compared() {
        let catalog = catalog();
        let old = sre_manager(&catalog);
        let mut new = old.clone();
        new.id = At::detached(old.id.to_string());
        new.skills[0].skill = At::detached(old.skills[0].skill.to_string());
        assert!(role_changes(&old, &new).is_empty());
    }

    #[test]
    fn two_different_roles_differ_deterministically() {
        let catalog = catalog();
        let roles = catalog.written_roles();
        let (a, b) = (&roles[0], &roles[1]);
        let first = role_changes(a, b);
        assert!(!first.is_empty());
        assert_eq!(first, role_changes(a, b));
        assert_eq!(first.id, b.id.as_str());
        // Each built-in role against its neighbours, both ways (every pair
        // takes most of a minute unoptimised): no panic, and one line per
        // change.
        for pair in roles.windows(2) {
            for (a, b) in [(&pair[0], &pair[1]), (&pair[1], &pair[0])] {
                let changes = role_changes(a, b);
                assert_eq!(
                    changes.to_text().lines().count(),
                    changes.changes.len().max(1)
                );
                assert_eq!(
                    changes.to_markdown().lines().count(),
                    changes.changes.len().max(1)
                );
            }
        }
    }

    // ------------------------------------------------------------ coverage

    /// JSON Pointer of every leaf (string, number, bool) and every array.
    fn pointers(value: &Value, at: String, leaves: &mut Vec<String>, arrays: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let key = key.replace('~', "~0").replace('/', "~1");
                    pointers(child, format!("{at}/{key}"), leaves, arrays);
                }
            }
            Value::Array(items) => {
                arrays.push(at.clone());
                for (i, child) in items.iter().enumerate() {
                    pointers(child, format!("{at}/{i}"), leaves, arrays);
                }
            }
            Value::Null => {}
            _ => leaves.push(at),
        }
    }

    /// Other values a leaf could take, the first that still deserialises
    /// being used: edited text, the other members of the model's enums, a
    /// date, a number one up or down.
    fn alternatives(leaf: &Value) -> Vec<Value> {
        match leaf {
            Value::String(s) => {
                let mut all = vec![format!("{s} edited")];
                all.extend(
                    [
                        "core",
                        "supporting",
                        "management",
                        "executive",
                        "individual-contributor",
                        "higher-is-better",
                        "lower-is-better",
                        "within-band",
                        "leadership",
                        "business",
                        "technical",
                        "domain",
                        "accountable",
                        "contributes",
                        "2000-01-01",
                    ]
                    .map(str::to_owned),
                );
                all.into_iter()
                    .filter(|other| other != s)
                    .map(Value::String)
                    .collect()
            }
            Value::Number(n) => {
                let n = n.as_u64().expect("catalog numbers are unsigned");
                [n + 1, n.saturating_sub(1)]
                    .into_iter()
                    .filter(|m| *m != n)
                    .map(Value::from)
                    .collect()
            }
            Value::Bool(b) => vec![Value::Bool(!b)],
            _ => Vec::new(),
        }
    }

    /// `json` read back as `T` through TOML text, as catalog files are
    /// read: `At` takes its span from the TOML reader and will not read
    /// from `serde_json`. Strings at the `dates` pointers become TOML dates.
    fn read_back<T: DeserializeOwned>(json: &Value, dates: &[&str]) -> Option<T> {
        fn to_toml(json: &Value, at: &str, dates: &[&str]) -> Option<toml::Value> {
            Some(match json {
                Value::String(s) if dates.contains(&at) => toml::Value::Datetime(s.parse().ok()?),
                Value::String(s) => toml::Value::String(s.clone()),
                Value::Number(n) => toml::Value::Integer(n.as_i64()?),
                Value::Bool(b) => toml::Value::Boolean(*b),
                Value::Array(items) => toml::Value::Array(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| to_toml(item, &format!("{at}/{i}"), dates))
                        .collect::<Option<_>>()?,
                ),
                Value::Object(map) => toml::Value::Table(
                    map.iter()
                        .filter(|(_, v)| !v.is_null())
                        .map(|(k, v)| Some((k.clone(), to_toml(v, &format!("{at}/{k}"), dates)?)))
                        .collect::<Option<_>>()?,
                ),
                Value::Null => return None,
            })
        }
        let text = toml::to_string(&to_toml(json, "", dates)?).ok()?;
        toml::from_str(&text).ok()
    }

    /// Changes every leaf of `entity` one at a time, removes the last item
    /// of every list and appends a copy of its first, and asserts that
    /// `changes` sees each edit. Returns how many edits were made.
    fn assert_every_edit_seen<T: Serialize + DeserializeOwned>(
        entity: &T,
        dates: &[&str],
        changes: impl Fn(&T, &T) -> Changes,
    ) -> usize {
        let json = serde_json::to_value(entity).expect("serialises");
        let base: T = read_back(&json, dates).expect("round trip");
        assert!(changes(&base, &base).is_empty());

        let (mut leaves, mut arrays) = (Vec::new(), Vec::new());
        pointers(&json, String::new(), &mut leaves, &mut arrays);
        let mut edits = 0;
        for pointer in &leaves {
            let leaf = json.pointer(pointer).expect("leaf").clone();
            let edited = alternatives(&leaf).into_iter().find_map(|other| {
                let mut copy = json.clone();
                *copy.pointer_mut(pointer).expect("leaf") = other;
                read_back::<T>(&copy, dates)
            });
            let edited = edited.unwrap_or_else(|| panic!("no valid edit of {pointer}"));
            let found = changes(&base, &edited);
            assert!(!found.is_empty(), "editing {pointer} went unseen");
            edits += 1;
        }
        for pointer in &arrays {
            let Some(Value::Array(items)) = json.pointer(pointer) else {
                continue;
            };
            let Some(first) = items.first() else {
                continue;
            };
            let mut shorter = json.clone();
            if let Some(Value::Array(list)) = shorter.pointer_mut(pointer) {
                list.pop();
            }
            let mut longer = json.clone();
            if let Some(Value::Array(list)) = longer.pointer_mut(pointer) {
                list.push(first.clone());
            }
            for (what, copy) in [("removing from", shorter), ("adding to", longer)] {
                let edited: T = read_back(&copy, dates).expect("still valid");
                let found = changes(&base, &edited);
                assert!(!found.is_empty(), "{what} {pointer} went unseen");
                edits += 1;
            }
        }
        edits
    }

    #[test]
    fn every_field_of_a_role_is_compared() {
        let catalog = catalog();
        let mut role = sre_manager(&catalog);
        // Fill what sre-manager leaves empty, so that every field has a
        // leaf to edit.
        role.lint.allow.push(LintAllow {
            rule: At::detached("inclusive-language".to_owned()),
            text: "master".to_owned(),
            reason: "The name of a product".to_owned(),
        });
        role.crosswalk.esco_occupation = Some("http://data.europa.eu/esco/occupation/x".to_owned());
        role.crosswalk.esco_title = Some("ICT operations manager".to_owned());
        for r in &mut role.scope.reports_to {
            r.note.get_or_insert_with(|| "Solid line".to_owned());
        }
        role.career.lateral.push(RoleRef {
            role: Some(At::detached("sre-director".to_owned())),
            title: Some(At::detached("Head of SRE".to_owned())),
            note: None,
        });
        let edits = assert_every_edit_seen(&role, &["/provenance/last_reviewed"], role_changes);
        assert!(edits > 250, "only {edits} edits");
    }

    #[test]
    fn every_field_of_a_skill_kpi_framework_and_organisation_is_compared() {
        let catalog = catalog();
        let mut skill = catalog.written_skills()[0].clone();
        skill.sfia_code.get_or_insert_with(|| "ITSP".to_owned());
        skill
            .esco_uri
            .get_or_insert_with(|| "http://data.europa.eu/esco/skill/x".to_owned());
        assert_every_edit_seen(&skill, &[], skill_changes);

        let kpi = catalog
            .written_kpis()
            .iter()
            .find(|kpi| !kpi.benchmarks.is_empty())
            .expect("a built-in KPI with benchmarks");
        assert_every_edit_seen(kpi, &[], kpi_changes);

        assert_every_edit_seen(catalog.written_framework(), &[], framework_changes);
        assert_every_edit_seen(&full_organisation(), &[], organisation_changes);
    }

    fn full_organisation() -> Organisation {
        toml::from_str(
            r#"
            name = "Example Ltd"
            website = "https://example.com"
            intro = "We build things."
            levels = { director = "Director (L7)", manager = "Manager (L5)" }
            families = { reliability = "Reliability and operations" }

            [posting]
            about = "About us."
            working_model = "Hybrid, two days a week in the office."
            benefits = ["Pension", "Training budget"]
            equal_opportunity = "We hire on merit."
            how_to_apply = "Write to jobs@example.com."
            "#,
        )
        .expect("a valid organisation")
    }

    // -------------------------------------------------------------- lists

    fn list(old: &[&str], new: &[&str]) -> Vec<Change> {
        let mut out = Vec::new();
        string_list(&mut out, "items", old, new);
        out
    }

    fn moved(value: &str, from: usize, to: usize) -> Change {
        Change::Moved {
            field: "items".to_owned(),
            value: value.to_owned(),
            from,
            to,
        }
    }

    #[test]
    fn an_insertion_moves_nothing() {
        assert_eq!(
            list(&["a", "b", "c"], &["x", "a", "b", "c"]),
            vec![Change::Added {
                field: "items".to_owned(),
                value: "x".to_owned()
            }]
        );
    }

    #[test]
    fn a_moved_item_is_the_one_reported() {
        assert_eq!(
            list(&["a", "b", "c", "d", "e"], &["a", "e", "b", "c", "d"]),
            vec![moved("e", 4, 1)]
        );
        assert_eq!(list(&["a", "b"], &["b", "a"]), vec![moved("b", 1, 0)]);
    }

    #[test]
    fn an_item_edited_in_place_is_a_text_change() {
        let changes = list(&["keep", "old words here"], &["keep", "new words here"]);
        assert!(
            matches!(&changes[..], [Change::Text { from, to, .. }] if from == "old words here" && to == "new words here"),
            "{changes:?}"
        );
        // Not in place when the old text is still in the list elsewhere.
        let changes = list(&["a", "b"], &["c", "a"]);
        assert_eq!(
            changes,
            vec![
                Change::Removed {
                    field: "items".to_owned(),
                    value: "b".to_owned()
                },
                Change::Added {
                    field: "items".to_owned(),
                    value: "c".to_owned()
                },
            ]
        );
    }

    #[test]
    fn duplicates_are_matched_in_order() {
        assert_eq!(
            list(&["a", "a", "b"], &["a", "b"]),
            vec![Change::Removed {
                field: "items".to_owned(),
                value: "a".to_owned()
            }]
        );
        assert_eq!(
            list(&["a", "b"], &["a", "b", "a"]),
            vec![Change::Added {
                field: "items".to_owned(),
                value: "a".to_owned()
            }]
        );
    }

    #[test]
    fn a_renamed_area_keeps_its_items() {
        let catalog = catalog();
        let old = sre_manager(&catalog);
        let mut new = old.clone();
        new.responsibilities[1].area = "Incidents".to_owned();
        new.responsibilities[1].items.pop();
        let changes = role_changes(&old, &new).changes;
        assert_eq!(changes.len(), 2, "{changes:?}");
        assert!(matches!(&changes[0], Change::Text { field, to, .. }
            if field == "responsibilities[Incident response and learning].area" && to == "Incidents"));
        assert!(matches!(&changes[1], Change::Removed { field, .. }
            if field == "responsibilities[Incidents].items"));
    }

    proptest::proptest! {
        #[test]
        fn every_item_is_accounted_for_once(
            old in proptest::collection::vec(0u8..6, 0..12),
            new in proptest::collection::vec(0u8..6, 0..12),
        ) {
            let diff = match_replacing(&old, &new);
            let mut old_seen = vec![0; old.len()];
            for &i in &diff.removed {
                old_seen[i] += 1;
            }
            proptest::prop_assert_eq!(diff.entries.len(), new.len());
            for (j, entry) in diff.entries.iter().enumerate() {
                match *entry {
                    Entry::Added(n) => proptest::prop_assert_eq!(n, j),
                    Entry::Kept { old: i, new: n, .. } => {
                        proptest::prop_assert_eq!(n, j);
                        proptest::prop_assert_eq!(old[i], new[n]);
                        old_seen[i] += 1;
                    }
                    Entry::Replaced { old: i, new: n } => {
                        proptest::prop_assert_eq!((i, n), (j, j));
                        old_seen[i] += 1;
                    }
                }
            }
            proptest::prop_assert!(old_seen.iter().all(|&n| n == 1));
        }

        #[test]
        fn word_runs_rebuild_both_texts(old in "[ab ]{0,20}", new in "[ab ]{0,20}") {
            let words = word_changes(&old, &new);
            let side = |skip: WordOp| -> String {
                words.iter().filter(|w| w.op != skip).map(|w| w.text.as_str()).collect()
            };
            proptest::prop_assert_eq!(side(WordOp::Insert), old);
            proptest::prop_assert_eq!(side(WordOp::Delete), new);
        }
    }

    // -------------------------------------------------------------- words

    #[test]
    fn a_reworded_phrase_is_one_deletion_and_one_insertion() {
        let words = word_changes("keep the old big phrase", "keep the new small phrase");
        let ops: Vec<(WordOp, &str)> = words.iter().map(|w| (w.op, w.text.as_str())).collect();
        assert_eq!(
            ops,
            vec![
                (WordOp::Equal, "keep the "),
                (WordOp::Delete, "old big"),
                (WordOp::Insert, "new small"),
                (WordOp::Equal, " phrase"),
            ]
        );
        assert_eq!(
            markdown_words(&words),
            "keep the ~~old big~~ **new small** phrase"
        );
    }

    #[test]
    fn markdown_words_escape_the_text() {
        let words = word_changes("a ~x~ *b*", "a ~y~ *b*");
        assert_eq!(markdown_words(&words), "a ~~\\~x\\~~~ **\\~y\\~** \\*b\\*");
    }

    #[test]
    fn text_excerpts_cut_only_long_unchanged_stretches() {
        let short = excerpt(&word_changes("at most 35%", "at most 25%"));
        assert_eq!(short, ("at most 35%".to_owned(), "at most 25%".to_owned()));
        let long = excerpt(&word_changes(
            "one two three four five six seven eight nine ten old a b c d e f g h",
            "one two three four five six seven eight nine ten new a b c d e f g h",
        ));
        assert_eq!(
            long,
            (
                "… six seven eight nine ten old a b c d e …".to_owned(),
                "… six seven eight nine ten new a b c d e …".to_owned()
            )
        );
    }

    #[test]
    fn field_labels_read_back_escaped_names() {
        assert_eq!(
            field_label("responsibilities[Incident management].items"),
            "Responsibilities › Incident management"
        );
        assert_eq!(field_label("scope.org_size"), "Scope › Organisation size");
        let key = path_key(r"a]b.c\d");
        assert_eq!(
            field_label(&format!("career.next[{key}].note")),
            r"Career path › Leads to › a]b.c\d › Note"
        );
        // Malformed paths still give a label.
        assert_eq!(field_label("x[unclosed"), "X › unclosed");
        assert_eq!(field_label(""), "");
    }

    // ---------------------------------------------------------- snapshots

    /// An editor's session on the built-in SRE Manager: a sharper summary,
    /// a skill raised, a KPI target tightened, an incident item added and
    /// one moved to the top, a new career move.
    fn edited_sre_manager(old: &Role) -> Role {
        let mut new = old.clone();
        new.summary = new.summary.replacen(
            "whether they stay up, respond fast, survive failures and are run with discipline",
            "whether they stay up, respond fast and recover from failures",
            1,
        );
        for skill in &mut new.skills {
            if skill.skill.as_str() == "people-leadership" {
                skill.level = At::detached(4);
            }
        }
        for kpi in &mut new.kpis {
            if kpi.kpi.as_str() == "toil-share" {
                kpi.target = kpi.target.replace("35%", "25%");
            }
        }
        let incidents = &mut new.responsibilities[1].items;
        let review = incidents.remove(3);
        incidents.insert(0, review);
        incidents.push(
            "Publish a quarterly incident review for the team's product partners.".to_owned(),
        );
        new.career.next.push(RoleRef {
            role: None,
            title: Some(At::detached("Head of Reliability".to_owned())),
            note: Some("In a company with one SRE team, the next step up.".to_owned()),
        });
        new
    }

    #[test]
    fn a_realistic_edit_as_text_markdown_and_json() {
        let catalog = catalog();
        let old = sre_manager(&catalog);
        let changes = role_changes(&old, &edited_sre_manager(&old));
        assert_eq!(changes.changes.len(), 6, "{changes:#?}");
        insta::assert_snapshot!("sre_manager_edit_text", changes.to_text());
        insta::assert_snapshot!("sre_manager_edit_markdown", changes.to_markdown());
        insta::assert_snapshot!(
            "sre_manager_edit_json",
            serde_json::to_string_pretty(&changes).expect("serialises")
        );
    }

    #[test]
    fn every_kind_of_change_renders() {
        let role = |id: &str| RoleRef {
            role: Some(At::detached(id.to_owned())),
            title: None,
            note: None,
        };
        let changes = Changes {
            kind: "role",
            id: "x".to_owned(),
            changes: vec![
                Change::Value {
                    field: "crosswalk.esco_title".to_owned(),
                    from: String::new(),
                    to: "Manager".to_owned(),
                },
                Change::Text {
                    field: "career.next[a].note".to_owned(),
                    from: "Was *this*".to_owned(),
                    to: String::new(),
                    words: word_changes("Was *this*", ""),
                },
                Change::SkillImportance {
                    skill: "x".to_owned(),
                    from: Importance::Core,
                    to: Importance::Supporting,
                },
                Change::SkillAdded {
                    skill: "y".to_owned(),
                    level: 3,
                    importance: Importance::Core,
                },
                Change::SkillRemoved {
                    skill: "z".to_owned(),
                    level: 2,
                    importance: Importance::Supporting,
                },
                Change::KpiAdded {
                    kpi: "k".to_owned(),
                    target: "≥ 90%".to_owned(),
                },
                Change::KpiRemoved {
                    kpi: "l".to_owned(),
                    target: "< 5".to_owned(),
                },
                Change::CareerRemoved {
                    list: CareerList::Feeders,
                    to: ref_label(&role("cto")),
                },
            ],
        };
        insta::assert_snapshot!("every_kind_text", changes.to_text());
        insta::assert_snapshot!("every_kind_markdown", changes.to_markdown());
    }
}
