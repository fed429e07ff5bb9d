//! The HTML pages: one handler per page, each filling an askama template
//! (compile-time checked, HTML-escaped) from the request's snapshot.
//!
//! Pages that depend only on the URL are cached per snapshot (see
//! [`crate::cache`]); errors render the 404/400 page with suggestions.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use rolebook_career::RoleDiff;
use rolebook_core::Catalog;
use rolebook_core::model::{Importance, Role, RoleRef, Track};

use crate::analysis::{self, MAX_COMPARE, MAX_DEPTH};
use crate::assets::{AssetUrls, URLS};
use crate::cache::{self, Cached};
use crate::error::{AppError, Suggestion};
use crate::site::{self, Links};
use crate::state::{AppState, Snapshot, plural};

/// What every page shows around its content.
#[derive(Debug)]
pub struct Layout {
    pub title: String,
    pub description: String,
    /// Which main navigation entry is current.
    pub nav: &'static str,
    pub problem: Option<String>,
    pub source: String,
    pub assets: &'static AssetUrls,
    /// The search box's current text.
    pub query: String,
    /// How links are written: site paths for the server, relative file
    /// names for the static site (see [`crate::site`]).
    pub links: Links,
}

impl Layout {
    pub(crate) fn new(
        snap: &Snapshot,
        title: impl Into<String>,
        description: impl Into<String>,
        nav: &'static str,
    ) -> Self {
        Layout {
            title: title.into(),
            description: description.into(),
            nav,
            problem: snap.problem.as_ref().map(|p| p.summary.clone()),
            source: snap.source_label.clone(),
            assets: &URLS,
            query: String::new(),
            links: Links::Server,
        }
    }

    /// The same layout with links written for `links`.
    pub(crate) fn with_links(self, links: Links) -> Self {
        Layout { links, ..self }
    }
}

pub(crate) fn render(template: &impl Template) -> Result<Cached, AppError> {
    template
        .render()
        .map(|html| Cached::new(html, cache::HTML))
        .map_err(|e| AppError::Internal(format!("template: {e}")))
}

/// Serves a cacheable page: from the snapshot's cache, or rendered now.
fn cached_page(
    snap: &Arc<Snapshot>,
    headers: &HeaderMap,
    key: &str,
    build: impl FnOnce(&Snapshot) -> Result<Cached, AppError>,
) -> Response {
    match snap.cache.get_or_render(key, || build(snap)) {
        Ok(page) => page.respond(headers),
        Err(error) => error_page(snap, error),
    }
}

/// Serves a page that is not cached (it depends on free text).
pub(crate) fn fresh_page(
    snap: &Arc<Snapshot>,
    headers: &HeaderMap,
    result: Result<Cached, AppError>,
) -> Response {
    match result {
        Ok(page) => page.respond(headers),
        Err(error) => error_page(snap, error),
    }
}

// --------------------------------------------------------------- macros data

/// A level on the proficiency scale, drawn as five pips.
#[derive(Debug, Clone)]
pub struct Meter {
    pub level: u8,
    pub name: String,
    pub max: u8,
}

impl Meter {
    fn new(catalog: &Catalog, level: u8) -> Self {
        Meter {
            level,
            name: catalog
                .proficiency_level(level)
                .map_or_else(String::new, |p| p.name.clone()),
            max: catalog
                .proficiency()
                .iter()
                .map(|p| *p.level)
                .max()
                .unwrap_or(5),
        }
    }

    /// One entry per pip: filled or not.
    pub fn pips(&self) -> Vec<bool> {
        (1..=self.max).map(|i| i <= self.level).collect()
    }
}

/// A link to a role (or plain text for a title outside the catalog).
#[derive(Debug, Clone)]
pub struct RoleLink {
    pub href: Option<String>,
    pub title: String,
    pub note: String,
}

impl RoleLink {
    fn of(catalog: &Catalog, reference: &RoleRef) -> Self {
        let role = reference.role_id().and_then(|id| catalog.role(id));
        RoleLink {
            href: role.map(|r| format!("/roles/{}", r.id.as_str())),
            title: role.map_or_else(|| reference.label().to_string(), |r| r.title.to_string()),
            note: reference.note.clone().unwrap_or_default(),
        }
    }
}

fn family_index(catalog: &Catalog, family: &str) -> usize {
    catalog
        .families()
        .iter()
        .position(|f| f.id.as_str() == family)
        .unwrap_or(0)
        % 8
}

pub(crate) fn family_name(catalog: &Catalog, family: &str) -> String {
    catalog
        .family(family)
        .map_or_else(|| family.to_string(), |f| f.name.clone())
}

