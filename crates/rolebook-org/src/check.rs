//! The org design check: an organisation's people, their roles and
//! reporting lines held against the catalog's blueprints. Each finding
//! says why, names the people and roles concerned, and has a stable id a
//! team can suppress with a reason.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rolebook_core::Catalog;
use rolebook_core::model::Role;
use serde::Serialize;

pub use crate::figures::{Figures, Headcount, LayerFigures, LeaderFigures};
use crate::people::{People, Person};
use crate::titles::Titles;
use crate::tree::Tree;

/// What a finding is about. The kebab-case name starts its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    Cycle,
    SelfManager,
    Orphan,
    SeveralTops,
    ReportsTo,
    MissingLayer,
    SpanOver,
    SpanUnder,
    OneOverOne,
    MicroTeam,
    KpiOverlap,
    UnownedKpi,
    UnownedFunction,
    SinglePoint,
    NoRoles,
}

impl Rule {
    pub fn name(self) -> &'static str {
        match self {
            Rule::Cycle => "cycle",
            Rule::SelfManager => "self-manager",
            Rule::Orphan => "orphan",
            Rule::SeveralTops => "several-tops",
            Rule::ReportsTo => "reports-to",
            Rule::MissingLayer => "missing-layer",
            Rule::SpanOver => "span-over",
            Rule::SpanUnder => "span-under",
            Rule::OneOverOne => "one-over-one",
            Rule::MicroTeam => "micro-team",
            Rule::KpiOverlap => "kpi-overlap",
            Rule::UnownedKpi => "unowned-kpi",
            Rule::UnownedFunction => "unowned-function",
            Rule::NoRoles => "no-roles",
            Rule::SinglePoint => "single-point",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Rule::Cycle | Rule::SelfManager | Rule::Orphan => Severity::Error,
            Rule::SeveralTops
            | Rule::ReportsTo
            | Rule::MissingLayer
            | Rule::SpanOver
            | Rule::KpiOverlap
            | Rule::UnownedKpi
            | Rule::UnownedFunction
            | Rule::NoRoles => Severity::Warning,
            Rule::SpanUnder | Rule::OneOverOne | Rule::MicroTeam | Rule::SinglePoint => {
                Severity::Notice
            }
        }
    }
}

/// How much a finding matters: errors break the reporting tree, warnings
/// contradict the framework, notices are worth a look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Notice,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "notice",
        }
    }
}

/// A person as a finding names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Who {
    pub id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub title: String,
    /// Their catalog role, when their title has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Where they are in the file.
    pub line: u64,
}

impl Who {
    /// `E0042 Ada Example, SRE Manager`, each part cut at 80 characters:
    /// a label is for finding the person, not for their whole record.
    pub fn label(&self) -> String {
        let cut = |text: &str| -> String {
            match text.char_indices().nth(80) {
                Some((at, _)) => format!("{}…", &text[..at]),
                None => text.to_owned(),
            }
        };
        let mut out = cut(&self.id);
        if !self.name.is_empty() {
            out.push(' ');
            out.push_str(&cut(&self.name));
        }
        if !self.title.is_empty() {
            out.push_str(", ");
            out.push_str(&cut(&self.title));
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable across runs of the same organisation: the rule and the
    /// people, roles or KPIs it is about (`span-over:E0042`).
    pub id: String,
    pub rule: Rule,
    pub severity: Severity,
    pub message: String,
    /// Why this matters, from the blueprints.
    pub why: String,
    pub people: Vec<Who>,
    pub roles: Vec<String>,
    pub kpis: Vec<String>,
    /// The team's reason for accepting it, from the suppressions file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<String>,
}

/// The check's result.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Check {
    pub figures: Figures,
    /// Errors first, then warnings and notices; by id within each.
    pub findings: Vec<Finding>,
    /// Suppressions that matched no finding: stale, or mistyped.
    pub unused_suppressions: Vec<String>,
}

/// How many people of one role reporting past the blueprint's manager
/// make a missing layer rather than an exception.
pub const MISSING_LAYER_AT: usize = 3;

pub(crate) struct Ctx<'a> {
    pub(crate) catalog: &'a Catalog,
    pub(crate) people: &'a [Person],
    /// Ids on rows left out of the organisation, with their lines.
    left_out: HashMap<&'a str, u64>,
    pub(crate) titles: &'a Titles,
    pub(crate) tree: &'a Tree,
}

