//! Synthetic organisations for trying the check, for tests and for
//! benchmarks: generated people only (names from syllables, `example.com`
//! emails), shaped by the catalog's own reporting lines and spans, and
//! reproducible from a seed. With defects, known mistakes are planted and
//! listed, so a test can ask that each is found where it was put.
//!
//! The shape: an unmapped chief executive at the top; under it each
//! catalog role that reports to no catalog role; under each role, the
//! roles whose nearest senior catalog manager (`reports_to`) it is. Roles
//! that lead no catalog role lead teams of individual contributors. The
//! number of teams grows with the size asked for; where a holder would
//! have more reports than their level allows, the reports are split under
//! more holders (below the executive levels) or under group leads.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rolebook_core::Catalog;
use rolebook_core::model::{Role, Track};

use crate::columns::{Field, Preset, preset};

/// What to generate.
#[derive(Debug, Clone)]
pub struct SampleOptions {
    /// About this many people (the shape rounds it).
    pub people: usize,
    pub seed: u64,
    /// Plant the defects listed in [`Sample::planted`].
    pub defects: bool,
    /// Whose column names to write: a preset id.
    pub preset: String,
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions {
            people: 200,
            seed: 1,
            defects: false,
            preset: "rolebook".into(),
        }
    }
}

/// A mistake put in on purpose, and where the check must report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Planted {
    /// A finding with this id.
    Finding(String),
    /// A row problem on this line.
    Problem { line: u64, what: &'static str },
}

/// A generated organisation.
#[derive(Debug, Clone)]
pub struct Sample {
    /// The export, as CSV.
    pub csv: String,
    /// What was planted (empty without defects).
    pub planted: Vec<Planted>,
    /// For each row (in order), the role the generator meant it to hold.
    pub intended: Vec<Option<String>>,
}

/// Titles individual contributors hold, by family id; a family not listed
/// uses the general ones. None of them is a leadership role.
fn contributor_titles(family: &str) -> &'static [&'static str] {
    match family {
        "reliability" => &[
            "Site Reliability Engineer",
            "Senior Site Reliability Engineer",
            "SRE II",
            "Production Engineer",
        ],
        "security" => &[
            "Security Engineer",
            "Senior Security Engineer",
            "Security Analyst",
            "Application Security Engineer",
        ],
        "product" => &[
            "Product Manager",
            "Senior Product Manager",
            "Product Analyst",
            "Associate Product Manager",
        ],
        "it" => &[
            "Systems Administrator",
            "IT Support Specialist",
            "Service Desk Analyst",
            "Endpoint Engineer",
        ],
        "infrastructure" => &[
            "Network Engineer",
            "Cloud Engineer",
            "Infrastructure Engineer",
            "Senior Network Engineer",
        ],
        "data-ai" => &[
            "Data Scientist",
            "Data Engineer",
            "Machine Learning Engineer",
            "Senior Data Analyst",
        ],
        _ => &[
            "Software Engineer",
            "Senior Software Engineer",
            "Software Engineer II",
            "Staff Software Engineer",
            "Test Engineer",
        ],
    }
}

const FIRST: &[&str] = &[
    "Ada", "Bela", "Caro", "Dani", "Emre", "Femi", "Gita", "Hugo", "Ines", "Joon", "Kalo", "Lina",
    "Mika", "Noor", "Oda", "Pavo", "Quin", "Rhea", "Sami", "Teo", "Uma", "Vida", "Wren", "Xeni",
    "Yara", "Zeno",
];
const SYLLABLES: &[&str] = &[
    "ber", "lin", "dqu", "ko", "sta", "ven", "mar", "tel", "orn", "ahl", "ric", "zo", "nen", "ska",
];
/// What exports put after a title: a team, a region.
const TEAMS: &[&str] = &[
    "Payments",
    "Core Platform",
    "Mobile",
    "Growth",
    "Data Platform",
];
const REGIONS: &[&str] = &["EMEA", "Americas", "APAC", "UK"];
const LOCATIONS: &[&str] = &[
    "Berlin",
    "Lisbon",
    "Toronto",
    "Austin",
    "Remote",
    "Singapore",
    "Dublin",
];

/// A person before writing.
#[derive(Debug, Clone)]
struct Node {
    title: String,
    role: Option<String>,
    family: String,
    manager: Option<usize>,
    /// Written as a raw manager id instead (planted defects).
    manager_text: Option<String>,
    id_text: Option<String>,
    start: String,
}