pub(crate) fn level_name(catalog: &Catalog, level: &str) -> String {
    catalog
        .level(level)
        .map_or_else(|| level.to_string(), |l| l.name.clone())
}

fn track_label(track: Track) -> &'static str {
    match track {
        Track::Management => "Management",
        Track::Executive => "Executive",
        Track::IndividualContributor => "Individual contributor",
    }
}

// ---------------------------------------------------------------------- home

#[derive(Debug)]
pub struct RoleChip {
    pub id: String,
    pub title: String,
    pub level_name: String,
}

#[derive(Debug)]
pub struct GridRow {
    pub name: String,
    pub track: &'static str,
    pub rank: u8,
    pub cells: Vec<Vec<RoleChip>>,
}

#[derive(Debug)]
pub struct FamilyColumn {
    pub id: String,
    pub name: String,
    pub index: usize,
    pub roles: Vec<RoleChip>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    families: Vec<FamilyColumn>,
    rows: Vec<GridRow>,
    empty_levels: Vec<String>,
    roles: usize,
    skills: usize,
    kpis: usize,
}

pub(crate) fn home_page(snap: &Snapshot, links: Links) -> Result<Cached, AppError> {
    let catalog = &snap.catalog;
    let chip = |role: &Role| RoleChip {
        id: role.id.to_string(),
        title: role.title.to_string(),
        level_name: level_name(catalog, &role.level),
    };
    let mut levels: Vec<_> = catalog.levels().iter().collect();
    // Most senior first; at one rank, executive before management before
    // individual contributor.
    let track_order = |t: Track| match t {
        Track::Executive => 0,
        Track::Management => 1,
        Track::IndividualContributor => 2,
    };
    levels.sort_by(|a, b| {
        b.rank
            .cmp(&a.rank)
            .then(track_order(a.track).cmp(&track_order(b.track)))
    });
    let mut rows = Vec::new();
    let mut empty_levels = Vec::new();
    for level in levels {
        let cells: Vec<Vec<RoleChip>> = catalog
            .families()
            .iter()
            .map(|family| {
                catalog
                    .roles()
                    .iter()
                    .filter(|r| {
                        r.level.as_str() == level.id.as_str()
                            && r.family.as_str() == family.id.as_str()
                    })
                    .map(chip)
                    .collect()
            })
            .collect();
        if cells.iter().all(Vec::is_empty) {
            empty_levels.push(level.name.clone());
            continue;
        }
        rows.push(GridRow {
            name: level.name.clone(),
            track: track_label(level.track),
            rank: level.rank,
            cells,
        });
    }
    let families = catalog
        .families()
        .iter()
        .enumerate()
        .map(|(index, family)| {
            let mut roles: Vec<&Role> = catalog
                .roles()
                .iter()
                .filter(|r| r.family.as_str() == family.id.as_str())
                .collect();
            roles.sort_by_key(|r| std::cmp::Reverse(catalog.level(&r.level).map_or(0, |l| l.rank)));
            FamilyColumn {
                id: family.id.to_string(),
                name: family.name.clone(),
                index: index % 8,
                roles: roles.into_iter().map(chip).collect(),
            }
        })
        .collect();
    render(&HomePage {
        layout: Layout::new(
            snap,
            "Role blueprints",
            "The job-architecture grid: every technology leadership role by family and level.",
            "roles",
        )
        .with_links(links),
        families,
        rows,
        empty_levels,
        roles: catalog.roles().len(),
        skills: catalog.skills().len(),
        kpis: catalog.kpis().len(),
    })
}

pub async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let snap = state.snapshot();
    cached_page(&snap, &headers, "/", |s| home_page(s, Links::Server))
}

// ---------------------------------------------------------------------- role

#[derive(Debug)]
pub struct SkillRow {
    pub id: String,
    pub name: String,
    pub category: &'static str,
    pub meter: Meter,
    pub core: bool,
    pub descriptor: String,
}

#[derive(Debug)]
pub struct KpiCard {
    pub id: String,
    pub name: String,
    pub target: String,
    pub why: String,
    pub definition: String,
    pub formula: String,
    pub unit: String,
    pub direction: &'static str,
    pub cadence: String,
    pub benchmark: Option<String>,
    pub benchmark_source: String,
}

#[derive(Debug)]
pub struct CareerGroup {
    pub label: &'static str,
    pub kind: &'static str,
    pub links: Vec<RoleLink>,
}

#[derive(Debug)]
pub struct LabelledList {
    pub label: &'static str,
    pub items: Vec<String>,
}