impl<'a> Ctx<'a> {
    pub(crate) fn role(&self, person: usize) -> Option<&'a Role> {
        self.titles
            .role_of(person)
            .and_then(|id| self.catalog.role(id))
    }

    pub(crate) fn who(&self, person: usize) -> Who {
        let p = &self.people[person];
        Who {
            id: p.id.clone(),
            name: p.name.clone(),
            title: p.title.clone(),
            role: self.titles.role_of(person).map(str::to_owned),
            line: p.line,
        }
    }

    fn rank(&self, role: &Role) -> u8 {
        self.catalog.level(&role.level).map_or(0, |l| l.rank)
    }

    fn role_title(&self, id: &str) -> String {
        self.catalog
            .role(id)
            .map_or_else(|| id.to_owned(), |r| r.title.to_string())
    }

    fn reports_to_closure(&self, role: &Role) -> BTreeSet<&'a str> {
        reports_to_closure(self.catalog, role)
    }
}

/// The catalog roles a role reports to, and every role above those: a
/// manager anywhere in it is the blueprint's line, possibly with a layer
/// skipped.
pub fn reports_to_closure<'a>(catalog: &'a Catalog, role: &Role) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&'a str> = direct_reports_to(catalog, role);
    while let Some(id) = stack.pop() {
        if seen.insert(id)
            && let Some(up) = catalog.role(id)
        {
            stack.extend(direct_reports_to(catalog, up));
        }
    }
    seen
}

/// The layer missing when `role` reports to `manager_role`, which its
/// blueprint puts further up: the most junior of the role's blueprint
/// managers that reports, in turn, up to `manager_role`.
pub fn missing_layer<'a>(catalog: &'a Catalog, role: &Role, manager_role: &str) -> Option<&'a str> {
    let rank = |r: &Role| catalog.level(&r.level).map_or(0, |l| l.rank);
    direct_reports_to(catalog, role)
        .into_iter()
        .filter_map(|id| catalog.role(id))
        .filter(|r| reports_to_closure(catalog, r).contains(manager_role))
        .min_by_key(|r| rank(r))
        .map(|r| r.id.as_str())
}

/// The catalog roles a role's blueprint names as its manager.
pub fn direct_reports_to<'a>(catalog: &'a Catalog, role: &Role) -> Vec<&'a str> {
    role.scope
        .reports_to
        .iter()
        .filter_map(|r| r.role.as_ref())
        .filter_map(|id| catalog.role(id).map(|r| r.id.as_str()))
        .collect()
}

/// Runs every rule over the organisation.
pub fn check(catalog: &Catalog, people: &People, titles: &Titles, tree: &Tree) -> Check {
    let ctx = Ctx {
        catalog,
        people: &people.people,
        left_out: people
            .left_out
            .iter()
            .map(|(id, line)| (id.as_str(), *line))
            .collect(),
        titles,
        tree,
    };
    let mut findings = Vec::new();
    tree_breaks(&ctx, &mut findings);
    reporting_lines(&ctx, &mut findings);
    implied_layers(&ctx, &mut findings);
    spans(&ctx, &mut findings);
    kpis(&ctx, &mut findings);
    single_points(&ctx, &mut findings);
    findings.sort_by(|a, b| a.severity.cmp(&b.severity).then_with(|| a.id.cmp(&b.id)));
    Check {
        figures: crate::figures::figures(&ctx),
        findings,
        unused_suppressions: Vec::new(),
    }
}

