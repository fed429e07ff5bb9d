//! Career moves, paths, skill gaps and role comparisons: the shapes of
//! `rolebook-career`'s reports.

use rolebook_career as career;
use rolebook_career::EdgeKind;
use rolebook_career::diff::ListDiff;
use rolebook_career::graph::NextReport;
use rolebook_career::path::PathReport;
use rolebook_core::{Catalog, model};
use serde::Serialize;
use utoipa::ToSchema;

use crate::role::{Importance, RoleSummary};

/// A skill's shortfall in a move.
#[derive(Debug, Serialize, ToSchema)]
pub struct GapLine {
    pub skill: String,
    pub name: String,
    pub importance: Importance,
    /// The level held before the move (0: not required).
    pub current: u8,
    pub required: u8,
    /// `weight × max(0, required − current)`.
    pub weighted_shortfall: u32,
}

/// The skill gap of a move.
#[derive(Debug, Serialize, ToSchema)]
pub struct Gap {
    pub total: u32,
    pub formula: String,
    /// Skills with a shortfall, biggest first.
    pub skills: Vec<GapLine>,
}

impl From<&career::Gap> for Gap {
    fn from(gap: &career::Gap) -> Self {
        Gap {
            total: gap.total,
            formula: gap.formula.to_string(),
            skills: gap
                .skills
                .iter()
                .map(|s| GapLine {
                    skill: s.skill.clone(),
                    name: s.name.clone(),
                    importance: s.importance.into(),
                    current: s.current,
                    required: s.required,
                    weighted_shortfall: s.weighted_shortfall,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkillEntry {
    pub skill: String,
    pub name: String,
    pub level: u8,
    pub importance: Importance,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkillDelta {
    pub skill: String,
    pub name: String,
    pub from_level: u8,
    pub to_level: u8,
    /// `to_level − from_level`.
    pub change: i16,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KpiEntry {
    pub kpi: String,
    pub name: String,
    pub target: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KpiTargetDelta {
    pub kpi: String,
    pub name: String,
    pub from_target: String,
    pub to_target: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldDelta {
    /// Key in the role file, e.g. `direct_reports`.
    pub field: String,
    pub label: String,
    pub from: String,
    pub to: String,
}

/// Items only one side of a comparison has.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListDelta {
    pub only_from: Vec<String>,
    pub only_to: Vec<String>,
}

impl From<&ListDiff> for ListDelta {
    fn from(d: &ListDiff) -> Self {
        ListDelta {
            only_from: d.only_from.clone(),
            only_to: d.only_to.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionsDelta {
    pub decides: ListDelta,
    pub recommends: ListDelta,
    pub consulted: ListDelta,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LevelDelta {
    pub from: String,
    pub to: String,
    /// Positive is a step up.
    pub rank_change: i16,
    pub sfia_change: i16,
}

/// Everything that differs from one role to another.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleDiff {
    pub from: String,
    pub to: String,
    pub level: LevelDelta,
    pub same_family: bool,
    pub skills_gained: Vec<SkillEntry>,
    pub skills_lost: Vec<SkillEntry>,
    pub skills_changed: Vec<SkillDelta>,
    pub skills_unchanged: usize,
    pub kpis_gained: Vec<KpiEntry>,
    pub kpis_lost: Vec<KpiEntry>,
    pub kpi_targets_changed: Vec<KpiTargetDelta>,
    pub scope: Vec<FieldDelta>,
    pub decisions: DecisionsDelta,
    /// The skill gap of moving from `from` to `to`.
    pub gap: Gap,
}

impl From<&career::RoleDiff> for RoleDiff {
    fn from(d: &career::RoleDiff) -> Self {
        let entry = |s: &career::diff::SkillEntry| SkillEntry {
            skill: s.skill.clone(),
            name: s.name.clone(),
            level: s.level,
            importance: s.importance.into(),
        };
        let kpi = |k: &career::diff::KpiEntry| KpiEntry {
            kpi: k.kpi.clone(),
            name: k.name.clone(),
            target: k.target.clone(),
        };
        RoleDiff {
            from: d.from.id.clone(),
            to: d.to.id.clone(),
            level: LevelDelta {
                from: d.level.from.clone(),
                to: d.level.to.clone(),
                rank_change: d.level.rank_change,
                sfia_change: d.level.sfia_change,
            },
            same_family: d.family.is_none(),
            skills_gained: d.skills_gained.iter().map(entry).collect(),
            skills_lost: d.skills_lost.iter().map(entry).collect(),
            skills_changed: d
                .skills_changed
                .iter()
                .map(|c| SkillDelta {
                    skill: c.skill.clone(),
                    name: c.name.clone(),
                    from_level: c.from_level,
                    to_level: c.to_level,
                    change: c.level_change(),
                })
                .collect(),
            skills_unchanged: d.skills_unchanged,
            kpis_gained: d.kpis_gained.iter().map(kpi).collect(),
            kpis_lost: d.kpis_lost.iter().map(kpi).collect(),
            kpi_targets_changed: d
                .kpi_targets_changed
                .iter()
                .map(|k| KpiTargetDelta {
                    kpi: k.kpi.clone(),
                    name: k.name.clone(),
                    from_target: k.from_target.clone(),
                    to_target: k.to_target.clone(),
                })
                .collect(),
            scope: d
                .scope
                .iter()
                .map(|f| FieldDelta {
                    field: f.field.to_string(),
                    label: f.label.to_string(),
                    from: f.from.clone(),
                    to: f.to.clone(),
                })
                .collect(),
            decisions: DecisionsDelta {
                decides: (&d.decisions.decides).into(),
                recommends: (&d.decisions.recommends).into(),
                consulted: (&d.decisions.consulted).into(),
            },
            gap: (&d.gap).into(),
        }
    }
}

/// A KPI that exactly one of the compared roles owns.
#[derive(Debug, Serialize, ToSchema)]
pub struct SoleOwner {
    pub kpi: String,
    pub name: String,
    pub role: String,
    pub target: String,
}

/// Two to four roles compared with the first (the baseline).
#[derive(Debug, Serialize, ToSchema)]
pub struct Comparison {
    pub roles: Vec<RoleSummary>,
    /// One diff from the baseline to each other role, in order.
    pub diffs: Vec<RoleDiff>,
    pub kpis_owned_by_one: Vec<SoleOwner>,
}

impl Comparison {
    /// `roles` (the first is the baseline) with `diffs` from the baseline
    /// to each of the others, in order.
    pub fn of(catalog: &Catalog, roles: &[&model::Role], diffs: &[career::RoleDiff]) -> Self {
        let mut kpis_owned_by_one = Vec::new();
        for role in roles {
            for own in &role.kpis {
                let owners = roles
                    .iter()
                    .filter(|r| r.kpis.iter().any(|k| k.kpi == own.kpi))
                    .count();
                if owners == 1 {
                    kpis_owned_by_one.push(SoleOwner {
                        kpi: own.kpi.to_string(),
                        name: catalog
                            .kpi(&own.kpi)
                            .map_or_else(|| own.kpi.to_string(), |k| k.name.clone()),
                        role: role.id.to_string(),
                        target: own.target.clone(),
                    });
                }
            }
        }
        Comparison {
            roles: roles.iter().map(|r| RoleSummary::of(catalog, r)).collect(),
            diffs: diffs.iter().map(RoleDiff::from).collect(),
            kpis_owned_by_one,
        }
    }
}

/// `next` (declared step up), `lateral` (declared sideways move) or
/// `implied` (same family, next rank up, not declared).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum MoveKind {
    Next,
    Lateral,
    Implied,
}

impl From<EdgeKind> for MoveKind {
    fn from(kind: EdgeKind) -> Self {
        match kind {
            EdgeKind::Next => MoveKind::Next,
            EdgeKind::Lateral => MoveKind::Lateral,
            EdgeKind::Implied => MoveKind::Implied,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Evidence {
    /// The file that declares the move.
    pub file: String,
    pub field: String,
    pub note: Option<String>,
}

/// One move in the career graph.
#[derive(Debug, Serialize, ToSchema)]
pub struct Move {
    pub from: String,
    pub from_title: String,
    pub to: String,
    pub to_title: String,
    pub kind: MoveKind,
    pub gap: Gap,
    pub evidence: Vec<Evidence>,
}

impl From<&career::Move> for Move {
    fn from(m: &career::Move) -> Self {
        Move {
            from: m.from.id.clone(),
            from_title: m.from.title.clone(),
            to: m.to.id.clone(),
            to_title: m.to.title.clone(),
            kind: m.kind.into(),
            gap: (&m.gap).into(),
            evidence: m
                .evidence
                .iter()
                .map(|e| Evidence {
                    file: e.file.clone(),
                    field: e.field.to_string(),
                    note: e.note.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutsideMove {
    pub kind: MoveKind,
    pub title: String,
    pub note: Option<String>,
}

/// The career graph around one role.
#[derive(Debug, Serialize, ToSchema)]
pub struct CareerView {
    pub role: RoleSummary,
    /// Moves from the role: next, then lateral, then implied, each
    /// smallest gap first.
    pub moves: Vec<Move>,
    /// Moves into the role.
    pub incoming: Vec<Move>,
    /// Moves to titles outside the catalog.
    pub outside: Vec<OutsideMove>,
}

impl CareerView {
    pub fn of(role: RoleSummary, next: &NextReport, incoming: &[career::Move]) -> Self {
        CareerView {
            role,
            moves: next.moves.iter().map(Move::from).collect(),
            incoming: incoming.iter().map(Move::from).collect(),
            outside: next
                .outside
                .iter()
                .map(|o| OutsideMove {
                    kind: o.kind.into(),
                    title: o.title.clone(),
                    note: o.note.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Path {
    /// Σ of the steps' gaps, each counted from the levels held by then.
    pub total_gap: u32,
    /// Proficiency levels to gain along the path, unweighted.
    pub levels_to_gain: u32,
    /// How many different skills those levels are in.
    pub skills_to_grow: usize,
    /// Each step's `gap` is what its role requires beyond the levels held
    /// by then (the start's levels and every earlier role's).
    pub steps: Vec<Move>,
}

/// The person a path starts from.
#[derive(Debug, Serialize, ToSchema)]
pub struct PathPerson {
    /// The profile's `name`, when it has one.
    pub name: Option<String>,
}

/// The paths from one role to another with the smallest total gap.
#[derive(Debug, Serialize, ToSchema)]
pub struct Paths {
    pub from: String,
    pub to: String,
    /// Present when the paths start from a person's own ratings rather
    /// than from the levels `from` requires.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<PathPerson>,
    pub k: usize,
    pub formula: String,
    /// Smallest total gap first; empty when there is no path.
    pub paths: Vec<Path>,
}

impl From<&PathReport> for Paths {
    fn from(r: &PathReport) -> Self {
        Paths {
            from: r.from.id.clone(),
            to: r.to.id.clone(),
            person: r.person.as_ref().map(|p| PathPerson {
                name: p.name.clone(),
            }),
            k: r.k,
            formula: r.path_formula.to_string(),
            paths: r
                .paths
                .iter()
                .map(|p| Path {
                    total_gap: p.total_gap,
                    levels_to_gain: p.levels_to_gain,
                    skills_to_grow: p.skills_to_grow,
                    steps: p.steps.iter().map(Move::from).collect(),
                })
                .collect(),
        }
    }
}