#[derive(Template)]
#[template(path = "role.html")]
struct RolePage<'a> {
    layout: Layout,
    role: &'a Role,
    family_name: String,
    family_index: usize,
    level_name: String,
    track: &'static str,
    aliases: String,
    reports_to: Vec<RoleLink>,
    facts: Vec<(&'static str, String)>,
    decisions: Vec<LabelledList>,
    skills: Vec<SkillRow>,
    kpis: Vec<KpiCard>,
    career: Vec<CareerGroup>,
    success: Vec<LabelledList>,
    toc: Vec<(&'static str, &'static str)>,
    sfia: String,
    core_skills: usize,
    next_moves: usize,
}

pub(crate) fn role_page(snap: &Snapshot, links: Links, id: &str) -> Result<Cached, AppError> {
    let catalog = &snap.catalog;
    let role = catalog.role(id).ok_or_else(|| AppError::NotFound {
        message: format!("there is no role with id `{id}`"),
        suggestions: Suggestion::roles(catalog, id),
    })?;
    let level = catalog.level(&role.level);
    let mut skills: Vec<SkillRow> = role
        .skills
        .iter()
        .map(|req| {
            let skill = catalog.skill(&req.skill);
            SkillRow {
                id: req.skill.to_string(),
                name: skill.map_or_else(|| req.skill.to_string(), |s| s.name.clone()),
                category: skill.map_or("", |s| s.category.label()),
                meter: Meter::new(catalog, *req.level),
                core: req.importance == Importance::Core,
                descriptor: skill
                    .and_then(|s| s.level_descriptor(*req.level))
                    .unwrap_or("")
                    .to_string(),
            }
        })
        .collect();
    skills.sort_by(|a, b| {
        b.core
            .cmp(&a.core)
            .then(b.meter.level.cmp(&a.meter.level))
            .then(a.name.cmp(&b.name))
    });
    let kpis = role
        .kpis
        .iter()
        .filter_map(|own| {
            let kpi = catalog.kpi(&own.kpi)?;
            let benchmark = kpi.benchmarks.first();
            Some(KpiCard {
                id: kpi.id.to_string(),
                name: kpi.name.clone(),
                target: own.target.clone(),
                why: own.why.clone(),
                definition: kpi.definition.clone(),
                formula: kpi.formula.clone(),
                unit: kpi.unit.clone(),
                direction: kpi.direction.label(),
                cadence: kpi.cadence.clone(),
                benchmark: benchmark.map(|b| format!("{}: {}", b.value, b.meaning)),
                benchmark_source: benchmark
                    .map_or_else(String::new, |b| format!("{}, {}", b.source, b.year)),
            })
        })
        .collect();
    let role_links = |refs: &[RoleRef]| {
        refs.iter()
            .map(|r| RoleLink::of(catalog, r))
            .collect::<Vec<_>>()
    };
    let career = vec![
        CareerGroup {
            label: "Comes from",
            kind: "feeder",
            links: role_links(&role.career.feeders),
        },
        CareerGroup {
            label: "Leads to",
            kind: "next",
            links: role_links(&role.career.next),
        },
        CareerGroup {
            label: "Lateral moves",
            kind: "lateral",
            links: role_links(&role.career.lateral),
        },
    ];
    let scope = &role.scope;
    let facts = [
        ("Direct reports", &scope.direct_reports),
        ("Span", &scope.span),
        ("Organisation size", &scope.org_size),
        ("Budget", &scope.budget),
        ("Time horizon", &scope.time_horizon),
    ]
    .into_iter()
    .filter(|(_, v)| !v.trim().is_empty())
    .map(|(k, v)| (k, v.clone()))
    .collect();
    let decisions = [
        ("Decides", &role.decisions.decides),
        ("Recommends", &role.decisions.recommends),
        ("Is consulted on", &role.decisions.consulted),
    ]
    .into_iter()
    .map(|(label, items)| LabelledList {
        label,
        items: items.clone(),
    })
    .collect();
    let success = [
        ("After 90 days", &role.success.days_90),
        ("After 12 months", &role.success.months_12),
    ]
    .into_iter()
    .filter(|(_, items)| !items.is_empty())
    .map(|(label, items)| LabelledList {
        label,
        items: items.clone(),
    })
    .collect();
    let mut toc = vec![
        ("summary", "Summary"),
        ("scope", "Scope"),
        ("responsibilities", "Responsibilities"),
        ("decisions", "Decision rights"),
        ("skills", "Skills"),
        ("kpis", "KPIs"),
        ("career", "Career path"),
        ("qualifications", "Qualifications"),
    ];
    if !role.success.days_90.is_empty() || !role.success.months_12.is_empty() {
        toc.push(("success", "What success looks like"));
    }
    if !role.hiring_signals.is_empty() || !role.failure_modes.is_empty() {
        toc.push(("signals", "Hiring signals & risks"));
    }
    toc.push(("provenance", "Crosswalk & sources"));
    render(&RolePage {
        layout: Layout::new(snap, role.title.as_str(), role.summary.clone(), "roles")
            .with_links(links),
        role,
        family_name: family_name(catalog, &role.family),
        family_index: family_index(catalog, &role.family),
        level_name: level_name(catalog, &role.level),
        track: level.map_or("", |l| track_label(l.track)),
        aliases: role
            .aliases
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        reports_to: role_links(&scope.reports_to),
        facts,
        decisions,
        skills,
        kpis,
        career,
        success,
        toc,
        sfia: level.map_or_else(String::new, |l| l.sfia_level.to_string()),
        core_skills: role
            .skills
            .iter()
            .filter(|s| s.importance == Importance::Core)
            .count(),
        next_moves: role.career.next.len(),
    })
}