fn finding(rule: Rule, key: &str, message: String, why: String) -> Finding {
    Finding {
        id: if key.is_empty() {
            rule.name().to_owned()
        } else {
            format!("{}:{key}", rule.name())
        },
        rule,
        severity: rule.severity(),
        message,
        why,
        people: Vec::new(),
        roles: Vec::new(),
        kpis: Vec::new(),
        suppressed: None,
    }
}

fn tree_breaks(ctx: &Ctx, out: &mut Vec<Finding>) {
    let people = ctx.people;
    for members in &ctx.tree.cycles {
        let chain: Vec<String> = members
            .iter()
            .chain(members.first())
            .map(|&m| people[m].id.clone())
            .collect();
        let mut f = finding(
            Rule::Cycle,
            &people[members[0]].id,
            format!("reporting loop: {}", chain.join(" → ")),
            format!(
                "nobody in a loop has a line to the top; for the figures, {} is taken as the top of a separate tree",
                people[members[0]].id
            ),
        );
        f.people = members.iter().map(|&m| ctx.who(m)).collect();
        out.push(f);
    }
    for &at in &ctx.tree.self_managers {
        let mut f = finding(
            Rule::SelfManager,
            &people[at].id,
            format!("{} is their own manager", people[at].id),
            "a self-reference is usually an export of the top person with their own id as manager; leave the manager empty for the top of the organisation".into(),
        );
        f.people.push(ctx.who(at));
        out.push(f);
    }
    for &at in &ctx.tree.orphans {
        let manager = people[at].manager.as_str();
        let message = match ctx.left_out.get(manager) {
            Some(line) => format!(
                "{}'s manager {manager} is on line {line}, a row left out of the organisation",
                people[at].id
            ),
            None => format!("{}'s manager {manager} is not in the export", people[at].id),
        };
        let mut f = finding(
            Rule::Orphan,
            &people[at].id,
            message,
            "the person and everyone below them are cut off from the organisation's tree; export the manager too, correct the id or fix the left-out row".into(),
        );
        f.people.push(ctx.who(at));
        out.push(f);
    }
    let tops: Vec<usize> = ctx
        .tree
        .roots
        .iter()
        .copied()
        .filter(|&r| people[r].manager.is_empty())
        .collect();
    if tops.len() > 1 {
        let mut f = finding(
            Rule::SeveralTops,
            "",
            format!("{} people have no manager: {}", tops.len(), list_ids(ctx, &tops)),
            "an organisation has one top; each extra one is a separate tree whose line to the top is missing from the export".into(),
        );
        f.people = tops.iter().map(|&t| ctx.who(t)).collect();
        out.push(f);
    }
}

fn list_ids(ctx: &Ctx, people: &[usize]) -> String {
    const SHOWN: usize = 8;
    let mut out: Vec<String> = people
        .iter()
        .take(SHOWN)
        .map(|&p| ctx.people[p].id.clone())
        .collect();
    if people.len() > SHOWN {
        out.push(format!("and {} more", people.len() - SHOWN));
    }
    out.join(", ")
}

