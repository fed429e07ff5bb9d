//! Roles and the framework they sit in: levels, job families and the
//! proficiency scale.

use rolebook_core::Catalog;
use rolebook_core::model::{self, RoleRef};
use serde::Serialize;
use utoipa::ToSchema;

use crate::kpi::Benchmark;

/// Identifies the shape of [`Role`]; bumped when a field changes meaning.
pub const ROLE_FORMAT: &str = "rolebook-role/2";

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
pub struct Level {
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

impl Level {
    pub fn of(level: &model::Level) -> Self {
        Level {
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
pub struct Family {
    pub id: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Proficiency {
    pub level: u8,
    pub name: String,
    pub descriptor: String,
}

/// Levels, job families and the proficiency scale.
#[derive(Debug, Serialize, ToSchema)]
pub struct Framework {
    pub levels: Vec<Level>,
    pub families: Vec<Family>,
    pub proficiency: Vec<Proficiency>,
}

impl Framework {
    pub fn of(catalog: &Catalog) -> Self {
        Framework {
            levels: catalog.levels().iter().map(Level::of).collect(),
            families: catalog
                .families()
                .iter()
                .map(|f| Family {
                    id: f.id.to_string(),
                    name: f.name.clone(),
                    description: f.description.clone(),
                })
                .collect(),
            proficiency: catalog
                .proficiency()
                .iter()
                .map(|p| Proficiency {
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
pub enum Importance {
    Core,
    Supporting,
}

impl From<model::Importance> for Importance {
    fn from(value: model::Importance) -> Self {
        match value {
            model::Importance::Core => Importance::Core,
            model::Importance::Supporting => Importance::Supporting,
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
    pub importance: Importance,
    /// What the required level looks like for this skill.
    pub descriptor: String,
    /// The SFIA skill code, when the skill has one.
    pub sfia_code: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleKpi {
    pub kpi: String,
    pub name: String,
    /// This role's target for the KPI.
    pub target: String,
    /// Why this role owns it.
    pub why: String,
    /// `accountable` (the number is this role's to deliver at its scope)
    /// or `contributes` (another role answers for it; this one adds to it).
    pub accountability: String,
    pub definition: String,
    pub formula: String,
    pub unit: String,
    /// `higher-is-better`, `lower-is-better` or `target-range`.
    pub direction: String,
    pub cadence: String,
    pub benchmarks: Vec<Benchmark>,
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
    /// The shape of this document: `rolebook-role/2`.
    #[schema(example = "rolebook-role/2")]
    pub format: String,
    pub id: String,
    pub title: String,
    pub aliases: Vec<String>,
    pub family: Family,
    pub level: Level,
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
            format: ROLE_FORMAT.to_string(),
            id: role.id.to_string(),
            title: role.title.to_string(),
            aliases: role.aliases.iter().map(|a| a.to_string()).collect(),
            family: Family {
                id: role.family.to_string(),
                name: family.map_or_else(|| role.family.to_string(), |f| f.name.clone()),
                description: family.map_or_else(String::new, |f| f.description.clone()),
            },
            level: level.map_or_else(
                || Level {
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
                Level::of,
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
                        descriptor: skill
                            .and_then(|s| s.level_descriptor(*req.level))
                            .unwrap_or("")
                            .to_string(),
                        sfia_code: skill.and_then(|s| s.sfia_code.clone()),
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
                        accountability: own.accountability.label().to_string(),
                        definition: kpi.map_or_else(String::new, |k| k.definition.clone()),
                        formula: kpi.map_or_else(String::new, |k| k.formula.clone()),
                        unit: kpi.map_or_else(String::new, |k| k.unit.clone()),
                        direction: kpi.map_or("", |k| k.direction.label()).to_string(),
                        cadence: kpi.map_or_else(String::new, |k| k.cadence.clone()),
                        benchmarks: kpi.map_or_else(Vec::new, |k| {
                            k.benchmarks.iter().map(Benchmark::from).collect()
                        }),
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