pub async fn role(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let snap = state.snapshot();
    // A title or alias in the URL (`/roles/CTO`) goes to the canonical page.
    if snap.catalog.role(&id).is_none()
        && let Some(role) = snap.catalog.find_role(&id)
    {
        return Redirect::permanent(&format!("/roles/{}", role.id.as_str())).into_response();
    }
    cached_page(&snap, &headers, &format!("/roles/{id}"), |s| {
        role_page(s, Links::Server, &id)
    })
}

// -------------------------------------------------------------- skills, KPIs

#[derive(Debug)]
pub struct IndexEntry {
    pub id: String,
    pub name: String,
    pub detail: String,
    pub count: usize,
}

#[derive(Debug)]
pub struct IndexGroup {
    pub name: String,
    pub entries: Vec<IndexEntry>,
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    layout: Layout,
    heading: &'static str,
    intro: String,
    base: &'static str,
    /// Singular and plural of what `count` counts.
    count_label: (&'static str, &'static str),
    groups: Vec<IndexGroup>,
}

pub(crate) fn skills_index_page(snap: &Snapshot, links: Links) -> Result<Cached, AppError> {
    let catalog = &snap.catalog;
    let mut groups: Vec<IndexGroup> = Vec::new();
    let mut skills: Vec<_> = catalog.skills().iter().collect();
    skills.sort_by(|a, b| a.category.cmp(&b.category).then(a.name.cmp(&b.name)));
    for skill in skills {
        let name = capitalise(skill.category.label());
        if groups.last().is_none_or(|g| g.name != name) {
            groups.push(IndexGroup {
                name,
                entries: Vec::new(),
            });
        }
        if let Some(group) = groups.last_mut() {
            group.entries.push(IndexEntry {
                id: skill.id.to_string(),
                name: skill.name.clone(),
                detail: skill.description.clone(),
                count: catalog.roles_requiring_skill(&skill.id).len(),
            });
        }
    }
    render(&IndexPage {
        layout: Layout::new(
            snap,
            "Skills",
            "The shared skill taxonomy and what each proficiency level means.",
            "skills",
        )
        .with_links(links),
        heading: "Skills",
        intro: format!(
            "{} on a five-level proficiency scale, grouped by category. Each skill says what every level looks like and which roles need it.",
            plural(catalog.skills().len(), "skill", "skills")
        ),
        base: "/skills",
        count_label: ("role", "roles"),
        groups,
    })
}

pub(crate) fn kpis_index_page(snap: &Snapshot, links: Links) -> Result<Cached, AppError> {
    let catalog = &snap.catalog;
    let mut groups: Vec<IndexGroup> = Vec::new();
    let mut kpis: Vec<_> = catalog.kpis().iter().collect();
    kpis.sort_by(|a, b| {
        a.category
            .to_lowercase()
            .cmp(&b.category.to_lowercase())
            .then(a.name.cmp(&b.name))
    });
    for kpi in kpis {
        let name = category_label(&kpi.category);
        if groups.last().is_none_or(|g| g.name != name) {
            groups.push(IndexGroup {
                name,
                entries: Vec::new(),
            });
        }
        if let Some(group) = groups.last_mut() {
            group.entries.push(IndexEntry {
                id: kpi.id.to_string(),
                name: kpi.name.clone(),
                detail: kpi.definition.clone(),
                count: catalog.roles_owning_kpi(&kpi.id).len(),
            });
        }
    }
    render(&IndexPage {
        layout: Layout::new(
            snap,
            "KPIs",
            "The shared KPI catalog: definitions, formulas, pitfalls and benchmarks.",
            "kpis",
        )
        .with_links(links),
        heading: "KPIs",
        intro: format!(
            "{} with definitions, formulas, pitfalls and sourced benchmarks. Each shows which roles own it and with which target.",
            plural(catalog.kpis().len(), "KPI", "KPIs")
        ),
        base: "/kpis",
        count_label: ("owner", "owners"),
        groups,
    })
}

