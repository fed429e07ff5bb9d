//! The catalog pages: the job-architecture grid, a role blueprint, the
//! skill and KPI indexes and their pages.

use askama::Template;
use rolebook_core::model::{Importance, Kpi, Role, RoleRef, Skill, Track};

use super::downloads::{DownloadLink, Kind, catalog_links, document_links};
use super::prose::LinkedProse;
use super::{
    Layout, Links, Meter, RoleAnchor, capitalise, category_label, family_index, family_name,
    level_name, published_role, render, track_label,
};
use crate::cache::Cached;
use crate::error::{AppError, Suggestion};
use crate::state::{Snapshot, plural};

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
    pub cells: Vec<GridCell>,
}

/// The roles of one family at one level.
#[derive(Debug)]
pub struct GridCell {
    /// The family's colour.
    pub index: usize,
    pub roles: Vec<RoleChip>,
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
    /// The catalog's tables, when the layout offers downloads.
    downloads: Vec<DownloadLink>,
    /// The introduction's paragraphs ([`home_intro`]).
    intro: Vec<String>,
}

/// The home page's introduction: the organisation's own (`intro` in
/// `organisation.toml`, a paragraph per blank-line-separated block), or
/// one that is true of any catalog and any published part of it, since it
/// only counts.
fn home_intro(catalog: &rolebook_core::Catalog, roles: usize, families: usize) -> Vec<String> {
    if let Some(intro) = catalog.organisation().intro.as_deref() {
        let paragraphs = paragraphs(intro);
        if !paragraphs.is_empty() {
            return paragraphs;
        }
    }
    vec![format!(
        "Scope, responsibilities, decision rights, skills on a {}-level scale, the KPIs each role owns and where it leads — for {} in {}.",
        catalog.proficiency().len(),
        plural(roles, "role", "roles"),
        plural(families, "job family", "job families"),
    )]
}