struct Gen<'a> {
    catalog: &'a Catalog,
    rng: fastrand::Rng,
    nodes: Vec<Node>,
    /// Direct reports of each node.
    reports: Vec<usize>,
    /// Role id → the roles it leads in the shape.
    led: BTreeMap<&'a str, Vec<&'a str>>,
    /// How many teams each team-leading role gets.
    teams_per_leaf: usize,
}

impl<'a> Gen<'a> {
    fn start_date(&mut self) -> String {
        let year = self.rng.u32(2010..=2025);
        format!(
            "{year}-{:02}-{:02}",
            self.rng.u32(1..=12),
            self.rng.u32(1..=28)
        )
    }

    fn add(
        &mut self,
        title: String,
        role: Option<String>,
        family: String,
        manager: Option<usize>,
    ) -> usize {
        let start = self.start_date();
        if let Some(m) = manager {
            self.reports[m] += 1;
        }
        self.reports.push(0);
        self.nodes.push(Node {
            title,
            role,
            family,
            manager,
            manager_text: None,
            id_text: None,
            start,
        });
        self.nodes.len() - 1
    }

    /// A title for a holder of `role`: its title or an alias, as exports
    /// spell them (case, a team after a comma).
    fn title_of(&mut self, role: &Role) -> String {
        let mut names: Vec<&str> = vec![role.title.as_str()];
        names.extend(role.aliases.iter().map(|a| a.as_str()));
        let name = names[self.rng.usize(..names.len())].to_owned();
        match self.rng.u8(..10) {
            0 => name.to_uppercase(),
            1 => name.to_lowercase(),
            2 => format!("{name}, {}", TEAMS[self.rng.usize(..TEAMS.len())]),
            3 => format!("{name} ({})", REGIONS[self.rng.usize(..REGIONS.len())]),
            4 => name
                .replace("Senior ", "Sr. ")
                .replace("Director", "Dir.")
                .replace("Manager", "Mgr"),
            _ => name,
        }
    }

    /// A new holder of `role` under `manager`, titled as exports spell it.
    fn hold(&mut self, role: &Role, manager: Option<usize>) -> usize {
        let title = self.title_of(role);
        self.add(
            title,
            Some(role.id.to_string()),
            role.family.to_string(),
            manager,
        )
    }

    fn span(&self, role: &Role) -> (usize, usize) {
        let level = self.catalog.level(&role.level);
        let (min, max) = level.map_or((None, None), |l| l.direct_reports());
        let max = max.map_or(8, usize::from).max(3);
        let min = min.map_or(3, usize::from).clamp(3, max);
        (min, max)
    }

    fn executive(&self, role: &Role) -> bool {
        self.catalog
            .level(&role.level)
            .is_some_and(|l| l.track == Track::Executive)
    }

    /// Places holders of `role` under `manager`; returns them.
    fn grow(&mut self, role: &'a Role, manager: usize) -> Vec<usize> {
        let led = self.led.get(role.id.as_str()).cloned().unwrap_or_default();
        let (min, max) = self.span(role);
        if led.is_empty() {
            // A team-leading role: its teams of individual contributors.
            let mut holders = Vec::new();
            for _ in 0..self.teams_per_leaf {
                let holder = self.hold(role, Some(manager));
                // Room left below the maximum for the planted defects.
                let size = self.rng.usize(min..=max.saturating_sub(3).max(min));
                self.contributors(holder, role.family.as_str(), size);
                holders.push(holder);
            }
            return holders;
        }
        let first = self.hold(role, Some(manager));
        let mut reports = Vec::new();
        for child in led {
            if let Some(child) = self.catalog.role(child) {
                reports.extend(self.grow(child, first));
            }
        }
        // Too many reports for one holder: more holders below the
        // executive levels, group leads above.
        let mut holders = vec![first];
        if reports.len() > max && !self.executive(role) {
            for _ in 1..reports.len().div_ceil(max) {
                let holder = self.hold(role, Some(manager));
                holders.push(holder);
            }
            for (i, report) in reports.iter().enumerate() {
                self.move_under(*report, holders[i % holders.len()]);
            }
        }
        // An executive keeps one holder: layers of group leads take the
        // overflow, as many as the span needs.
        let mut layer = reports;
        while layer.len() > max && self.executive(role) {
            let leads: Vec<usize> = (0..layer.len().div_ceil(max))
                .map(|_| {
                    self.add(
                        "Group Lead".into(),
                        None,
                        role.family.to_string(),
                        Some(first),
                    )
                })
                .collect();
            for (i, report) in layer.iter().enumerate() {
                self.move_under(*report, leads[i % leads.len()]);
            }
            layer = leads;
        }
        // Too few: senior individual contributors make up the span.
        for &holder in &holders {
            let have = self.reports[holder];
            if have < min {
                self.contributors(holder, role.family.as_str(), min - have);
            }
        }
        holders
    }