/// A category as a heading: "ai risk" → "AI risk", "service-desk" →
/// "Service desk".
pub(crate) fn category_label(text: &str) -> String {
    let words: Vec<String> = text
        .split(['-', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.eq_ignore_ascii_case("ai") {
                "AI".to_string()
            } else {
                w.to_string()
            }
        })
        .collect();
    capitalise(&words.join(" "))
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub async fn skills(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let snap = state.snapshot();
    cached_page(&snap, &headers, "/skills", |s| {
        skills_index_page(s, Links::Server)
    })
}

pub async fn kpis(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let snap = state.snapshot();
    cached_page(&snap, &headers, "/kpis", |s| {
        kpis_index_page(s, Links::Server)
    })
}

#[derive(Debug)]
pub struct ScaleStep {
    pub meter: Meter,
    pub descriptor: String,
    pub roles: Vec<(String, String, bool)>,
}

#[derive(Template)]
#[template(path = "skill.html")]
struct SkillPage<'a> {
    layout: Layout,
    skill: &'a rolebook_core::model::Skill,
    category: String,
    steps: Vec<ScaleStep>,
    role_count: usize,
}

pub(crate) fn skill_page(snap: &Snapshot, links: Links, id: &str) -> Result<Cached, AppError> {
    let catalog = &snap.catalog;
    let skill = catalog.skill(id).ok_or_else(|| AppError::NotFound {
        message: format!("there is no skill with id `{id}`"),
        suggestions: rolebook_core::suggest::did_you_mean(
            id,
            catalog.skills().iter().map(|s| s.id.as_str()),
        )
        .and_then(|s| catalog.skill(s))
        .map(|s| Suggestion {
            id: s.id.to_string(),
            title: s.name.clone(),
            href: format!("/skills/{}", s.id.as_str()),
        })
        .into_iter()
        .collect(),
    })?;
    let holders = catalog.roles_requiring_skill(id);
    let steps = catalog
        .proficiency()
        .iter()
        .rev()
        .map(|p| ScaleStep {
            meter: Meter::new(catalog, *p.level),
            descriptor: skill
                .level_descriptor(*p.level)
                .unwrap_or(&p.descriptor)
                .to_string(),
            roles: holders
                .iter()
                .filter(|(_, level)| *level == *p.level)
                .map(|(role, _)| {
                    let core = role
                        .skills
                        .iter()
                        .any(|s| s.skill.as_str() == id && s.importance == Importance::Core);
                    (role.id.to_string(), role.title.to_string(), core)
                })
                .collect(),
        })
        .collect();
    render(&SkillPage {
        layout: Layout::new(
            snap,
            skill.name.clone(),
            skill.description.clone(),
            "skills",
        )
        .with_links(links),
        skill,
        category: capitalise(skill.category.label()),
        steps,
        role_count: holders.len(),
    })
}

pub async fn skill(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let snap = state.snapshot();
    cached_page(&snap, &headers, &format!("/skills/{id}"), |s| {
        skill_page(s, Links::Server, &id)
    })
}

#[derive(Debug)]
pub struct Owner {
    pub id: String,
    pub title: String,
    pub target: String,
    pub why: String,
}

#[derive(Template)]
#[template(path = "kpi.html")]
struct KpiPage<'a> {
    layout: Layout,
    kpi: &'a rolebook_core::model::Kpi,
    category: String,
    direction: &'static str,
    owners: Vec<Owner>,
}

pub(crate) fn kpi_page(snap: &Snapshot, links: Links, id: &str) -> Result<Cached, AppError> {
    let catalog = &snap.catalog;
    let kpi = catalog.kpi(id).ok_or_else(|| AppError::NotFound {
        message: format!("there is no KPI with id `{id}`"),
        suggestions: rolebook_core::suggest::did_you_mean(
            id,
            catalog.kpis().iter().map(|k| k.id.as_str()),
        )
        .and_then(|k| catalog.kpi(k))
        .map(|k| Suggestion {
            id: k.id.to_string(),
            title: k.name.clone(),
            href: format!("/kpis/{}", k.id.as_str()),
        })
        .into_iter()
        .collect(),
    })?;
    let owners = catalog
        .roles()
        .iter()
        .filter_map(|role| {
            role.kpis
                .iter()
                .find(|own| own.kpi.as_str() == id)
                .map(|own| Owner {
                    id: role.id.to_string(),
                    title: role.title.to_string(),
                    target: own.target.clone(),
                    why: own.why.clone(),
                })
        })
        .collect();
    render(&KpiPage {
        layout: Layout::new(snap, kpi.name.clone(), kpi.definition.clone(), "kpis")
            .with_links(links),
        kpi,
        category: category_label(&kpi.category),
        direction: kpi.direction.label(),
        owners,
    })
}

