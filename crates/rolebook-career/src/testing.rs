//! Small hand-made catalogs for unit tests, built from in-memory sources
//! through the real loader so every test catalog is a valid one.

use std::collections::BTreeSet;
use std::fmt::Write;

use rolebook_core::{Catalog, SourceFile, Sources, diagnostic, load};

/// One role of a test catalog.
#[derive(Debug, Default, Clone, Copy)]
pub struct Spec<'a> {
    pub id: &'a str,
    pub family: &'a str,
    pub level: &'a str,
    pub skills: &'a [SkillSpec<'a>],
    pub next: &'a [&'a str],
    pub feeders: &'a [&'a str],
    pub lateral: &'a [&'a str],
    /// (KPI id, target); the catalog has `uptime` and `latency`.
    pub kpis: &'a [(&'a str, &'a str)],
}

const FRAMEWORK: &str = r#"
[[levels]]
id = "manager"
name = "Manager"
rank = 4
track = "management"
sfia_level = 5
autonomy = "Runs one team."
influence = "Team and peers."
complexity = "One service area."
span_of_control = "5 to 10 people."
budget = "Small discretionary budget."
time_horizon = "One to two quarters."

[[levels]]
id = "senior-manager"
name = "Senior Manager"
rank = 5
track = "management"
sfia_level = 5
autonomy = "Runs related teams."
influence = "The department."
complexity = "Several teams."
span_of_control = "10 to 30 people."
budget = "Team budget."
time_horizon = "Two to four quarters."

[[levels]]
id = "director"
name = "Director"
rank = 6
track = "management"
sfia_level = 6
autonomy = "Runs a function."
influence = "Executives."
complexity = "A portfolio."
span_of_control = "25 to 100 people."
budget = "Operating budget."
time_horizon = "One to two years."

[[levels]]
id = "vice-president"
name = "Vice President"
rank = 8
track = "executive"
sfia_level = 7
autonomy = "Sets strategy."
influence = "The board."
complexity = "Company-wide."
span_of_control = "80 to 500 people."
budget = "Multi-million budget."
time_horizon = "Two to three years."

[[families]]
id = "fam"
name = "Family"
description = "The main family."

[[families]]
id = "other"
name = "Other family"
description = "Another family."

[[proficiency]]
level = 1
name = "Awareness"
descriptor = "Knows the terms."

[[proficiency]]
level = 2
name = "Working"
descriptor = "Applies with guidance."

[[proficiency]]
level = 3
name = "Practitioner"
descriptor = "Applies independently."

[[proficiency]]
level = 4
name = "Advanced"
descriptor = "Handles complex cases."

[[proficiency]]
level = 5
name = "Expert"
descriptor = "Sets the standard."
"#;

const KPIS: &str = r#"
[[kpis]]
id = "uptime"
name = "Uptime"
category = "reliability"
definition = "Share of time up."
formula = "up / total"
unit = "%"
direction = "higher-is-better"
cadence = "monthly"
data_sources = ["monitoring"]
pitfalls = ["averages hide outages"]

[[kpis]]
id = "latency"
name = "Latency"
category = "reliability"
definition = "Time to respond."
formula = "p99 of response time"
unit = "ms"
direction = "lower-is-better"
cadence = "weekly"
data_sources = ["tracing"]
pitfalls = ["percentiles of percentiles"]
"#;

/// (skill id, level, core?)
pub type SkillSpec<'a> = (&'a str, u8, bool);

/// A catalog of `(id, family, level, skills)` roles with no career moves.
pub fn catalog(roles: &[(&str, &str, &str, &[SkillSpec])]) -> Catalog {
    let specs: Vec<Spec> = roles
        .iter()
        .map(|&(id, family, level, skills)| Spec {
            id,
            family,
            level,
            skills,
            ..Spec::default()
        })
        .collect();
    catalog_of(&specs)
}

