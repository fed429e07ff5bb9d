//! A role as JSON for integrators: the blueprint with every reference
//! resolved (skill names, level names and descriptors, KPI definitions,
//! career titles), so that one file is enough to use the role elsewhere.
//!
//! This is a wire format of its own ([`RoleExport`]), versioned by
//! [`FORMAT`], and kept apart from the catalog model so either can change.

use rolebook_core::Catalog;
use rolebook_core::model::{Benchmark, Role, RoleRef};
use serde::Serialize;

use crate::document::importance_label;

/// Identifies this JSON shape; bumped when a field changes meaning.
pub const FORMAT: &str = "rolebook-role/1";

#[derive(Debug, Serialize)]
pub struct RoleExport<'a> {
    pub format: &'static str,
    pub id: &'a str,
    pub title: &'a str,
    pub aliases: Vec<&'a str>,
    pub family: Named<'a>,
    pub level: LevelExport<'a>,
    pub summary: &'a str,
    pub purpose: &'a str,
    pub scope: ScopeExport<'a>,
    pub responsibilities: Vec<AreaExport<'a>>,
    pub decisions: &'a rolebook_core::model::Decisions,
    pub skills: Vec<SkillExport<'a>>,
    pub kpis: Vec<KpiExport<'a>>,
    pub career: CareerExport<'a>,
    pub qualifications: &'a rolebook_core::model::Qualifications,
    pub success: &'a rolebook_core::model::Success,
    pub hiring_signals: &'a [String],
    pub failure_modes: &'a [String],
    pub crosswalk: &'a rolebook_core::model::Crosswalk,
    pub last_reviewed: String,
    pub sources: &'a [String],
}

#[derive(Debug, Serialize)]
pub struct Named<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

#[derive(Debug, Serialize)]
pub struct LevelExport<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub rank: u8,
    pub track: &'static str,
    pub sfia_level: u8,
}

#[derive(Debug, Serialize)]
pub struct ScopeExport<'a> {
    pub reports_to: Vec<RoleLink<'a>>,
    pub direct_reports: &'a str,
    pub span: &'a str,
    pub org_size: &'a str,
    pub budget: &'a str,
    pub time_horizon: &'a str,
    pub context: &'a str,
    pub in_scope: &'a [String],
    pub out_of_scope: &'a [String],
}

#[derive(Debug, Serialize)]
pub struct AreaExport<'a> {
    pub area: &'a str,
    pub items: &'a [String],
}

#[derive(Debug, Serialize)]
pub struct SkillExport<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub category: &'static str,
    pub level: u8,
    pub level_name: &'a str,
    pub importance: &'static str,
    /// What the required level of this skill looks like.
    pub descriptor: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sfia_code: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct KpiExport<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub target: &'a str,
    pub why: &'a str,
    pub definition: &'a str,
    pub formula: &'a str,
    pub unit: &'a str,
    pub direction: &'static str,
    pub cadence: &'a str,
    pub benchmarks: &'a [Benchmark],
}

#[derive(Debug, Serialize)]
pub struct CareerExport<'a> {
    pub feeders: Vec<RoleLink<'a>>,
    pub next: Vec<RoleLink<'a>>,
    pub lateral: Vec<RoleLink<'a>>,
}

/// A role in the catalog (with `id`) or a title outside it (no `id`).
#[derive(Debug, Serialize)]
pub struct RoleLink<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    pub title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'a str>,
}

fn link<'a>(catalog: &'a Catalog, reference: &'a RoleRef) -> RoleLink<'a> {
    let role = reference.role_id().and_then(|id| catalog.role(id));
    RoleLink {
        id: role.map(|r| r.id.as_str()),
        title: role.map_or_else(|| reference.label(), |r| r.title.as_str()),
        note: reference.note.as_deref(),
    }
}

fn links<'a>(catalog: &'a Catalog, references: &'a [RoleRef]) -> Vec<RoleLink<'a>> {
    references.iter().map(|r| link(catalog, r)).collect()
}

/// The resolved form of `role`.
pub fn role_export<'a>(catalog: &'a Catalog, role: &'a Role) -> RoleExport<'a> {
    let family = catalog.family(&role.family);
    let level = catalog.level(&role.level);
    RoleExport {
        format: FORMAT,
        id: &role.id,
        title: &role.title,
        aliases: role.aliases.iter().map(|a| a.as_str()).collect(),
        family: Named {
            id: &role.family,
            name: family.map_or(role.family.as_str(), |f| f.name.as_str()),
        },
        level: LevelExport {
            id: &role.level,
            name: level.map_or(role.level.as_str(), |l| l.name.as_str()),
            rank: level.map_or(0, |l| l.rank),
            track: level.map_or("", |l| l.track.label()),
            sfia_level: level.map_or(0, |l| *l.sfia_level),
        },
        summary: &role.summary,
        purpose: &role.purpose,
        scope: ScopeExport {
            reports_to: links(catalog, &role.scope.reports_to),
            direct_reports: &role.scope.direct_reports,
            span: &role.scope.span,
            org_size: &role.scope.org_size,
            budget: &role.scope.budget,
            time_horizon: &role.scope.time_horizon,
            context: &role.scope.context,
            in_scope: &role.scope.in_scope,
            out_of_scope: &role.scope.out_of_scope,
        },
        responsibilities: role
            .responsibilities
            .iter()
            .map(|a| AreaExport {
                area: &a.area,
                items: &a.items,
            })
            .collect(),
        decisions: &role.decisions,
        skills: role
            .skills
            .iter()
            .filter_map(|req| {
                let skill = catalog.skill(&req.skill)?;
                Some(SkillExport {
                    id: &skill.id,
                    name: &skill.name,
                    category: skill.category.label(),
                    level: *req.level,
                    level_name: catalog
                        .proficiency_level(*req.level)
                        .map_or("", |p| p.name.as_str()),
                    importance: importance_label(req.importance),
                    descriptor: skill.level_descriptor(*req.level).unwrap_or(""),
                    sfia_code: skill.sfia_code.as_deref(),
                })
            })
            .collect(),
        kpis: role
            .kpis
            .iter()
            .filter_map(|own| {
                let kpi = catalog.kpi(&own.kpi)?;
                Some(KpiExport {
                    id: &kpi.id,
                    name: &kpi.name,
                    target: &own.target,
                    why: &own.why,
                    definition: &kpi.definition,
                    formula: &kpi.formula,
                    unit: &kpi.unit,
                    direction: kpi.direction.label(),
                    cadence: &kpi.cadence,
                    benchmarks: &kpi.benchmarks,
                })
            })
            .collect(),
        career: CareerExport {
            feeders: links(catalog, &role.career.feeders),
            next: links(catalog, &role.career.next),
            lateral: links(catalog, &role.career.lateral),
        },
        qualifications: &role.qualifications,
        success: &role.success,
        hiring_signals: &role.hiring_signals,
        failure_modes: &role.failure_modes,
        crosswalk: &role.crosswalk,
        last_reviewed: role.provenance.last_reviewed.to_string(),
        sources: &role.provenance.sources,
    }
}