pub async fn kpi(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let snap = state.snapshot();
    cached_page(&snap, &headers, &format!("/kpis/{id}"), |s| {
        kpi_page(s, Links::Server, &id)
    })
}

// ------------------------------------------------------------------- compare

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
    pub family: String,
    pub level: String,
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

#[derive(Debug)]
pub struct DecisionPanel {
    pub other: String,
    pub lists: Vec<(&'static str, Vec<String>, Vec<String>)>,
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
    pub decisions: Vec<DecisionPanel>,
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
    moves: Vec<site::MoveGroup>,
}

/// Every role for a picker, grouped by family in framework order.
pub(crate) fn role_options(catalog: &Catalog) -> Vec<OptionGroup> {
    catalog
        .families()
        .iter()
        .map(|family| {
            let mut options: Vec<RoleOption> = catalog
                .roles()
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
            family: family_name(catalog, &r.family),
            level: level_name(catalog, &r.level),
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
    let decisions = diffs
        .iter()
        .map(|d| DecisionPanel {
            other: d.to.title.clone(),
            lists: d
                .decisions
                .lists()
                .into_iter()
                .filter(|(_, l)| !l.only_from.is_empty() || !l.only_to.is_empty())
                .map(|(label, l)| (label, l.only_from.clone(), l.only_to.clone()))
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
            site::move_groups(catalog)
        } else {
            Vec::new()
        };
        (Vec::new(), moves)
    } else {
        (role_options(catalog), Vec::new())
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

pub async fn compare(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let snap = state.snapshot();
    let names = crate::query::list(query.as_deref(), "roles");
    let build = |snap: &Snapshot| compare_page(snap, Links::Server, &names);
    // Only canonical comparisons (ids) are cached; anything else renders
    // fresh, which bounds the cache to real role combinations.
    let canonical =
        names.iter().all(|n| snap.catalog.role(n).is_some()) && names.len() <= MAX_COMPARE;
    if canonical {
        cached_page(
            &snap,
            &headers,
            &format!("/compare?{}", names.join(",")),
            build,
        )
    } else {
        fresh_page(&snap, &headers, build(&snap))
    }
}

// -------------------------------------------------------------------- career

#[derive(Debug)]
pub struct MoveRow {
    pub id: String,
    pub title: String,
    pub kind: &'static str,
    pub gap: u32,
    pub top: Vec<String>,
    pub note: String,
    /// The comparison of the two roles, where there is one: any move on
    /// the server, declared moves on the static site.
    pub compare: Option<String>,
}

#[derive(Debug)]
pub struct PathRow {
    pub total: u32,
    pub stops: Vec<(String, String)>,
    pub gaps: Vec<u32>,
}

#[derive(Template)]
#[template(path = "career.html")]
struct CareerPage {
    layout: Layout,
    groups: Vec<OptionGroup>,
    focus: Option<Column>,
    depth: usize,
    svg: String,
    outgoing: Vec<MoveRow>,
    incoming: Vec<MoveRow>,
    outside: Vec<(String, &'static str, String)>,
    target: String,
    paths: Option<Vec<PathRow>>,
    target_title: String,
    formula: &'static str,
    /// Why there is no drawing (the neighbourhood is too large to lay out).
    graph_note: String,
}

fn move_row(m: &rolebook_career::Move, outgoing: bool, links: Links) -> MoveRow {
    let other = if outgoing { &m.to } else { &m.from };
    let comparable = !links.is_static() || m.kind != rolebook_career::graph::EdgeKind::Implied;
    MoveRow {
        compare: comparable.then(|| format!("/compare?roles={},{}", m.from.id, m.to.id)),
        id: other.id.clone(),
        title: other.title.clone(),
        kind: m.kind.label(),
        gap: m.gap.total,
        top: m
            .gap
            .skills
            .iter()
            .take(3)
            .map(|s| format!("{} {}→{}", s.name, s.current, s.required))
            .collect(),
        note: m
            .evidence
            .iter()
            .find_map(|e| e.note.clone())
            .unwrap_or_default(),
    }
}

/// The career explorer: the index (`id` None) or the graph, moves and
/// paths around one role. `graph` is the career graph when many pages
/// share it (the static site); without it the page builds its own.
pub(crate) fn career_page(
    snap: &Snapshot,
    links: Links,
    id: Option<&str>,
    depth: usize,
    to: Option<&str>,
) -> Result<Cached, AppError> {
    let catalog = &snap.catalog;
    let mut page = CareerPage {
        layout: Layout::new(
            snap,
            "Career explorer",
            "The career graph around a role, and the paths between roles with the smallest skill gap.",
            "career",
        )
        .with_links(links),
        // The static site lists every role on its index instead of the
        // picker; its role pages have no picker (it needs the server).
        groups: if links.is_static() && id.is_some() {
            Vec::new()
        } else {
            role_options(catalog)
        },
        focus: None,
        depth,
        svg: String::new(),
        outgoing: Vec::new(),
        incoming: Vec::new(),
        outside: Vec::new(),
        target: String::new(),
        paths: None,
        target_title: String::new(),
        formula: rolebook_career::GAP_FORMULA,
        graph_note: String::new(),
    };
    if let Some(id) = id {
        let role = catalog.role(id).ok_or_else(|| AppError::NotFound {
            message: format!("there is no role with id `{id}`"),
            suggestions: Suggestion::roles(catalog, id),
        })?;
        page.layout.title = format!("Career paths around {}", role.title.as_str());
        page.focus = Some(Column {
            id: role.id.to_string(),
            title: role.title.to_string(),
            family: family_name(catalog, &role.family),
            level: level_name(catalog, &role.level),
            family_index: family_index(catalog, &role.family),
        });
        let graph = snap.graph();
        // The drawing is the slow part (graph layout) and does not depend on
        // the path target, so the server caches it on its own; the static
        // site draws each once.
        let drawing = if links.is_static() {
            site::drawable(graph, role, depth)
                .and_then(|()| analysis::graph_svg(graph, role, depth))
        } else {
            snap.cache
                .get_or_render(&format!("svg:{}:{depth}", role.id.as_str()), || {
                    analysis::graph_svg(graph, role, depth).map(|svg| Cached::new(svg, cache::HTML))
                })
                .map(|svg| String::from_utf8_lossy(&svg.body).into_owned())
        };
        match drawing {
            Ok(svg) => page.svg = site::relink_svg(&svg, links),
            // Too many roles to lay out: the page still lists every move.
            Err(AppError::BadRequest(why)) => page.graph_note = why,
            Err(error) => return Err(error),
        }
        let (next, incoming) = analysis::moves(graph, role);
        page.outgoing = next
            .moves
            .iter()
            .map(|m| move_row(m, true, links))
            .collect();
        page.incoming = incoming.iter().map(|m| move_row(m, false, links)).collect();
        page.outside = next
            .outside
            .iter()
            .map(|o| {
                (
                    o.title.clone(),
                    o.kind.label(),
                    o.note.clone().unwrap_or_default(),
                )
            })
            .collect();
        if let Some(to) = to {
            let target = analysis::find_role(catalog, to)?;
            let report = graph.paths(role, target, 3);
            page.target = target.id.to_string();
            page.target_title = target.title.to_string();
            page.paths = Some(
                report
                    .paths
                    .iter()
                    .map(|p| {
                        let mut stops = vec![(role.id.to_string(), role.title.to_string())];
                        stops.extend(
                            p.steps
                                .iter()
                                .map(|s| (s.to.id.clone(), s.to.title.clone())),
                        );
                        PathRow {
                            total: p.total_gap,
                            stops,
                            gaps: p.steps.iter().map(|s| s.gap.total).collect(),
                        }
                    })
                    .collect(),
            );
        }
    }
    render(&page)
}

fn parse_depth(raw: Option<&str>) -> Result<usize, AppError> {
    match crate::query::value(raw, "depth") {
        None => Ok(1),
        Some(v) if v.is_empty() => Ok(1),
        Some(v) => match v.parse::<usize>() {
            Ok(d) if (1..=MAX_DEPTH).contains(&d) => Ok(d),
            _ => Err(AppError::bad_request(format!(
                "depth must be a whole number from 1 to {MAX_DEPTH}, got `{v}`"
            ))),
        },
    }
}

pub async fn career_index(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let snap = state.snapshot();
    // The picker form submits `?role=…`; send it to the role's page.
    if let Some(role) = crate::query::value(query.as_deref(), "role").filter(|r| !r.is_empty()) {
        let target = match analysis::find_role(&snap.catalog, &role) {
            Ok(r) => r,
            Err(error) => return error_page(&snap, error),
        };
        let mut url = format!("/career/{}", target.id.as_str());
        let depth = crate::query::value(query.as_deref(), "depth").unwrap_or_default();
        if !depth.is_empty() {
            url.push_str(&format!("?depth={}", encode(&depth)));
        }
        return Redirect::to(&url).into_response();
    }
    cached_page(&snap, &headers, "/career", |s| {
        career_page(s, Links::Server, None, 1, None)
    })
}

pub async fn career(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let snap = state.snapshot();
    if snap.catalog.role(&id).is_none()
        && let Some(role) = snap.catalog.find_role(&id)
    {
        return Redirect::permanent(&format!("/career/{}", role.id.as_str())).into_response();
    }
    let depth = match parse_depth(query.as_deref()) {
        Ok(d) => d,
        Err(error) => return error_page(&snap, error),
    };
    let to = crate::query::value(query.as_deref(), "to").filter(|t| !t.is_empty());
    let key = format!(
        "/career/{id}?depth={depth}&to={}",
        to.as_deref().unwrap_or("")
    );
    let canonical = to.as_deref().is_none_or(|t| snap.catalog.role(t).is_some());
    if canonical && let Some(page) = snap.cache.get(&key) {
        return page.respond(&headers);
    }
    // Laying out the graph and searching paths is CPU work: keep it off
    // the async workers.
    let rendering = snap.clone();
    let result = tokio::task::spawn_blocking(move || {
        let result = career_page(&rendering, Links::Server, Some(&id), depth, to.as_deref());
        match result {
            Ok(page) if canonical => Ok(rendering.cache.insert(key, page)),
            other => other.map(Arc::new),
        }
    })
    .await
    .unwrap_or_else(|e| Err(AppError::Internal(format!("career page task: {e}"))));
    match result {
        Ok(page) => page.respond(&headers),
        Err(error) => error_page(&snap, error),
    }
}

// ------------------------------------------------------------- diagnostics

#[derive(Template)]
#[template(path = "diagnostics.html")]
struct DiagnosticsPage {
    layout: Layout,
    report: String,
    errors: usize,
    warnings: usize,
    generation: u64,
    roles: usize,
}

pub async fn diagnostics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let snap = state.snapshot();
    cached_page(&snap, &headers, "/admin/diagnostics", |s| {
        render(&DiagnosticsPage {
            layout: Layout::new(
                s,
                "Catalog diagnostics",
                "Problems found in the catalog files.",
                "",
            ),
            report: s.report.rendered.clone(),
            errors: s.report.errors,
            warnings: s.report.warnings,
            generation: s.generation,
            roles: s.catalog.roles().len(),
        })
    })
}

// -------------------------------------------------------------------- errors

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    status: u16,
    heading: &'static str,
    message: String,
    suggestions: Vec<Suggestion>,
}

/// The error page for `error`, with its status code.
pub fn error_page(snap: &Snapshot, error: AppError) -> Response {
    error.log();
    let status = error.status();
    let heading = match status {
        StatusCode::NOT_FOUND => "Page not found",
        StatusCode::BAD_REQUEST => "That request did not work",
        _ => "Something went wrong",
    };
    let page = ErrorPage {
        layout: Layout::new(snap, heading, heading, ""),
        status: status.as_u16(),
        heading,
        message: for_people(&error.to_string()),
        suggestions: error.suggestions().to_vec(),
    };
    match page.render() {
        Ok(html) => (status, [(header::CONTENT_TYPE, cache::HTML)], html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            (status, error.to_string()).into_response()
        }
    }
}

/// An error message as page text: a capital first letter and typographic
/// quotes instead of the backticks used in terminal and JSON messages.
fn for_people(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut open = true;
    for c in message.chars() {
        if c == '`' {
            out.push(if open { '“' } else { '”' });
            open = !open;
        } else {
            out.push(c);
        }
    }
    capitalise(&out)
}

/// Any URL no route matches: 404 with suggestions from its last segment.
pub async fn not_found(State(state): State<AppState>, uri: Uri) -> Response {
    let snap = state.snapshot();
    let last = uri
        .path()
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    let words = last.replace(['-', '_', '+'], " ");
    let suggestions = if words.trim().is_empty() {
        Vec::new()
    } else {
        Suggestion::roles(&snap.catalog, &words)
    };
    error_page(
        &snap,
        AppError::NotFound {
            message: format!("nothing lives at `{}`", uri.path()),
            suggestions,
        },
    )
}

fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