/// Text split into paragraphs at blank lines, each on one line.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim).chain([""]) {
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    out
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
    let roles = snap.publication.roles(catalog);
    let in_catalog = |of: &dyn Fn(&Role) -> bool| catalog.roles().iter().any(|r| of(r));
    // A family or level with no role in the catalog is shown as the gap it
    // is; one whose roles are all left out of the publication is not.
    let shown_families: Vec<(usize, _)> = catalog
        .families()
        .iter()
        .enumerate()
        .filter(|(_, family)| {
            let of_family = |r: &Role| r.family.as_str() == family.id.as_str();
            roles.iter().any(|r| of_family(r)) || !in_catalog(&of_family)
        })
        .collect();
    let mut rows = Vec::new();
    let mut empty_levels = Vec::new();
    for level in levels {
        let cells: Vec<GridCell> = shown_families
            .iter()
            .map(|(index, family)| GridCell {
                index: index % 8,
                roles: roles
                    .iter()
                    .filter(|r| {
                        r.level.as_str() == level.id.as_str()
                            && r.family.as_str() == family.id.as_str()
                    })
                    .map(|r| chip(r))
                    .collect(),
            })
            .collect();
        if cells.iter().all(|cell| cell.roles.is_empty()) {
            if !in_catalog(&|r: &Role| r.level.as_str() == level.id.as_str()) {
                empty_levels.push(level.name.clone());
            }
            continue;
        }
        rows.push(GridRow {
            name: level.name.clone(),
            track: track_label(level.track),
            rank: level.rank,
            cells,
        });
    }
    let families: Vec<FamilyColumn> = shown_families
        .into_iter()
        .map(|(index, family)| {
            let mut roles: Vec<&Role> = roles
                .iter()
                .copied()
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
    let layout = Layout::new(
        snap,
        "Role blueprints",
        "The job-architecture grid: every technology leadership role by family and level.",
        "roles",
    )
    .with_links(links);
    render(&HomePage {
        intro: home_intro(catalog, roles.len(), families.len()),
        downloads: catalog_links(layout.downloads),
        layout,
        families,
        rows,
        empty_levels,
        roles: roles.len(),
        skills: snap.publication.skills(catalog).len(),
        kpis: snap.publication.kpis(catalog).len(),
    })
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
    /// Set when the role only contributes to the KPI: who else answers
    /// for it is on the KPI's page.
    pub contributes: bool,
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
    pub links: Vec<RoleAnchor>,
}

#[derive(Debug)]
pub struct LabelledList {
    pub label: &'static str,
    pub items: Vec<String>,
}

#[derive(Template)]
#[template(path = "role.html")]
struct RolePage {
    layout: Layout,
    /// The role as written, its prose HTML ([`LinkedProse`]).
    role: Role,
    family_name: String,
    family_index: usize,
    level_name: String,
    track: &'static str,
    aliases: String,
    reports_to: Vec<RoleAnchor>,
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
    downloads: Vec<DownloadLink>,
    /// The workspace version the page shows, for the server's pages of a
    /// workspace (with a link to the role's history); never on the static
    /// site.
    workspace_version: Option<u64>,
}

pub(crate) fn role_page(snap: &Snapshot, links: Links, id: &str) -> Result<Cached, AppError> {
    let catalog = &snap.catalog;
    let resolved = published_role(snap, id)?;
    let prose = LinkedProse::new(snap, links).on_page_of(id);
    let role = prose.role(resolved);
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
                contributes: own.accountability
                    == rolebook_core::model::Accountability::Contributes,
                definition: prose.kpi(kpi).definition,
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
            .map(|r| RoleAnchor::of(snap, r))
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
    let layout =
        Layout::new(snap, role.title.as_str(), resolved.summary.clone(), "roles").with_links(links);
    let workspace_version = snap.version.filter(|_| !links.is_static());
    render(&RolePage {
        workspace_version,
        downloads: document_links(layout.downloads, Kind::Role, role.id.as_str()),
        layout,
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
        role,
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

/// Entries already sorted by group, gathered under their group's name.
fn grouped(entries: impl Iterator<Item = (String, IndexEntry)>) -> Vec<IndexGroup> {
    let mut groups: Vec<IndexGroup> = Vec::new();
    for (name, entry) in entries {
        match groups.last_mut() {
            Some(group) if group.name == name => group.entries.push(entry),
            _ => groups.push(IndexGroup {
                name,
                entries: vec![entry],
            }),
        }
    }
    groups
}

pub(crate) fn skills_index_page(snap: &Snapshot, links: Links) -> Result<Cached, AppError> {
    let catalog = &snap.catalog;
    let mut skills = snap.publication.skills(catalog);
    skills.sort_by(|a, b| a.category.cmp(&b.category).then(a.name.cmp(&b.name)));
    let groups = grouped(skills.into_iter().map(|skill| {
        (
            capitalise(skill.category.label()),
            IndexEntry {
                id: skill.id.to_string(),
                name: skill.name.clone(),
                detail: skill.description.clone(),
                count: catalog
                    .roles_requiring_skill(&skill.id)
                    .iter()
                    .filter(|(role, _)| snap.publication.has_role(&role.id))
                    .count(),
            },
        )
    }));
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
            plural(snap.publication.skills(catalog).len(), "skill", "skills")
        ),
        base: "/skills",
        count_label: ("role", "roles"),
        groups,
    })
}

pub(crate) fn kpis_index_page(snap: &Snapshot, links: Links) -> Result<Cached, AppError> {
    let catalog = &snap.catalog;
    let mut kpis = snap.publication.kpis(catalog);
    kpis.sort_by(|a, b| {
        a.category
            .to_lowercase()
            .cmp(&b.category.to_lowercase())
            .then(a.name.cmp(&b.name))
    });
    let groups = grouped(kpis.into_iter().map(|kpi| {
        (
            category_label(&kpi.category),
            IndexEntry {
                id: kpi.id.to_string(),
                name: kpi.name.clone(),
                detail: kpi.definition.clone(),
                count: catalog
                    .roles_owning_kpi(&kpi.id)
                    .iter()
                    .filter(|(role, _)| snap.publication.has_role(&role.id))
                    .count(),
            },
        )
    }));
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
            plural(snap.publication.kpis(catalog).len(), "KPI", "KPIs")
        ),
        base: "/kpis",
        count_label: ("owner", "owners"),
        groups,
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
struct SkillPage {
    layout: Layout,
    /// The workspace version the page shows (server pages only).
    workspace_version: Option<u64>,
    /// The skill as written, its prose HTML ([`LinkedProse`]).
    skill: Skill,
    category: String,
    steps: Vec<ScaleStep>,
    role_count: usize,
    downloads: Vec<DownloadLink>,
}

/// The skill `id`, when the snapshot publishes it; otherwise a 404 with
/// the closest published skill.
pub(crate) fn published_skill<'s>(snap: &'s Snapshot, id: &str) -> Result<&'s Skill, AppError> {
    published_one(
        snap.publication.skills(&snap.catalog),
        id,
        ("skill", "/skills"),
        |s| (s.id.as_str(), s.name.as_str()),
    )
}