    fn move_under(&mut self, node: usize, manager: usize) {
        if let Some(old) = self.nodes[node].manager {
            self.reports[old] -= 1;
        }
        self.reports[manager] += 1;
        self.nodes[node].manager = Some(manager);
    }

    /// A leader of a team of contributors with room for `more` reports
    /// within their level's maximum, other than those in `not`.
    fn team_with_room(&self, more: usize, not: &[usize]) -> Option<usize> {
        (0..self.nodes.len()).find(|&i| {
            !not.contains(&i)
                && self.is_team(i)
                && self.nodes[i]
                    .role
                    .as_ref()
                    .and_then(|r| self.catalog.role(r))
                    .is_some_and(|role| self.reports[i] + more <= self.span(role).1)
        })
    }

    fn is_team(&self, i: usize) -> bool {
        self.nodes[i]
            .role
            .as_ref()
            .is_some_and(|r| !self.led.contains_key(r.as_str()))
    }

    fn contributors(&mut self, manager: usize, family: &str, count: usize) {
        let titles = contributor_titles(family);
        for _ in 0..count {
            let title = titles[self.rng.usize(..titles.len())].to_owned();
            self.add(title, None, family.to_owned(), Some(manager));
        }
    }

    fn name(&mut self, index: usize) -> (String, String) {
        let first = FIRST[self.rng.usize(..FIRST.len())];
        let mut last = String::new();
        for _ in 0..self.rng.usize(2..=3) {
            last.push_str(SYLLABLES[self.rng.usize(..SYLLABLES.len())]);
        }
        let mut chars = last.chars();
        let last = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect::<String>())
            .unwrap_or_default();
        let email = format!(
            "{}.{}{index}@example.com",
            first.to_lowercase(),
            last.to_lowercase()
        );
        (format!("{first} {last}"), email)
    }
}

/// The shape's parent of each role: the most junior catalog role above it
/// in its `reports_to`. Strictly more senior, so the shape is a tree.
fn shape(catalog: &Catalog) -> (Vec<&Role>, BTreeMap<&str, Vec<&str>>) {
    let rank = |role: &Role| catalog.level(&role.level).map_or(0, |l| l.rank);
    let mut tops = Vec::new();
    let mut led: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for role in catalog.roles() {
        let parent = role
            .scope
            .reports_to
            .iter()
            .filter_map(|r| r.role.as_ref())
            .filter_map(|id| catalog.role(id))
            .filter(|up| rank(up) > rank(role))
            .min_by_key(|up| rank(up));
        match parent {
            Some(up) => led
                .entry(up.id.as_str())
                .or_default()
                .push(role.id.as_str()),
            None => tops.push(&**role),
        }
    }
    (tops, led)
}

/// Generates an organisation for `catalog`.
pub fn generate(catalog: &Catalog, options: &SampleOptions) -> Sample {
    let (tops, led) = shape(catalog);
    let leaves = catalog
        .roles()
        .iter()
        .filter(|r| !led.contains_key(r.id.as_str()))
        .count()
        .max(1);
    // A team and its share of the layers above: about seven people; the
    // second pass corrects the estimate with what the first one made.
    let build = |teams_per_leaf: usize| {
        let mut generator = Gen {
            catalog,
            rng: fastrand::Rng::with_seed(options.seed),
            nodes: Vec::new(),
            reports: Vec::new(),
            led: led.clone(),
            teams_per_leaf,
        };
        let ceo = generator.add(
            "Chief Executive Officer".into(),
            None,
            "executive".into(),
            None,
        );
        for top in &tops {
            generator.grow(top, ceo);
        }
        // The rest of the executive team, outside the catalog.
        for title in [
            "Chief Financial Officer",
            "General Counsel",
            "Chief People Officer",
        ] {
            if generator.reports[ceo] < 4 {
                generator.add(title.into(), None, "executive".into(), Some(ceo));
            }
        }
        generator
    };
    let estimate = (options.people / 7 / leaves).max(1);
    let mut generator = build(estimate);
    let made = generator.nodes.len();
    if made.abs_diff(options.people) * 10 > options.people {
        let corrected = (estimate * options.people).div_ceil(made.max(1)).max(1);
        if corrected != estimate {
            let second = build(corrected);
            if second.nodes.len().abs_diff(options.people) < made.abs_diff(options.people) {
                generator = second;
            }
        }
    }
    let mut planted = Vec::new();
    if options.defects {
        plant(&mut generator, &mut planted);
    }
    write(generator, options, planted)
}

