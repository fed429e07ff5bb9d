//! The comparison of 2 to 4 roles, and the picker that chooses them.

use std::collections::BTreeMap;

use askama::Template;
use rolebook_career::{EdgeKind, RoleDiff};
use rolebook_core::Catalog;
use rolebook_core::model::{Importance, Role};

use super::{Layout, Links, Meter, family_index, family_name, no_such_role, render, track_label};
use crate::analysis::{self, MAX_COMPARE};
use crate::cache::Cached;
use crate::error::AppError;
use crate::state::Snapshot;

#[derive(Debug)]
pub struct RoleOption {
    pub id: String,
    pub title: String,
}

/// Roles of one family, for an `<optgroup>`.
#[derive(Debug)]
pub struct OptionGroup {
    pub name: String,
    pub options: Vec<RoleOption>,
}

#[derive(Debug)]
pub struct Column {
    pub id: String,
    pub title: String,
    pub family_index: usize,
}

#[derive(Debug)]
pub struct TextCell {
    pub text: String,
    pub changed: bool,
}

#[derive(Debug)]
pub struct TextRow {
    pub label: &'static str,
    pub cells: Vec<TextCell>,
}

/// A skill level in one compared role, relative to the baseline.
#[derive(Debug)]
pub struct SkillCell {
    /// `None` when the role does not require the skill.
    pub meter: Option<Meter>,
    /// `base`, `same`, `up`, `down`, `new`, `dropped` or `none`.
    pub state: &'static str,
    /// "+2", "−1", or empty.
    pub delta: String,
    pub core: bool,
}

#[derive(Debug)]
pub struct SkillCompareRow {
    pub id: String,
    pub name: String,
    pub cells: Vec<SkillCell>,
    pub differs: bool,
}

#[derive(Debug)]
pub struct KpiCompareRow {
    pub id: String,
    pub name: String,
    pub cells: Vec<Option<TextCell>>,
    /// The title of the only role that owns it.
    pub sole_owner: Option<String>,
}

/// One kind of decision right (decides, recommends, is consulted) for
/// every compared role, side by side.
#[derive(Debug)]
pub struct DecisionRow {
    pub label: &'static str,
    /// Per role, in column order: its items, each marked when another
    /// compared role lists the same item under this kind too.
    pub cells: Vec<Vec<(String, bool)>>,
}

#[derive(Debug)]
pub struct GapSummary {
    pub to: String,
    pub total: u32,
    pub top: Vec<(String, u8, u8)>,
}

#[derive(Debug)]
pub struct Comparison {
    pub columns: Vec<Column>,
    pub overview: Vec<TextRow>,
    pub skills: Vec<SkillCompareRow>,
    pub differing_skills: usize,
    pub kpis: Vec<KpiCompareRow>,
    pub scope: Vec<TextRow>,
    pub decisions: Vec<DecisionRow>,
    pub gaps: Vec<GapSummary>,
    pub baseline: String,
}

#[derive(Template)]
#[template(path = "compare.html")]
struct ComparePage {
    layout: Layout,
    groups: Vec<OptionGroup>,
    /// One entry per select box.
    selected: Vec<String>,
    notice: Option<String>,
    result: Option<Comparison>,
    /// Static site only: the comparisons it has, by baseline role.
    moves: Vec<MoveGroup>,
}

/// Every published role for a picker, grouped by family in framework
/// order.
pub(crate) fn role_options(snap: &Snapshot) -> Vec<OptionGroup> {
    let catalog = &snap.catalog;
    let roles = snap.publication.roles(catalog);
    catalog
        .families()
        .iter()
        .map(|family| {
            let mut options: Vec<RoleOption> = roles
                .iter()
                .filter(|r| r.family.as_str() == family.id.as_str())
                .map(|r| RoleOption {
                    id: r.id.to_string(),
                    title: r.title.to_string(),
                })
                .collect();
            options.sort_by(|a, b| a.title.cmp(&b.title));
            OptionGroup {
                name: family.name.clone(),
                options,
            }
        })
        .filter(|g| !g.options.is_empty())
        .collect()
}