/// The item of `published` with id `id`, or a 404 naming the closest one.
/// `noun` names the kind of item and `under` the path its pages live under;
/// `id_and_name` reads an item's id and display name.
fn published_one<'s, T>(
    published: Vec<&'s T>,
    id: &str,
    (noun, under): (&str, &str),
    id_and_name: impl Fn(&T) -> (&str, &str),
) -> Result<&'s T, AppError> {
    if let Some(found) = published
        .iter()
        .copied()
        .find(|item| id_and_name(item).0 == id)
    {
        return Ok(found);
    }
    let closest =
        rolebook_core::suggest::did_you_mean(id, published.iter().map(|item| id_and_name(item).0))
            .and_then(|close| {
                published
                    .iter()
                    .map(|item| id_and_name(item))
                    .find(|(i, _)| *i == close)
            });
    Err(AppError::NotFound {
        message: format!("there is no {noun} with id `{id}`"),
        suggestions: closest
            .map(|(id, name)| Suggestion {
                id: id.to_string(),
                title: name.to_string(),
                href: format!("{under}/{id}"),
            })
            .into_iter()
            .collect(),
    })
}

pub(crate) fn skill_page(snap: &Snapshot, links: Links, id: &str) -> Result<Cached, AppError> {
    let catalog = &snap.catalog;
    let resolved = published_skill(snap, id)?;
    let skill = LinkedProse::new(snap, links).skill(resolved);
    let mut holders = catalog.roles_requiring_skill(id);
    holders.retain(|(role, _)| snap.publication.has_role(&role.id));
    let steps = catalog
        .proficiency()
        .iter()
        .rev()
        .map(|p| ScaleStep {
            meter: Meter::new(catalog, *p.level),
            descriptor: skill.level_descriptor(*p.level).map_or_else(
                || rolebook_core::escape::xml(&p.descriptor).into_owned(),
                str::to_string,
            ),
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
    let layout = Layout::new(
        snap,
        skill.name.clone(),
        resolved.description.clone(),
        "skills",
    )
    .with_links(links);
    render(&SkillPage {
        workspace_version: snap.version.filter(|_| !links.is_static()),
        downloads: document_links(layout.downloads, Kind::Skill, skill.id.as_str()),
        layout,
        category: capitalise(skill.category.label()),
        steps,
        role_count: holders.len(),
        skill,
    })
}

#[derive(Debug)]
pub struct Owner {
    pub id: String,
    pub title: String,
    pub target: String,
    pub why: String,
    /// "accountable" or "contributes".
    pub accountability: &'static str,
}

#[derive(Template)]
#[template(path = "kpi.html")]
struct KpiPage {
    layout: Layout,
    /// The workspace version the page shows (server pages only).
    workspace_version: Option<u64>,
    /// The KPI as written, its prose HTML ([`LinkedProse`]).
    kpi: Kpi,
    category: String,
    direction: &'static str,
    owners: Vec<Owner>,
    downloads: Vec<DownloadLink>,
}

/// The KPI `id`, when the snapshot publishes it; otherwise a 404 with the
/// closest published KPI.
pub(crate) fn published_kpi<'s>(snap: &'s Snapshot, id: &str) -> Result<&'s Kpi, AppError> {
    published_one(
        snap.publication.kpis(&snap.catalog),
        id,
        ("KPI", "/kpis"),
        |k| (k.id.as_str(), k.name.as_str()),
    )
}

pub(crate) fn kpi_page(snap: &Snapshot, links: Links, id: &str) -> Result<Cached, AppError> {
    let catalog = &snap.catalog;
    let resolved = published_kpi(snap, id)?;
    let prose = LinkedProse::new(snap, links);
    let kpi = prose.kpi(resolved);
    let owners = catalog
        .kpi_owners(id)
        .into_iter()
        .filter(|(role, _)| snap.publication.has_role(&role.id))
        .map(|(role, own)| Owner {
            id: role.id.to_string(),
            title: role.title.to_string(),
            target: own.target.clone(),
            why: prose.why_owned(&role.id, id).unwrap_or_default(),
            accountability: own.accountability.label(),
        })
        .collect();
    let layout =
        Layout::new(snap, kpi.name.clone(), resolved.definition.clone(), "kpis").with_links(links);
    render(&KpiPage {
        workspace_version: snap.version.filter(|_| !links.is_static()),
        downloads: document_links(layout.downloads, Kind::Kpi, kpi.id.as_str()),
        layout,
        category: category_label(&kpi.category),
        direction: kpi.direction.label(),
        owners,
        kpi,
    })
}