/// The source files of a test catalog: the fixed framework and KPIs, a
/// skill for every skill id the roles use, and one file per role.
fn sources_of(roles: &[Spec]) -> Sources {
    let skills: BTreeSet<&str> = roles
        .iter()
        .flat_map(|r| r.skills.iter().map(|s| s.0))
        .collect();
    let mut skill_text = String::new();
    for skill in &skills {
        let _ = write!(
            skill_text,
            "[[skills]]\nid = \"{skill}\"\nname = \"Skill {skill}\"\ncategory = \"technical\"\ndescription = \"Skill {skill}.\"\n\n[skills.levels]\n"
        );
        // Skills named `*-sparse` describe only levels 3 to 5, so plans
        // have to fall back to the proficiency scale below that.
        let lowest = if skill.ends_with("-sparse") { 3 } else { 1 };
        for level in lowest..=5 {
            let _ = writeln!(skill_text, "{level} = \"{skill} at level {level}.\"");
        }
        skill_text.push('\n');
    }
    let mut files = vec![
        SourceFile::new("framework.toml", FRAMEWORK),
        SourceFile::new("kpis.toml", KPIS),
        SourceFile::new("skills.toml", skill_text),
    ];
    for role in roles {
        let mut text = format!(
            "id = \"{id}\"\ntitle = \"Role {id}\"\nfamily = \"{family}\"\nlevel = \"{level}\"\nsummary = \"Role {id}.\"\npurpose = \"Role {id}.\"\n\n[scope]\ndirect_reports = \"{id} reports\"\nspan = \"{id} span\"\norg_size = \"{id} org\"\nbudget = \"{id} budget\"\ntime_horizon = \"{id} horizon\"\n\n",
            id = role.id,
            family = role.family,
            level = role.level,
        );
        for (skill, level, core) in role.skills {
            let importance = if *core { "core" } else { "supporting" };
            let _ = write!(
                text,
                "[[skills]]\nskill = \"{skill}\"\nlevel = {level}\nimportance = \"{importance}\"\n\n"
            );
        }
        for (kpi, target) in role.kpis {
            let _ = write!(
                text,
                "[[kpis]]\nkpi = \"{kpi}\"\ntarget = \"{target}\"\nwhy = \"Owned.\"\n\n"
            );
        }
        for (list, ids) in [
            ("next", role.next),
            ("feeders", role.feeders),
            ("lateral", role.lateral),
        ] {
            for id in ids {
                let _ = write!(
                    text,
                    "[[career.{list}]]\nrole = \"{id}\"\nnote = \"{} to {id}\"\n\n",
                    role.id
                );
            }
        }
        text.push_str("[provenance]\nlast_reviewed = 2026-11-26\n");
        files.push(SourceFile::new(format!("roles/{}.toml", role.id), text));
    }
    Sources::new(files)
}

/// A valid catalog of `roles`; panics (in tests only) with the diagnostics
/// when the specification is not a valid catalog.
pub fn catalog_of(roles: &[Spec]) -> Catalog {
    let loaded = load(sources_of(roles));
    let rendered = diagnostic::render(&loaded.sources, &loaded.diagnostics, false);
    loaded
        .catalog
        .unwrap_or_else(|| panic!("test catalog is invalid:\n{rendered}"))
}

/// An owned role specification, for generated catalogs.
#[derive(Debug, Clone)]
pub struct OwnedSpec {
    pub id: String,
    pub family: &'static str,
    pub level: &'static str,
    pub skills: Vec<(&'static str, u8, bool)>,
    pub next: Vec<String>,
    pub lateral: Vec<String>,
}

/// A valid catalog from owned specifications.
pub fn catalog_of_owned(roles: &[OwnedSpec]) -> Catalog {
    let next: Vec<Vec<&str>> = roles
        .iter()
        .map(|r| r.next.iter().map(String::as_str).collect())
        .collect();
    let lateral: Vec<Vec<&str>> = roles
        .iter()
        .map(|r| r.lateral.iter().map(String::as_str).collect())
        .collect();
    let specs: Vec<Spec> = roles
        .iter()
        .enumerate()
        .map(|(i, r)| Spec {
            id: &r.id,
            family: r.family,
            level: r.level,
            skills: &r.skills,
            next: &next[i],
            lateral: &lateral[i],
            ..Spec::default()
        })
        .collect();
    catalog_of(&specs)
}

/// A proptest strategy for small valid catalogs with random skills, next
/// moves (always towards a later role, so never contradictory) and lateral
/// moves.
pub fn arbitrary_roles() -> impl proptest::strategy::Strategy<Value = Vec<OwnedSpec>> {
    use proptest::prelude::*;
    const FAMILIES: [&str; 2] = ["fam", "other"];
    const LEVELS: [&str; 4] = ["manager", "senior-manager", "director", "vice-president"];
    const SKILLS: [&str; 4] = ["a", "b", "c", "d"];
    (2usize..8).prop_flat_map(|n| {
        let role = (
            0..FAMILIES.len(),
            0..LEVELS.len(),
            proptest::collection::vec((0..SKILLS.len(), 2u8..=5, any::<bool>()), 1..4),
        );
        (
            proptest::collection::vec(role, n),
            proptest::collection::vec(0u8..4, n * n),
        )
            .prop_map(move |(roles, links)| {
                let mut specs: Vec<OwnedSpec> = roles
                    .into_iter()
                    .enumerate()
                    .map(|(i, (family, level, skills))| {
                        let mut seen = BTreeSet::new();
                        OwnedSpec {
                            id: format!("r{i}"),
                            family: FAMILIES[family],
                            level: LEVELS[level],
                            skills: skills
                                .into_iter()
                                .filter(|(s, _, _)| seen.insert(*s))
                                .map(|(s, l, core)| (SKILLS[s], l, core))
                                .collect(),
                            next: Vec::new(),
                            lateral: Vec::new(),
                        }
                    })
                    .collect();
                for i in 0..n {
                    for j in 0..n {
                        match links[i * n + j] {
                            0 if i < j => specs[i].next.push(format!("r{j}")),
                            1 if i != j => specs[i].lateral.push(format!("r{j}")),
                            _ => {}
                        }
                    }
                }
                specs
            })
    })
}

/// `cases` property-test cases, or `PROPTEST_CASES` when set (for long
/// local runs).
pub fn proptest_config(cases: u32) -> proptest::prelude::ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    proptest::prelude::ProptestConfig::with_cases(cases)
}