/// Plants one of each defect, on people added for the purpose (or, for
/// the unowned KPIs, retitled) so that each shows as planted.
fn plant(g: &mut Gen, planted: &mut Vec<Planted>) {
    let catalog = g.catalog;
    let id = |i: usize| format!("E{:06}", i + 1);
    // KPIs nobody owns: every holder of a team role that alone owns a
    // KPI is retitled to a title outside the catalog (first, so that no
    // other defect lands on them).
    let alone = catalog.roles().iter().find_map(|role| {
        if g.led.contains_key(role.id.as_str()) {
            return None;
        }
        let only: Vec<String> = role
            .kpis
            .iter()
            .filter(|k| catalog.kpi_owners(&k.kpi).len() == 1)
            .map(|k| k.kpi.to_string())
            .collect();
        (!only.is_empty()).then(|| (role.id.to_string(), only))
    });
    let gone = alone
        .as_ref()
        .map(|(role, _)| role.clone())
        .unwrap_or_default();
    if let Some((role, kpis)) = alone {
        for node in g
            .nodes
            .iter_mut()
            .filter(|n| n.role.as_deref() == Some(role.as_str()))
        {
            node.title = "Team Lead".into();
            node.role = None;
        }
        planted.extend(
            kpis.into_iter()
                .map(|k| Planted::Finding(format!("unowned-kpi:{k}"))),
        );
    }
    let Some(team) = g.team_with_room(3, &[]) else {
        return;
    };
    let family = g.nodes[team].family.clone();
    let team_role = g.nodes[team].role.clone().and_then(|r| catalog.role(&r));
    // An overloaded manager: a new leader of the same role with five
    // more reports than the level allows.
    if let Some(role) = team_role {
        let (_, max) = g.span(role);
        let manager = g.nodes[team].manager;
        let heavy = g.hold(role, manager);
        g.contributors(heavy, &family, max + 5);
        planted.push(Planted::Finding(format!("span-over:{}", id(heavy))));
    }
    // A one-over-one line: a contributor with a single report.
    let lead = g.add("Software Engineer".into(), None, family.clone(), Some(team));
    g.add("Software Engineer".into(), None, family.clone(), Some(lead));
    planted.push(Planted::Finding(format!("one-over-one:{}", id(lead))));
    // A reporting loop of two, a self-manager, an orphan, a second top.
    let a = g.add("Software Engineer".into(), None, family.clone(), None);
    let b = g.add("Software Engineer".into(), None, family.clone(), Some(a));
    g.move_under(a, b);
    planted.push(Planted::Finding(format!("cycle:{}", id(a))));
    let own = g.add("Software Engineer".into(), None, family.clone(), None);
    g.nodes[own].manager_text = Some(id(own));
    planted.push(Planted::Finding(format!("self-manager:{}", id(own))));
    let lost = g.add("Software Engineer".into(), None, family.clone(), None);
    g.nodes[lost].manager_text = Some("X999999".into());
    planted.push(Planted::Finding(format!("orphan:{}", id(lost))));
    g.add(
        "Chief Operating Officer".into(),
        None,
        "executive".into(),
        None,
    );
    planted.push(Planted::Finding("several-tops".into()));
    // A contradicting reporting line: a leader of a team role under a
    // team leader the blueprint does not put above that role.
    let pair = (0..g.nodes.len())
        .filter(|&i| i != team && g.is_team(i))
        .filter(|&i| {
            catalog
                .role(g.nodes[i].role.as_deref().unwrap_or(""))
                .is_some_and(|r| g.reports[i] < g.span(r).1)
        })
        .find_map(|host| {
            let host_role = g.nodes[host].role.clone()?;
            let odd = catalog.roles().iter().find(|r| {
                !g.led.contains_key(r.id.as_str())
                    && r.id.as_str() != gone
                    && catalog
                        .level(&r.level)
                        .is_some_and(|l| l.track == Track::Management)
                    && !crate::check::direct_reports_to(catalog, r).is_empty()
                    && !crate::check::reports_to_closure(catalog, r).contains(host_role.as_str())
            })?;
            Some((host, &**odd))
        });
    if let Some((host, other)) = pair {
        let odd = g.hold(other, Some(host));
        let (min, _) = g.span(other);
        g.contributors(odd, other.family.as_str(), min);
        planted.push(Planted::Finding(format!("reports-to:{}", id(odd))));
    }
    // A missing layer: four team leaders straight under a holder of a
    // role their blueprint puts further up.
    let team_roles: std::collections::BTreeSet<&str> = (0..g.nodes.len())
        .filter(|&t| g.is_team(t))
        .filter_map(|t| g.nodes[t].role.as_deref())
        .filter_map(|id| catalog.role(id).map(|r| r.id.as_str()))
        .collect();
    let skip = team_roles
        .into_iter()
        .filter_map(|id| catalog.role(id))
        .find_map(|role| {
            let direct = crate::check::direct_reports_to(catalog, role);
            let above = crate::check::reports_to_closure(catalog, role);
            (0..g.nodes.len()).find_map(|x| {
                let held = catalog.role(g.nodes[x].role.as_deref()?)?;
                let fits = !direct.contains(&held.id.as_str())
                    && above.contains(held.id.as_str())
                    && g.reports[x] + 4 <= g.span(held).1;
                if !fits {
                    return None;
                }
                let missing = crate::check::missing_layer(catalog, role, &held.id)?;
                Some((role, x, missing.to_owned()))
            })
        });
    if let Some((role, grand, boss_role)) = skip {
        let (min, _) = g.span(role);
        for _ in 0..4 {
            let leader = g.hold(role, Some(grand));
            g.contributors(leader, role.family.as_str(), min);
        }
        planted.push(Planted::Finding(format!(
            "missing-layer:{}:{boss_role}",
            id(grand)
        )));
    }
    // Bad rows: a duplicate id, an empty title, a date that is none.
    let Some(host) = g.team_with_room(2, &[]) else {
        return;
    };
    let dup = g.add("Software Engineer".into(), None, family.clone(), Some(host));
    g.reports[host] -= 1; // left out of the organisation when read
    g.nodes[dup].id_text = Some(id(host));
    planted.push(Planted::Problem {
        line: dup as u64 + 2,
        what: "duplicate employee id",
    });
    let untitled = g.add(String::new(), None, family.clone(), Some(host));
    planted.push(Planted::Problem {
        line: untitled as u64 + 2,
        what: "empty title",
    });
    let undated = g.add("Software Engineer".into(), None, family, Some(host));
    g.nodes[undated].start = "31/31/2020".into();
    planted.push(Planted::Problem {
        line: undated as u64 + 2,
        what: "unparseable date",
    });
}