fn signed(n: i16) -> String {
    match n {
        0 => String::new(),
        n if n > 0 => format!("+{n}"),
        n => format!("−{}", -n),
    }
}

/// A scope field: key in the role file, label, and how to read it.
type ScopeField = (&'static str, &'static str, fn(&Role) -> &String);

fn comparison(catalog: &Catalog, roles: &[&Role], diffs: &[RoleDiff]) -> Comparison {
    let base = roles[0];
    let columns = roles
        .iter()
        .map(|r| Column {
            id: r.id.to_string(),
            title: r.title.to_string(),
            family_index: family_index(catalog, &r.family),
        })
        .collect();
    let level_of = |r: &Role| catalog.level(&r.level);
    let overview = vec![
        TextRow {
            label: "Family",
            cells: roles
                .iter()
                .enumerate()
                .map(|(i, r)| TextCell {
                    text: family_name(catalog, &r.family),
                    changed: i > 0 && diffs[i - 1].family.is_some(),
                })
                .collect(),
        },
        TextRow {
            label: "Level",
            cells: roles
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let text = match (i, level_of(r)) {
                        (0, Some(l)) => format!("{} (rank {})", l.name, l.rank),
                        (_, Some(l)) => {
                            let change = diffs[i - 1].level.rank_change;
                            if change == 0 {
                                format!("{} (rank {})", l.name, l.rank)
                            } else {
                                format!("{} (rank {}, {})", l.name, l.rank, signed(change))
                            }
                        }
                        (_, None) => r.level.to_string(),
                    };
                    TextCell {
                        text,
                        changed: i > 0 && diffs[i - 1].level.rank_change != 0,
                    }
                })
                .collect(),
        },
        TextRow {
            label: "Track",
            cells: roles
                .iter()
                .enumerate()
                .map(|(i, r)| TextCell {
                    text: level_of(r).map_or("", |l| track_label(l.track)).to_string(),
                    changed: i > 0 && diffs[i - 1].level.track.is_some(),
                })
                .collect(),
        },
        TextRow {
            label: "SFIA level",
            cells: roles
                .iter()
                .enumerate()
                .map(|(i, r)| TextCell {
                    text: level_of(r).map_or_else(String::new, |l| l.sfia_level.to_string()),
                    changed: i > 0 && diffs[i - 1].level.sfia_change != 0,
                })
                .collect(),
        },
    ];

    // Skills: the baseline's first, then those only others require.
    let mut skill_ids: Vec<String> = base.skills.iter().map(|s| s.skill.to_string()).collect();
    for role in &roles[1..] {
        for req in &role.skills {
            if !skill_ids.iter().any(|s| s == req.skill.as_str()) {
                skill_ids.push(req.skill.to_string());
            }
        }
    }
    let mut skills: Vec<SkillCompareRow> = skill_ids
        .iter()
        .map(|id| {
            let requirement = |r: &Role| {
                r.skills
                    .iter()
                    .find(|s| s.skill.as_str() == id)
                    .map(|s| (*s.level, s.importance == Importance::Core))
            };
            let mut cells = Vec::with_capacity(roles.len());
            let base_req = requirement(base);
            cells.push(SkillCell {
                meter: base_req.map(|(l, _)| Meter::new(catalog, l)),
                state: if base_req.is_some() { "base" } else { "none" },
                delta: String::new(),
                core: base_req.is_some_and(|(_, c)| c),
            });
            for (i, role) in roles.iter().enumerate().skip(1) {
                let diff = &diffs[i - 1];
                let req = requirement(role);
                let (state, delta) = if let Some(change) =
                    diff.skills_changed.iter().find(|c| c.skill == *id)
                {
                    let n = change.level_change();
                    (
                        if n > 0 {
                            "up"
                        } else if n < 0 {
                            "down"
                        } else {
                            "same"
                        },
                        signed(n),
                    )
                } else if let Some(gained) = diff.skills_gained.iter().find(|g| g.skill == *id) {
                    ("new", format!("+{}", gained.level))
                } else if diff.skills_lost.iter().any(|l| l.skill == *id) {
                    ("dropped", String::new())
                } else if req.is_some() {
                    ("same", String::new())
                } else {
                    ("none", String::new())
                };
                cells.push(SkillCell {
                    meter: req.map(|(l, _)| Meter::new(catalog, l)),
                    state,
                    delta,
                    core: req.is_some_and(|(_, c)| c),
                });
            }
            let differs = cells
                .iter()
                .skip(1)
                .any(|c| !matches!(c.state, "same" | "none"))
                || (base_req.is_none() && cells.iter().skip(1).any(|c| c.state != "none"));
            SkillCompareRow {
                name: catalog
                    .skill(id)
                    .map_or_else(|| id.clone(), |s| s.name.clone()),
                id: id.clone(),
                cells,
                differs,
            }
        })
        .collect();
    // Differences first, so the page leads with what matters.
    skills.sort_by_key(|row| !row.differs);
    let differing_skills = skills.iter().filter(|r| r.differs).count();

    let mut kpi_ids: Vec<String> = Vec::new();
    for role in roles {
        for own in &role.kpis {
            if !kpi_ids.iter().any(|k| k == own.kpi.as_str()) {
                kpi_ids.push(own.kpi.to_string());
            }
        }
    }
    let mut kpis: Vec<KpiCompareRow> = kpi_ids
        .iter()
        .map(|id| {
            let cells: Vec<Option<TextCell>> = roles
                .iter()
                .enumerate()
                .map(|(i, role)| {
                    role.kpis
                        .iter()
                        .find(|k| k.kpi.as_str() == id)
                        .map(|own| TextCell {
                            text: own.target.clone(),
                            changed: i > 0
                                && (diffs[i - 1]
                                    .kpi_targets_changed
                                    .iter()
                                    .any(|c| c.kpi == *id)
                                    || diffs[i - 1].kpis_gained.iter().any(|g| g.kpi == *id)),
                        })
                })
                .collect();
            let owners: Vec<usize> = cells
                .iter()
                .enumerate()
                .filter(|(_, c)| c.is_some())
                .map(|(i, _)| i)
                .collect();
            KpiCompareRow {
                name: catalog
                    .kpi(id)
                    .map_or_else(|| id.clone(), |k| k.name.clone()),
                id: id.clone(),
                sole_owner: (owners.len() == 1).then(|| roles[owners[0]].title.to_string()),
                cells,
            }
        })
        .collect();
    kpis.sort_by_key(|row| row.sole_owner.is_none());

    let fields: [ScopeField; 5] = [
        ("direct_reports", "Direct reports", |r| {
            &r.scope.direct_reports
        }),
        ("span", "Span", |r| &r.scope.span),
        ("org_size", "Organisation size", |r| &r.scope.org_size),
        ("budget", "Budget", |r| &r.scope.budget),
        ("time_horizon", "Time horizon", |r| &r.scope.time_horizon),
    ];
    let scope = fields
        .iter()
        .map(|(field, label, get)| TextRow {
            label,
            cells: roles
                .iter()
                .enumerate()
                .map(|(i, r)| TextCell {
                    text: get(r).clone(),
                    changed: i > 0 && diffs[i - 1].scope.iter().any(|f| f.field == *field),
                })
                .collect(),
        })
        .collect();
    type Kind = fn(&Role) -> &Vec<String>;
    let kinds: [(&'static str, Kind); 3] = [
        ("Decides", |r| &r.decisions.decides),
        ("Recommends", |r| &r.decisions.recommends),
        ("Is consulted on", |r| &r.decisions.consulted),
    ];
    let decisions = kinds
        .iter()
        .map(|(label, items)| DecisionRow {
            label,
            cells: roles
                .iter()
                .enumerate()
                .map(|(i, role)| {
                    items(role)
                        .iter()
                        .map(|item| {
                            let shared = roles
                                .iter()
                                .enumerate()
                                .any(|(j, other)| j != i && items(other).contains(item));
                            (item.clone(), shared)
                        })
                        .collect()
                })
                .collect(),
        })
        .collect();
    let gaps = diffs
        .iter()
        .map(|d| GapSummary {
            to: d.to.title.clone(),
            total: d.gap.total,
            top: d
                .gap
                .skills
                .iter()
                .take(5)
                .map(|s| (s.name.clone(), s.current, s.required))
                .collect(),
        })
        .collect();
    Comparison {
        columns,
        overview,
        skills,
        differing_skills,
        kpis,
        scope,
        decisions,
        gaps,
        baseline: base.title.to_string(),
    }
}