/// Reporting lines against the blueprints' `reports_to`: a manager the
/// blueprint does not put above the role is a contradiction; several
/// people of one role reporting past the layer the blueprint puts
/// between is a missing layer.
fn reporting_lines(ctx: &Ctx, out: &mut Vec<Finding>) {
    let mut closures: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for manager in 0..ctx.people.len() {
        let Some(manager_role) = ctx.role(manager) else {
            continue;
        };
        // Reports of each role that skip the blueprint's layer.
        let mut skipping: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for &report in &ctx.tree.children[manager] {
            let Some(role) = ctx.role(report) else {
                continue;
            };
            let direct = direct_reports_to(ctx.catalog, role);
            if direct.is_empty() || direct.contains(&manager_role.id.as_str()) {
                continue;
            }
            let closure = closures
                .entry(role.id.as_str())
                .or_insert_with(|| ctx.reports_to_closure(role));
            if closure.contains(manager_role.id.as_str()) {
                skipping.entry(role.id.as_str()).or_default().push(report);
                continue;
            }
            let mut f = finding(
                Rule::ReportsTo,
                &ctx.people[report].id,
                format!(
                    "{} ({}) reports to {} ({}); the blueprint puts a {} role above it",
                    ctx.people[report].id,
                    role.title.as_str(),
                    ctx.people[manager].id,
                    manager_role.title.as_str(),
                    direct
                        .iter()
                        .map(|id| ctx.role_title(id))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
                format!(
                    "the {} is not in the {}'s line in the blueprints: decision rights, KPI roll-ups and career moves assume that line",
                    manager_role.title.as_str(),
                    role.title.as_str()
                ),
            );
            f.people = vec![ctx.who(report), ctx.who(manager)];
            f.roles = vec![role.id.to_string(), manager_role.id.to_string()];
            out.push(f);
        }
        for (role_id, reports) in skipping {
            if reports.len() < MISSING_LAYER_AT {
                continue;
            }
            let Some(role) = ctx.catalog.role(role_id) else {
                continue;
            };
            // The layer that is missing: the blueprint's manager of the
            // role that itself sits in the manager's line.
            let missing = missing_layer(ctx.catalog, role, &manager_role.id).unwrap_or(role_id);
            let mut f = finding(
                Rule::MissingLayer,
                &format!("{}:{missing}", ctx.people[manager].id),
                format!(
                    "{} people in the {} role report straight to {} ({}); no {} between them",
                    reports.len(),
                    role.title.as_str(),
                    ctx.people[manager].id,
                    manager_role.title.as_str(),
                    ctx.role_title(missing)
                ),
                format!(
                    "the blueprints put a {} between the {} and the {}: someone must own the roll-up of their KPIs and their development, and today the {} does both on top of their own scope",
                    ctx.role_title(missing),
                    role.title.as_str(),
                    manager_role.title.as_str(),
                    manager_role.title.as_str()
                ),
            );
            f.people = std::iter::once(manager)
                .chain(reports.iter().copied())
                .map(|p| ctx.who(p))
                .collect();
            f.roles = vec![
                missing.to_owned(),
                role.id.to_string(),
                manager_role.id.to_string(),
            ];
            out.push(f);
        }
    }
}

/// People of one role under a manager outside the catalog, with none of
/// the role's blueprint managers anywhere above them: the layer is missing,
/// or the manager's title is that layer under another name.
fn implied_layers(ctx: &Ctx, out: &mut Vec<Finding>) {
    // Per role: whether someone above each person holds one of the role's
    // blueprint managers, filled top-down once per role asked about.
    let mut covered: HashMap<&str, Vec<bool>> = HashMap::new();
    for manager in 0..ctx.people.len() {
        if ctx.role(manager).is_some() {
            continue;
        }
        let mut by_role: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for &report in &ctx.tree.children[manager] {
            if let Some(role) = ctx.role(report) {
                by_role.entry(role.id.as_str()).or_default().push(report);
            }
        }
        for (role_id, reports) in by_role {
            let Some(role) = ctx.catalog.role(role_id) else {
                continue;
            };
            let direct = direct_reports_to(ctx.catalog, role);
            if reports.len() < MISSING_LAYER_AT || direct.is_empty() {
                continue;
            }
            let held_above = covered.entry(role_id).or_insert_with(|| {
                let mut above = vec![false; ctx.people.len()];
                for &p in &ctx.tree.top_down {
                    if let Some(parent) = ctx.tree.parent[p] {
                        above[p] = above[parent]
                            || ctx
                                .role(parent)
                                .is_some_and(|r| direct.contains(&r.id.as_str()));
                    }
                }
                above
            })[manager];
            if held_above {
                continue;
            }
            let Some(missing) = direct
                .iter()
                .filter_map(|id| ctx.catalog.role(id))
                .min_by_key(|r| ctx.rank(r))
            else {
                continue;
            };
            let person = &ctx.people[manager];
            let mut f = finding(
                Rule::MissingLayer,
                &format!("{}:{}", person.id, missing.id.as_str()),
                format!(
                    "{} people in the {} role report to {} ({}, no catalog role), and no {} is above them",
                    reports.len(),
                    role.title.as_str(),
                    person.id,
                    if person.title.is_empty() {
                        "no title"
                    } else {
                        person.title.as_str()
                    },
                    missing.title.as_str()
                ),
                format!(
                    "the blueprints put a {} above the {}; if {} is that role under another title, say so in the mapping file (--mapping), otherwise the layer is missing and nobody owns the roll-up of their KPIs",
                    missing.title.as_str(),
                    role.title.as_str(),
                    if person.title.is_empty() {
                        person.id.as_str()
                    } else {
                        person.title.as_str()
                    }
                ),
            );
            f.people = std::iter::once(manager)
                .chain(reports.iter().copied())
                .map(|p| ctx.who(p))
                .collect();
            f.roles = vec![missing.id.to_string(), role.id.to_string()];
            out.push(f);
        }
    }
}

/// Spans of control against the levels' expected direct reports, and the
/// small teams organisation designers look for.
fn spans(ctx: &Ctx, out: &mut Vec<Finding>) {
    for manager in 0..ctx.people.len() {
        let reports = ctx.tree.children[manager].len();
        let role = ctx.role(manager);
        let level = role.and_then(|r| ctx.catalog.level(&r.level));
        let (min, max) = level.map_or((None, None), |l| l.direct_reports());
        let person = &ctx.people[manager].id;
        let mut push = |rule: Rule, message: String, why: String| {
            let mut f = finding(rule, person, message, why);
            f.people.push(ctx.who(manager));
            f.people
                .extend(ctx.tree.children[manager].iter().map(|&c| ctx.who(c)));
            f.roles.extend(role.map(|r| r.id.to_string()));
            out.push(f);
        };
        if let (Some(max), Some(role), Some(level)) = (max, role, level)
            && reports > usize::from(max)
        {
            let why = if max == 0 {
                format!(
                    "the {} level has no direct reports: {}",
                    level.name, level.span_of_control
                )
            } else {
                format!(
                    "the framework's {} level leads at most {max} direct reports ({}); past that, coaching and the {}'s own work give way",
                    level.name,
                    level.span_of_control.trim_end_matches('.'),
                    role.title.as_str()
                )
            };
            push(
                Rule::SpanOver,
                format!(
                    "{person} has {} direct reports; at most {max} expected",
                    rolebook_core::text::thousands(reports)
                ),
                why,
            );
            continue;
        }
        match reports {
            0 => {}
            1 => push(
                Rule::OneOverOne,
                format!("{person} has one direct report"),
                "a one-over-one line adds a layer without a team: the two jobs usually overlap and decisions wait twice".into(),
            ),
            2 => push(
                Rule::MicroTeam,
                format!("{person} has two direct reports"),
                "a team of two rarely needs a full-time manager; merging it or widening the role saves a layer".into(),
            ),
            _ => {
                if let (Some(min), Some(role), Some(level)) = (min, role, level)
                    && reports < usize::from(min)
                {
                    push(
                        Rule::SpanUnder,
                        format!("{person} has {reports} direct reports; at least {min} expected"),
                        format!(
                            "the framework's {} level leads at least {min} direct reports ({}); a narrow span at this level often means a layer that could go, or a {} role that is really another",
                            level.name,
                            level.span_of_control.trim_end_matches('.'),
                            role.title.as_str()
                        ),
                    );
                }
            }
        }
    }
}

/// KPI ownership: the catalog's KPIs no present role owns, and KPIs owned
/// twice in one line at the same level.
fn kpis(ctx: &Ctx, out: &mut Vec<Finding>) {
    let present: BTreeSet<&str> = (0..ctx.people.len())
        .filter_map(|p| ctx.titles.role_of(p))
        .collect();
    if present.is_empty() {
        // With nobody placed in a catalog role every KPI would be
        // "unowned": the mapping is what needs attention.
        if !ctx.people.is_empty() {
            out.push(finding(
                Rule::NoRoles,
                "",
                "no title matched a catalog role".into(),
                "the KPI, span and reporting-line checks need people in catalog roles: check that --map title names the job title column, or place titles by hand with `rolebook org map -o mapping.csv` and --mapping".into(),
            ));
        }
        return;
    }
    let present_families: BTreeSet<&str> = present
        .iter()
        .filter_map(|id| ctx.catalog.role(id))
        .map(|r| r.family.as_str())
        .collect();
    // KPIs of functions the organisation has none of are one finding per
    // function, not one per KPI.
    let mut absent: BTreeMap<&str, (Vec<&str>, BTreeSet<&str>)> = BTreeMap::new();
    for kpi in ctx.catalog.kpis() {
        let owners = ctx.catalog.kpi_owners(&kpi.id);
        if owners.is_empty()
            || owners
                .iter()
                .any(|(role, _)| present.contains(role.id.as_str()))
        {
            continue;
        }
        if !owners
            .iter()
            .any(|(r, _)| present_families.contains(r.family.as_str()))
        {
            let family = owners[0].0.family.as_str();
            let entry = absent.entry(family).or_default();
            entry.0.push(kpi.id.as_str());
            entry.1.extend(owners.iter().map(|(r, _)| r.id.as_str()));
            continue;
        }
        let mut f = finding(
            Rule::UnownedKpi,
            &kpi.id,
            format!("nobody owns {} ({})", kpi.name, kpi.id),
            format!(
                "the blueprints give it to {}; none of these roles is held in the organisation, so nobody is accountable for it",
                owners
                    .iter()
                    .map(|(r, _)| r.title.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        f.roles = owners.iter().map(|(r, _)| r.id.to_string()).collect();
        f.kpis.push(kpi.id.to_string());
        out.push(f);
    }
    for (family, (kpis, roles)) in absent {
        let name = ctx
            .catalog
            .family(family)
            .map_or(family, |f| f.name.as_str());
        let mut f = finding(
            Rule::UnownedFunction,
            family,
            format!(
                "nobody holds a {name} role: its {} KPIs have no owner",
                kpis.len()
            ),
            format!(
                "the blueprints give them to {}; if the organisation has this function under other titles, place them with --mapping, otherwise these measures are nobody's",
                roles
                    .iter()
                    .map(|id| ctx.role_title(id))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        f.roles = roles.iter().map(|r| r.to_string()).collect();
        f.kpis = kpis.iter().map(|k| k.to_string()).collect();
        out.push(f);
    }
    // Same-level owners in one line: the nearest person above at the same
    // level or higher, if at the same level and owning the same KPIs,
    // answers for the same numbers over the same people. One lookup a
    // person (a table per level), so a deep chain costs no more than a
    // flat one.
    let up = NearestAbove::new(ctx);
    for person in 0..ctx.people.len() {
        let Some(role) = ctx.role(person) else {
            continue;
        };
        let rank = ctx.rank(role);
        let Some(above) = up.at_least(person, rank) else {
            continue;
        };
        let Some(above_role) = ctx.role(above) else {
            continue;
        };
        if ctx.rank(above_role) != rank {
            continue;
        }
        let shared: Vec<&str> = role
            .kpis
            .iter()
            .map(|k| k.kpi.as_str())
            .filter(|k| above_role.kpis.iter().any(|o| o.kpi.as_str() == *k))
            .collect();
        if shared.is_empty() {
            continue;
        }
        let names: Vec<&str> = shared
            .iter()
            .map(|k| ctx.catalog.kpi(k).map_or(*k, |kpi| kpi.name.as_str()))
            .collect();
        let level = ctx
            .catalog
            .level(&role.level)
            .map_or(role.level.as_str(), |l| l.name.as_str());
        let mut f = finding(
            Rule::KpiOverlap,
            &format!("{}:{}", ctx.people[above].id, ctx.people[person].id),
            format!(
                "{} ({}) is in the line of {} ({}), both at the {level} level, and both own {}",
                ctx.people[person].id,
                role.title.as_str(),
                ctx.people[above].id,
                above_role.title.as_str(),
                names.join(", ")
            ),
            "one owner's scope holds the other's, so two people answer for the same numbers over the same teams: name one accountable, or give the senior one a wider KPI".into(),
        );
        f.people = vec![ctx.who(above), ctx.who(person)];
        f.roles = vec![above_role.id.to_string(), role.id.to_string()];
        f.kpis = shared.iter().map(|k| k.to_string()).collect();
        out.push(f);
    }
}

/// For each person and level rank, the nearest person above them whose
/// role is at that rank or higher: filled top-down once per rank in use.
struct NearestAbove {
    ranks: Vec<u8>,
    /// `table[rank index][person]`.
    table: Vec<Vec<Option<u32>>>,
}

impl NearestAbove {
    fn new(ctx: &Ctx) -> NearestAbove {
        let rank_of: Vec<Option<u8>> = (0..ctx.people.len())
            .map(|p| ctx.role(p).map(|r| ctx.rank(r)))
            .collect();
        let ranks: Vec<u8> = rank_of
            .iter()
            .flatten()
            .copied()
            .collect::<BTreeSet<u8>>()
            .into_iter()
            .collect();
        let table = ranks
            .iter()
            .map(|&rank| {
                let mut nearest: Vec<Option<u32>> = vec![None; ctx.people.len()];
                for &p in &ctx.tree.top_down {
                    if let Some(parent) = ctx.tree.parent[p] {
                        nearest[p] = if rank_of[parent].is_some_and(|r| r >= rank) {
                            Some(parent as u32)
                        } else {
                            nearest[parent]
                        };
                    }
                }
                nearest
            })
            .collect();
        NearestAbove { ranks, table }
    }

    fn at_least(&self, person: usize, rank: u8) -> Option<usize> {
        let at = self.ranks.iter().position(|&r| r == rank)?;
        self.table[at][person].map(|p| p as usize)
    }
}

/// A role held by one person with nobody in a feeder role below them.
fn single_points(ctx: &Ctx, out: &mut Vec<Finding>) {
    let mut holders: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for p in 0..ctx.people.len() {
        if let Some(role) = ctx.titles.role_of(p) {
            holders.entry(role).or_default().push(p);
        }
    }
    for (role_id, held_by) in &holders {
        let [holder] = held_by.as_slice() else {
            continue;
        };
        let Some(role) = ctx.catalog.role(role_id) else {
            continue;
        };
        let feeders: BTreeSet<&str> = role
            .career
            .feeders
            .iter()
            .filter_map(|f| f.role.as_ref())
            .map(|id| id.as_str())
            .collect();
        // A role whose blueprint names no catalog feeder cannot be judged
        // from the catalog: its successors come from titles outside it.
        if feeders.is_empty() {
            continue;
        }
        let below = ctx.tree.below(*holder);
        if below
            .iter()
            .any(|&p| ctx.titles.role_of(p).is_some_and(|r| feeders.contains(r)))
        {
            continue;
        }
        let feeder_titles: Vec<String> = feeders.iter().map(|id| ctx.role_title(id)).collect();
        let mut f = finding(
            Rule::SinglePoint,
            role_id,
            format!(
                "only {} holds the {} role and nobody below them is in a feeder role",
                ctx.people[*holder].id,
                role.title.as_str()
            ),
            format!(
                "the blueprint's feeder roles are {}; with none of them in the line, a departure leaves the role empty with no internal successor",
                feeder_titles.join(", ")
            ),
        );
        f.people.push(ctx.who(*holder));
        f.roles.push(role_id.to_string());
        out.push(f);
    }
}