fn write(mut g: Gen, options: &SampleOptions, planted: Vec<Planted>) -> Sample {
    let preset: &Preset = preset(&options.preset).unwrap_or(&crate::columns::PRESETS[0]);
    let column = |field: Field| {
        preset
            .columns
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(field.key(), |(_, names)| names[0])
    };
    let mut csv = String::with_capacity(g.nodes.len() * 120);
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(Field::ALL.map(column));
    let mut intended = Vec::with_capacity(g.nodes.len());
    for i in 0..g.nodes.len() {
        let (name, email) = g.name(i);
        let location = LOCATIONS[g.rng.usize(..LOCATIONS.len())];
        let node = &g.nodes[i];
        let id = node
            .id_text
            .clone()
            .unwrap_or_else(|| format!("E{:06}", i + 1));
        let manager = node
            .manager_text
            .clone()
            .or_else(|| node.manager.map(|m| format!("E{:06}", m + 1)))
            .unwrap_or_default();
        let department = node.family.clone();
        let _ = writer.write_record([
            id.as_str(),
            &name,
            &email,
            &node.title,
            &manager,
            &department,
            location,
            &node.start,
        ]);
        intended.push(node.role.clone());
    }
    if let Ok(bytes) = writer.into_inner() {
        let _ = write!(csv, "{}", String::from_utf8_lossy(&bytes));
    }
    Sample {
        csv,
        planted,
        intended,
    }
}