/// The compare page for `names` (none, one or 2 to 4 roles). `career` is
/// the catalog indexed for analysis when many pages share it (the static
/// site); without it the page builds its own.
pub(crate) fn compare_page(
    snap: &Snapshot,
    links: Links,
    names: &[String],
) -> Result<Cached, AppError> {
    let catalog = &snap.catalog;
    let mut selected = names.to_vec();
    let (notice, result) = if names.len() < 2 {
        (
            (names.len() == 1).then(|| "Choose at least one more role to compare.".to_string()),
            None,
        )
    } else {
        let roles = analysis::compare_roles(catalog, names)?;
        if let Some(role) = roles.iter().find(|r| !snap.publication.has_role(&r.id)) {
            return Err(no_such_role(snap, &role.id));
        }
        selected = roles.iter().map(|r| r.id.to_string()).collect();
        let diffs = analysis::diffs(snap.career(), &roles);
        (None, Some(comparison(catalog, &roles, &diffs)))
    };
    selected.resize(MAX_COMPARE, String::new());
    let title = match &result {
        Some(c) => format!(
            "Compare {}",
            c.columns
                .iter()
                .map(|c| c.title.as_str())
                .collect::<Vec<_>>()
                .join(" · ")
        ),
        None => "Compare roles".to_string(),
    };
    // The static site has no picker (it needs the server); its compare
    // index lists the pages it has instead: one per declared move.
    let (groups, moves) = if links.is_static() {
        let moves = if result.is_none() {
            move_groups(snap)
        } else {
            Vec::new()
        };
        (Vec::new(), moves)
    } else {
        (role_options(snap), Vec::new())
    };
    render(&ComparePage {
        layout: Layout::new(
            snap,
            title,
            "Two to four roles side by side, with their differences highlighted.",
            "compare",
        )
        .with_links(links),
        groups,
        selected,
        notice,
        result,
        moves,
    })
}

