//! The JSON API's wire types, separate from the catalog model.
//!
//! The catalog model is the file format and may change with it; these types
//! are a public contract (`/api/v1`) and change only with a new API
//! version. Each is built from core and career types by a `from_*`
//! function here, and described in the OpenAPI document by `ToSchema`.

use rolebook_career::diff::{ListDiff, RoleDiff};
use rolebook_career::graph::{Move, NextReport};
use rolebook_career::path::PathReport;
use rolebook_career::{EdgeKind, Gap};
use rolebook_core::Catalog;
use rolebook_core::model::{self, Importance, RoleRef};
use serde::Serialize;
use utoipa::ToSchema;

/// Where a role sits: id and name of its family and level.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleSummary {
    /// Stable role id (kebab-case).
    #[schema(example = "sre-manager")]
    pub id: String,
    pub title: String,
    pub aliases: Vec<String>,
    pub family: String,
    pub family_name: String,
    pub level: String,
    pub level_name: String,
    /// Seniority of the level; higher is more senior.
    pub rank: u8,
    pub summary: String,
}

impl RoleSummary {
    pub fn of(catalog: &Catalog, role: &model::Role) -> Self {
        let level = catalog.level(&role.level);
        RoleSummary {
            id: role.id.to_string(),
            title: role.title.to_string(),
            aliases: role.aliases.iter().map(|a| a.to_string()).collect(),
            family: role.family.to_string(),
            family_name: catalog
                .family(&role.family)
                .map_or_else(|| role.family.to_string(), |f| f.name.clone()),
            level: role.level.to_string(),
            level_name: level.map_or_else(|| role.level.to_string(), |l| l.name.clone()),
            rank: level.map_or(0, |l| l.rank),
            summary: role.summary.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleList {
    pub total: usize,
    pub roles: Vec<RoleSummary>,
}

/// A reference to a role: a catalog role (`role` set) or a title outside
/// the catalog.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleLink {
    /// Catalog role id, when the role is in the catalog.
    pub role: Option<String>,
    /// The catalog role's title, or the external title.
    pub title: String,
    pub note: Option<String>,
}

impl RoleLink {
    fn of(catalog: &Catalog, reference: &RoleRef) -> Self {
        let catalog_role = reference.role_id().and_then(|id| catalog.role(id));
        RoleLink {
            role: catalog_role.map(|r| r.id.to_string()),
            title: catalog_role
                .map_or_else(|| reference.label().to_string(), |r| r.title.to_string()),
            note: reference.note.clone().filter(|n| !n.trim().is_empty()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LevelInfo {
    pub id: String,
    pub name: String,
    pub rank: u8,
    /// `management`, `executive` or `individual-contributor`.
    pub track: String,
    pub sfia_level: u8,
    pub autonomy: String,
    pub influence: String,
    pub complexity: String,
    pub span_of_control: String,
    pub budget: String,
    pub time_horizon: String,
}

impl LevelInfo {
    pub fn of(level: &model::Level) -> Self {
        LevelInfo {
            id: level.id.to_string(),
            name: level.name.clone(),
            rank: level.rank,
            track: track_id(level.track).to_string(),
            sfia_level: *level.sfia_level,
            autonomy: level.autonomy.clone(),
            influence: level.influence.clone(),
            complexity: level.complexity.clone(),
            span_of_control: level.span_of_control.clone(),
            budget: level.budget.clone(),
            time_horizon: level.time_horizon.clone(),
        }
    }
}

fn track_id(track: model::Track) -> &'static str {
    match track {
        model::Track::Management => "management",
        model::Track::Executive => "executive",
        model::Track::IndividualContributor => "individual-contributor",
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FamilyInfo {
    pub id: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProficiencyInfo {
    pub level: u8,
    pub name: String,
    pub descriptor: String,
}

/// Levels, job families and the proficiency scale.
#[derive(Debug, Serialize, ToSchema)]
pub struct Framework {
    pub levels: Vec<LevelInfo>,
    pub families: Vec<FamilyInfo>,
    pub proficiency: Vec<ProficiencyInfo>,
}

impl Framework {
    pub fn of(catalog: &Catalog) -> Self {
        Framework {
            levels: catalog.levels().iter().map(LevelInfo::of).collect(),
            families: catalog
                .families()
                .iter()
                .map(|f| FamilyInfo {
                    id: f.id.to_string(),
                    name: f.name.clone(),
                    description: f.description.clone(),
                })
                .collect(),
            proficiency: catalog
                .proficiency()
                .iter()
                .map(|p| ProficiencyInfo {
                    level: *p.level,
                    name: p.name.clone(),
                    descriptor: p.descriptor.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Scope {
    pub reports_to: Vec<RoleLink>,
    pub direct_reports: String,
    pub span: String,
    pub org_size: String,
    pub budget: String,
    pub time_horizon: String,
    pub context: String,
    pub in_scope: Vec<String>,
    pub out_of_scope: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResponsibilityArea {
    pub area: String,
    pub items: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Decisions {
    pub decides: Vec<String>,
    pub recommends: Vec<String>,
    pub consulted: Vec<String>,
}

/// `core` or `supporting`.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ImportanceDto {
    Core,
    Supporting,
}

impl From<Importance> for ImportanceDto {
    fn from(value: Importance) -> Self {
        match value {
            Importance::Core => ImportanceDto::Core,
            Importance::Supporting => ImportanceDto::Supporting,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleSkill {
    pub skill: String,
    pub name: String,
    pub category: String,
    /// Required level on the proficiency scale, 1 to 5.
    pub level: u8,
    pub level_name: String,
    pub importance: ImportanceDto,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleKpi {
    pub kpi: String,
    pub name: String,
    pub target: String,
    pub why: String,
    pub unit: String,
    pub direction: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CareerMoves {
    pub feeders: Vec<RoleLink>,
    pub next: Vec<RoleLink>,
    pub lateral: Vec<RoleLink>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Qualifications {
    pub experience: Vec<String>,
    pub certifications: Vec<String>,
    pub education: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Success {
    pub days_90: Vec<String>,
    pub months_12: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Crosswalk {
    pub onet_soc: Option<String>,
    pub onet_title: Option<String>,
    pub esco_occupation: Option<String>,
    pub esco_title: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Provenance {
    /// ISO date, e.g. `2026-11-26`.
    pub last_reviewed: String,
    pub sources: Vec<String>,
}

/// A complete role blueprint.
#[derive(Debug, Serialize, ToSchema)]
pub struct Role {
    pub id: String,
    pub title: String,
    pub aliases: Vec<String>,
    pub family: FamilyInfo,
    pub level: LevelInfo,
    pub summary: String,
    pub purpose: String,
    pub scope: Scope,
    pub responsibilities: Vec<ResponsibilityArea>,
    pub decisions: Decisions,
    pub skills: Vec<RoleSkill>,
    pub kpis: Vec<RoleKpi>,
    pub career: CareerMoves,
    pub qualifications: Qualifications,
    pub success: Success,
    pub hiring_signals: Vec<String>,
    pub failure_modes: Vec<String>,
    pub crosswalk: Crosswalk,
    pub provenance: Provenance,
}

impl Role {
    pub fn of(catalog: &Catalog, role: &model::Role) -> Self {
        let links = |refs: &[RoleRef]| refs.iter().map(|r| RoleLink::of(catalog, r)).collect();
        let family = catalog.family(&role.family);
        let level = catalog.level(&role.level);
        Role {
            id: role.id.to_string(),
            title: role.title.to_string(),
            aliases: role.aliases.iter().map(|a| a.to_string()).collect(),
            family: FamilyInfo {
                id: role.family.to_string(),
                name: family.map_or_else(|| role.family.to_string(), |f| f.name.clone()),
                description: family.map_or_else(String::new, |f| f.description.clone()),
            },
            level: level.map_or_else(
                || LevelInfo {
                    id: role.level.to_string(),
                    name: role.level.to_string(),
                    rank: 0,
                    track: String::new(),
                    sfia_level: 0,
                    autonomy: String::new(),
                    influence: String::new(),
                    complexity: String::new(),
                    span_of_control: String::new(),
                    budget: String::new(),
                    time_horizon: String::new(),
                },
                LevelInfo::of,
            ),
            summary: role.summary.clone(),
            purpose: role.purpose.clone(),
            scope: Scope {
                reports_to: links(&role.scope.reports_to),
                direct_reports: role.scope.direct_reports.clone(),
                span: role.scope.span.clone(),
                org_size: role.scope.org_size.clone(),
                budget: role.scope.budget.clone(),
                time_horizon: role.scope.time_horizon.clone(),
                context: role.scope.context.clone(),
                in_scope: role.scope.in_scope.clone(),
                out_of_scope: role.scope.out_of_scope.clone(),
            },
            responsibilities: role
                .responsibilities
                .iter()
                .map(|a| ResponsibilityArea {
                    area: a.area.clone(),
                    items: a.items.clone(),
                })
                .collect(),
            decisions: Decisions {
                decides: role.decisions.decides.clone(),
                recommends: role.decisions.recommends.clone(),
                consulted: role.decisions.consulted.clone(),
            },
            skills: role
                .skills
                .iter()
                .map(|req| {
                    let skill = catalog.skill(&req.skill);
                    RoleSkill {
                        skill: req.skill.to_string(),
                        name: skill.map_or_else(|| req.skill.to_string(), |s| s.name.clone()),
                        category: skill.map_or("", |s| s.category.label()).to_string(),
                        level: *req.level,
                        level_name: catalog
                            .proficiency_level(*req.level)
                            .map_or_else(String::new, |p| p.name.clone()),
                        importance: req.importance.into(),
                    }
                })
                .collect(),
            kpis: role
                .kpis
                .iter()
                .map(|own| {
                    let kpi = catalog.kpi(&own.kpi);
                    RoleKpi {
                        kpi: own.kpi.to_string(),
                        name: kpi.map_or_else(|| own.kpi.to_string(), |k| k.name.clone()),
                        target: own.target.clone(),
                        why: own.why.clone(),
                        unit: kpi.map_or_else(String::new, |k| k.unit.clone()),
                        direction: kpi.map_or("", |k| k.direction.label()).to_string(),
                    }
                })
                .collect(),
            career: CareerMoves {
                feeders: links(&role.career.feeders),
                next: links(&role.career.next),
                lateral: links(&role.career.lateral),
            },
            qualifications: Qualifications {
                experience: role.qualifications.experience.clone(),
                certifications: role.qualifications.certifications.clone(),
                education: role.qualifications.education.clone(),
            },
            success: Success {
                days_90: role.success.days_90.clone(),
                months_12: role.success.months_12.clone(),
            },
            hiring_signals: role.hiring_signals.clone(),
            failure_modes: role.failure_modes.clone(),
            crosswalk: Crosswalk {
                onet_soc: role.crosswalk.onet_soc.as_ref().map(|c| c.to_string()),
                onet_title: role.crosswalk.onet_title.clone(),
                esco_occupation: role.crosswalk.esco_occupation.clone(),
                esco_title: role.crosswalk.esco_title.clone(),
            },
            provenance: Provenance {
                last_reviewed: role.provenance.last_reviewed.to_string(),
                sources: role.provenance.sources.clone(),
            },
        }
    }
}

// -------------------------------------------------------------- skills, KPIs

#[derive(Debug, Serialize, ToSchema)]
pub struct SkillSummary {
    pub id: String,
    pub name: String,
    /// `leadership`, `business`, `technical` or `domain`.
    pub category: String,
    pub description: String,
    /// How many roles require it.
    pub roles: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkillList {
    pub total: usize,
    pub skills: Vec<SkillSummary>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkillLevel {
    pub level: u8,
    /// The proficiency scale's name for the level.
    pub name: String,
    /// What the level means for this skill.
    pub descriptor: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkillHolder {
    pub role: String,
    pub title: String,
    pub level: u8,
    pub importance: ImportanceDto,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Skill {
    pub id: String,
    pub name: String,
    pub category: String,
    pub description: String,
    pub sfia_code: Option<String>,
    pub esco_uri: Option<String>,
    pub levels: Vec<SkillLevel>,
    /// Roles that require the skill, highest level first.
    pub roles: Vec<SkillHolder>,
}

impl Skill {
    pub fn of(catalog: &Catalog, skill: &model::Skill) -> Self {
        Skill {
            id: skill.id.to_string(),
            name: skill.name.clone(),
            category: skill.category.label().to_string(),
            description: skill.description.clone(),
            sfia_code: skill.sfia_code.clone(),
            esco_uri: skill.esco_uri.clone(),
            levels: catalog
                .proficiency()
                .iter()
                .map(|p| SkillLevel {
                    level: *p.level,
                    name: p.name.clone(),
                    descriptor: skill
                        .level_descriptor(*p.level)
                        .unwrap_or(&p.descriptor)
                        .to_string(),
                })
                .collect(),
            roles: catalog
                .roles_requiring_skill(&skill.id)
                .into_iter()
                .map(|(role, level)| SkillHolder {
                    role: role.id.to_string(),
                    title: role.title.to_string(),
                    level,
                    importance: role
                        .skills
                        .iter()
                        .find(|s| s.skill.as_str() == skill.id.as_str())
                        .map_or(ImportanceDto::Supporting, |s| s.importance.into()),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KpiSummary {
    pub id: String,
    pub name: String,
    pub category: String,
    pub unit: String,
    pub direction: String,
    /// How many roles own it.
    pub owners: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KpiList {
    pub total: usize,
    pub kpis: Vec<KpiSummary>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BenchmarkDto {
    pub value: String,
    pub meaning: String,
    pub source: String,
    pub year: u16,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KpiOwner {
    pub role: String,
    pub title: String,
    pub target: String,
    pub why: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Kpi {
    pub id: String,
    pub name: String,
    pub category: String,
    pub definition: String,
    pub formula: String,
    pub unit: String,
    pub direction: String,
    pub cadence: String,
    pub data_sources: Vec<String>,
    pub pitfalls: Vec<String>,
    pub benchmarks: Vec<BenchmarkDto>,
    pub owners: Vec<KpiOwner>,
}

impl Kpi {
    pub fn of(catalog: &Catalog, kpi: &model::Kpi) -> Self {
        Kpi {
            id: kpi.id.to_string(),
            name: kpi.name.clone(),
            category: kpi.category.clone(),
            definition: kpi.definition.clone(),
            formula: kpi.formula.clone(),
            unit: kpi.unit.clone(),
            direction: kpi.direction.label().to_string(),
            cadence: kpi.cadence.clone(),
            data_sources: kpi.data_sources.clone(),
            pitfalls: kpi.pitfalls.clone(),
            benchmarks: kpi
                .benchmarks
                .iter()
                .map(|b| BenchmarkDto {
                    value: b.value.clone(),
                    meaning: b.meaning.clone(),
                    source: b.source.clone(),
                    year: b.year,
                })
                .collect(),
            owners: catalog
                .roles()
                .iter()
                .filter_map(|role| {
                    role.kpis
                        .iter()
                        .find(|own| own.kpi.as_str() == kpi.id.as_str())
                        .map(|own| KpiOwner {
                            role: role.id.to_string(),
                            title: role.title.to_string(),
                            target: own.target.clone(),
                            why: own.why.clone(),
                        })
                })
                .collect(),
        }
    }
}

// ------------------------------------------------------------ compare, career

/// A skill's shortfall in a move.
#[derive(Debug, Serialize, ToSchema)]
pub struct GapLine {
    pub skill: String,
    pub name: String,
    pub importance: ImportanceDto,
    /// The level held before the move (0: not required).
    pub current: u8,
    pub required: u8,
    /// `weight × max(0, required − current)`.
    pub weighted_shortfall: u32,
}

/// The skill gap of a move.
#[derive(Debug, Serialize, ToSchema)]
pub struct GapDto {
    pub total: u32,
    pub formula: String,
    /// Skills with a shortfall, biggest first.
    pub skills: Vec<GapLine>,
}

impl From<&Gap> for GapDto {
    fn from(gap: &Gap) -> Self {
        GapDto {
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
pub struct SkillEntryDto {
    pub skill: String,
    pub name: String,
    pub level: u8,
    pub importance: ImportanceDto,
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
pub struct KpiEntryDto {
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
pub struct RoleDiffDto {
    pub from: String,
    pub to: String,
    pub level: LevelDelta,
    pub same_family: bool,
    pub skills_gained: Vec<SkillEntryDto>,
    pub skills_lost: Vec<SkillEntryDto>,
    pub skills_changed: Vec<SkillDelta>,
    pub skills_unchanged: usize,
    pub kpis_gained: Vec<KpiEntryDto>,
    pub kpis_lost: Vec<KpiEntryDto>,
    pub kpi_targets_changed: Vec<KpiTargetDelta>,
    pub scope: Vec<FieldDelta>,
    pub decisions: DecisionsDelta,
    /// The skill gap of moving from `from` to `to`.
    pub gap: GapDto,
}

impl From<&RoleDiff> for RoleDiffDto {
    fn from(d: &RoleDiff) -> Self {
        let entry = |s: &rolebook_career::diff::SkillEntry| SkillEntryDto {
            skill: s.skill.clone(),
            name: s.name.clone(),
            level: s.level,
            importance: s.importance.into(),
        };
        let kpi = |k: &rolebook_career::diff::KpiEntry| KpiEntryDto {
            kpi: k.kpi.clone(),
            name: k.name.clone(),
            target: k.target.clone(),
        };
        RoleDiffDto {
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
    pub diffs: Vec<RoleDiffDto>,
    pub kpis_owned_by_one: Vec<SoleOwner>,
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
pub struct EvidenceDto {
    /// The file that declares the move.
    pub file: String,
    pub field: String,
    pub note: Option<String>,
}

/// One move in the career graph.
#[derive(Debug, Serialize, ToSchema)]
pub struct MoveDto {
    pub from: String,
    pub from_title: String,
    pub to: String,
    pub to_title: String,
    pub kind: MoveKind,
    pub gap: GapDto,
    pub evidence: Vec<EvidenceDto>,
}

impl From<&Move> for MoveDto {
    fn from(m: &Move) -> Self {
        MoveDto {
            from: m.from.id.clone(),
            from_title: m.from.title.clone(),
            to: m.to.id.clone(),
            to_title: m.to.title.clone(),
            kind: m.kind.into(),
            gap: (&m.gap).into(),
            evidence: m
                .evidence
                .iter()
                .map(|e| EvidenceDto {
                    file: e.file.clone(),
                    field: e.field.to_string(),
                    note: e.note.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutsideMoveDto {
    pub kind: MoveKind,
    pub title: String,
    pub note: Option<String>,
}

/// The career graph around one role.
#[derive(Debug, Serialize, ToSchema)]
pub struct CareerView {
    pub role: RoleSummary,
    /// Moves from the role, smallest gap first.
    pub moves: Vec<MoveDto>,
    /// Moves into the role.
    pub incoming: Vec<MoveDto>,
    /// Moves to titles outside the catalog.
    pub outside: Vec<OutsideMoveDto>,
}

impl CareerView {
    pub fn of(role: RoleSummary, next: &NextReport, incoming: &[Move]) -> Self {
        CareerView {
            role,
            moves: next.moves.iter().map(MoveDto::from).collect(),
            incoming: incoming.iter().map(MoveDto::from).collect(),
            outside: next
                .outside
                .iter()
                .map(|o| OutsideMoveDto {
                    kind: o.kind.into(),
                    title: o.title.clone(),
                    note: o.note.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PathDto {
    pub total_gap: u32,
    pub steps: Vec<MoveDto>,
}

/// The paths from one role to another with the smallest total gap.
#[derive(Debug, Serialize, ToSchema)]
pub struct Paths {
    pub from: String,
    pub to: String,
    pub k: usize,
    pub formula: String,
    /// Smallest total gap first; empty when there is no path.
    pub paths: Vec<PathDto>,
}

impl From<&PathReport> for Paths {
    fn from(r: &PathReport) -> Self {
        Paths {
            from: r.from.id.clone(),
            to: r.to.id.clone(),
            k: r.k,
            formula: r.path_formula.to_string(),
            paths: r
                .paths
                .iter()
                .map(|p| PathDto {
                    total_gap: p.total_gap,
                    steps: p.steps.iter().map(MoveDto::from).collect(),
                })
                .collect(),
        }
    }
}

// --------------------------------------------------------- search, health

/// `role`, `skill` or `kpi`.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum HitKindDto {
    Role,
    Skill,
    Kpi,
}

impl From<rolebook_search::Kind> for HitKindDto {
    fn from(kind: rolebook_search::Kind) -> Self {
        match kind {
            rolebook_search::Kind::Role => HitKindDto::Role,
            rolebook_search::Kind::Skill => HitKindDto::Skill,
            rolebook_search::Kind::Kpi => HitKindDto::Kpi,
        }
    }
}

fn ranges(ranges: &[std::ops::Range<usize>]) -> Vec<[usize; 2]> {
    ranges.iter().map(|r| [r.start, r.end]).collect()
}

/// The passage of a document that holds the most query words.
#[derive(Debug, Serialize, ToSchema)]
pub struct SnippetDto {
    /// Which part of the document: `summary`, `responsibilities`,
    /// `definition`, `levels`…
    #[schema(example = "summary")]
    pub field: String,
    /// The passage, cut at about 200 bytes with `…` where it was cut.
    pub text: String,
    /// Matches in `text` as `[start, end)` UTF-8 byte offsets, in order.
    #[schema(example = json!([[4, 12]]))]
    pub highlights: Vec<[usize; 2]>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHit {
    pub kind: HitKindDto,
    pub id: String,
    pub title: String,
    /// Matches in `title` as `[start, end)` UTF-8 byte offsets.
    pub title_highlights: Vec<[usize; 2]>,
    /// Family and level of a role, category of a skill or KPI.
    #[schema(example = "Reliability · Manager")]
    pub context: String,
    /// BM25 relevance; only comparable within one result set.
    pub score: f32,
    /// The best passage, when a query word is in the document's text.
    pub snippet: Option<SnippetDto>,
    /// The page for people.
    pub href: String,
}

impl SearchHit {
    pub fn of(hit: &rolebook_search::SearchHit, href: String) -> Self {
        SearchHit {
            kind: hit.kind.into(),
            id: hit.id.clone(),
            title: hit.title.clone(),
            title_highlights: ranges(&hit.title_highlights),
            context: hit.context.clone(),
            score: hit.score,
            snippet: hit.snippet.as_ref().map(|s| SnippetDto {
                field: s.field.clone(),
                text: s.text.clone(),
                highlights: ranges(&s.highlights),
            }),
            href,
        }
    }
}

/// A query word the engine also read as other words: a typo corrected
/// against the catalog's vocabulary.
#[derive(Debug, Serialize, ToSchema)]
pub struct CorrectionDto {
    #[schema(example = "reliabilty")]
    pub word: String,
    #[schema(example = json!(["reliability"]))]
    pub read_as: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResults {
    pub query: String,
    /// How many documents matched in all; `hits` holds at most `limit`.
    pub total: usize,
    /// True when no document matched every word, so these match some.
    pub partial: bool,
    pub corrections: Vec<CorrectionDto>,
    pub hits: Vec<SearchHit>,
}

/// How a title was resolved.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum MatchStatusDto {
    /// The title is a catalog title, alias or id, up to case and
    /// punctuation.
    Exact,
    /// A confident match on topic and level.
    Match,
    /// The right family and topic at a different level: the nearest role.
    Nearby,
    /// Two or more roles fit equally well; none is picked.
    Ambiguous,
    /// No role is more likely right than wrong.
    None,
}

impl From<rolebook_search::MatchStatus> for MatchStatusDto {
    fn from(status: rolebook_search::MatchStatus) -> Self {
        use rolebook_search::MatchStatus as S;
        match status {
            S::Exact => MatchStatusDto::Exact,
            S::Match => MatchStatusDto::Match,
            S::Nearby => MatchStatusDto::Nearby,
            S::Ambiguous => MatchStatusDto::Ambiguous,
            S::None => MatchStatusDto::None,
        }
    }
}

/// A catalog role considered for a title.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateDto {
    #[schema(example = "sre-manager")]
    pub role: String,
    pub title: String,
    /// Family id.
    pub family: String,
    /// Level name.
    pub level: String,
    /// Calibrated: how often a title with this score has this role as its
    /// right answer, 0 to 1.
    pub confidence: f32,
    /// The raw match score, 0 to 1.
    pub score: f32,
    /// The catalog title or alias the title matched best.
    pub matched_name: String,
    pub href: String,
}

impl CandidateDto {
    pub fn of(candidate: &rolebook_search::Candidate) -> Self {
        CandidateDto {
            role: candidate.role_id.clone(),
            title: candidate.title.clone(),
            family: candidate.family.clone(),
            level: candidate.level.clone(),
            confidence: candidate.confidence,
            score: candidate.score,
            matched_name: candidate.matched_name.clone(),
            href: format!("/roles/{}", candidate.role_id),
        }
    }
}

/// What the resolver saw in a title.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExplanationDto {
    /// All of the below in one line.
    pub summary: String,
    /// The title's core after normalisation.
    #[schema(example = "site reliability manager")]
    pub normalised: String,
    /// Words shared with the matched name.
    pub matched: Vec<String>,
    /// Core words the matched name lacks.
    pub unmatched: Vec<String>,
    /// Words of the matched name the title lacks.
    pub missing: Vec<String>,
    /// Qualifiers set aside: team, product, region, employer.
    pub ignored: Vec<String>,
    /// The job family the title's words point to.
    pub family: Option<String>,
    /// The level words found, with their place on the common scale.
    pub level: Option<String>,
    /// Readings, corrections and level differences.
    pub notes: Vec<String>,
}

/// A job title resolved to the catalog role it names.
#[derive(Debug, Serialize, ToSchema)]
pub struct Resolution {
    pub title: String,
    pub status: MatchStatusDto,
    /// The answer: set for `exact`, `match` and `nearby`; never for
    /// `ambiguous` or `none`.
    pub role: Option<CandidateDto>,
    /// The answer's confidence; for `ambiguous` and `none`, the best
    /// candidate's.
    pub confidence: f32,
    pub ambiguous: bool,
    /// Best first. For `ambiguous`, every tied role; otherwise up to three.
    pub candidates: Vec<CandidateDto>,
    /// The best other role, when there is an answer.
    pub runner_up: Option<CandidateDto>,
    pub explanation: ExplanationDto,
}

impl From<&rolebook_search::Resolution> for Resolution {
    fn from(r: &rolebook_search::Resolution) -> Self {
        let e = &r.explanation;
        Resolution {
            title: r.title.clone(),
            status: r.status.into(),
            role: r.role.as_ref().map(CandidateDto::of),
            confidence: r.confidence,
            ambiguous: r.ambiguous,
            candidates: r.candidates.iter().map(CandidateDto::of).collect(),
            runner_up: r.runner_up.as_ref().map(CandidateDto::of),
            explanation: ExplanationDto {
                summary: e.summary(),
                normalised: e.normalised.clone(),
                matched: e.matched.clone(),
                unmatched: e.unmatched.clone(),
                missing: e.missing.clone(),
                ignored: e.ignored.clone(),
                family: e.family.clone(),
                level: e.level.clone(),
                notes: e.notes.clone(),
            },
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionDto {
    pub id: String,
    pub title: String,
    pub href: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    pub status: u16,
    /// What was wrong with the request, for people.
    pub message: String,
    /// Close matches when something was not found.
    pub suggestions: Vec<SuggestionDto>,
}

/// Every 4xx and 5xx answer of the API.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CatalogHealth {
    pub source: String,
    /// Increases on every reload.
    pub generation: u64,
    pub roles: usize,
    pub skills: usize,
    pub kpis: usize,
    /// Set while the catalog files have errors and the last valid catalog
    /// is served.
    pub problem: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`, or `degraded` while serving an older catalog.
    pub status: String,
    pub catalog: CatalogHealth,
}