// ------------------------------------------------- declared career moves

/// The moves the catalog declares (`next` and `lateral` lists, and
/// `feeders` read backwards), by (from, to) role index, with their kind:
/// the edges of the career graph that are not implied, by the graph's own
/// rule (a move declared as next and lateral counts as next).
pub(crate) fn declared_moves(catalog: &Catalog) -> BTreeMap<(usize, usize), EdgeKind> {
    let roles = catalog.roles();
    let index: std::collections::HashMap<&str, usize> = roles
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let rank = |i: usize| catalog.level(&roles[i].level).map_or(0, |l| l.rank);
    let mut moves = BTreeMap::new();
    let mut add = |from: usize, to: usize, kind: EdgeKind| {
        if from != to {
            let kind = kind.between(rank(from), rank(to));
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

/// The declared moves between two published roles.
pub(crate) fn published_moves(snap: &Snapshot) -> BTreeMap<(usize, usize), EdgeKind> {
    let roles = snap.catalog.roles();
    let mut moves = declared_moves(&snap.catalog);
    moves.retain(|(from, to), _| {
        snap.publication.has_role(&roles[*from].id) && snap.publication.has_role(&roles[*to].id)
    });
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

/// Every published role's declared moves to published roles, in catalog
/// order, next moves first.
pub fn move_groups(snap: &Snapshot) -> Vec<MoveGroup> {
    let roles = snap.catalog.roles();
    let mut groups: Vec<MoveGroup> = roles
        .iter()
        .map(|r| MoveGroup {
            id: r.id.to_string(),
            title: r.title.to_string(),
            moves: Vec::new(),
        })
        .collect();
    let mut moves: Vec<((usize, usize), EdgeKind)> = published_moves(snap).into_iter().collect();
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
    groups.retain(|g| snap.publication.has_role(&g.id));
    groups
}
