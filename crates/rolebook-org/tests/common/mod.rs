//! A small catalog whose reporting lines, spans and feeders hold together,
//! so that a generated organisation on it has no finding at all; and
//! helpers to run the whole pipeline on CSV text.

#![allow(dead_code)]

use rolebook_core::{Catalog, SourceFile, Sources, diagnostic, load};
use rolebook_org::check::Check;
use rolebook_org::titles::Corrections;
use rolebook_org::{Organisation, ReadOptions, read};
use rolebook_search::TitleResolver;

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
span_of_control = "5 to 9 direct reports."
direct_reports_min = 5
direct_reports_max = 9
budget = "Small discretionary budget."
time_horizon = "One to two quarters."

[[levels]]
id = "director"
name = "Director"
rank = 6
track = "management"
sfia_level = 6
autonomy = "Runs a function."
influence = "Executives."
complexity = "A portfolio."
span_of_control = "3 to 8 managers."
direct_reports_min = 3
direct_reports_max = 8
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
span_of_control = "3 to 8 directors."
direct_reports_min = 3
direct_reports_max = 8
budget = "Multi-million budget."
time_horizon = "Two to three years."

[[levels]]
id = "c-level"
name = "C-level"
rank = 9
track = "executive"
sfia_level = 7
autonomy = "Sets direction."
influence = "The board."
complexity = "The company."
span_of_control = "3 to 8 executives."
direct_reports_min = 3
direct_reports_max = 8
budget = "The domain's budget."
time_horizon = "Three to five years."

[[families]]
id = "engineering"
name = "Engineering"
description = "Builds the product."

[[families]]
id = "reliability"
name = "Reliability"
description = "Runs the product."

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

const KPIS: &[&str] = &[
    "strategy-kpi",
    "delivery-kpi",
    "portfolio-kpi",
    "team-kpi",
    "uptime-kpi",
    "restore-kpi",
];

/// (id, title, alias, family, level, reports_to, feeders, kpis)
type RoleSpec = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

const ROLES: &[RoleSpec] = &[
    (
        "cto",
        "Chief Technology Officer",
        "CTO",
        "engineering",
        "c-level",
        "",
        "vp-eng",
        &["strategy-kpi"],
    ),
    (
        "vp-eng",
        "VP of Engineering",
        "VPE",
        "engineering",
        "vice-president",
        "cto",
        "eng-director",
        &["delivery-kpi"],
    ),
    (
        "eng-director",
        "Director of Engineering",
        "Engineering Director",
        "engineering",
        "director",
        "vp-eng",
        "eng-manager",
        &["portfolio-kpi"],
    ),
    (
        "eng-manager",
        "Engineering Manager",
        "Software Development Manager",
        "engineering",
        "manager",
        "eng-director",
        "",
        &["team-kpi"],
    ),
    (
        "sre-manager",
        "SRE Manager",
        "Site Reliability Engineering Manager",
        "reliability",
        "manager",
        "eng-director",
        "",
        &["uptime-kpi", "restore-kpi"],
    ),
];

pub fn catalog() -> Catalog {
    let mut kpis = String::new();
    for id in KPIS {
        kpis.push_str(&format!(
            "[[kpis]]\nid = \"{id}\"\nname = \"KPI {id}\"\ncategory = \"delivery\"\ndefinition = \"The {id}.\"\nformula = \"a / b\"\nunit = \"%\"\ndirection = \"higher-is-better\"\ncadence = \"monthly\"\ndata_sources = [\"a\"]\npitfalls = [\"b\"]\n\n"
        ));
    }
    let skills = "[[skills]]\nid = \"leading\"\nname = \"Leading\"\ncategory = \"leadership\"\ndescription = \"Leading people.\"\n\n[skills.levels]\n1 = \"a\"\n2 = \"b\"\n3 = \"c\"\n4 = \"d\"\n5 = \"e\"\n";
    let mut files = vec![
        SourceFile::new("framework.toml", FRAMEWORK),
        SourceFile::new("kpis/kpis.toml", kpis),
        SourceFile::new("skills/skills.toml", skills),
    ];
    for (id, title, alias, family, level, reports_to, feeders, owned) in ROLES {
        let mut text = format!(
            "id = \"{id}\"\ntitle = \"{title}\"\naliases = [\"{alias}\"]\nfamily = \"{family}\"\nlevel = \"{level}\"\nsummary = \"{title}.\"\npurpose = \"{title}.\"\n\n[scope]\n"
        );
        if reports_to.is_empty() {
            text.push_str("reports_to = [{ title = \"Chief Executive Officer\" }]\n");
        } else {
            text.push_str(&format!("reports_to = [{{ role = \"{reports_to}\" }}]\n"));
        }
        text.push_str("direct_reports = \"some\"\nspan = \"some\"\norg_size = \"some\"\nbudget = \"some\"\ntime_horizon = \"some\"\n\n");
        text.push_str("[[skills]]\nskill = \"leading\"\nlevel = 3\nimportance = \"core\"\n\n");
        for kpi in *owned {
            text.push_str(&format!(
                "[[kpis]]\nkpi = \"{kpi}\"\ntarget = \"90%\"\nwhy = \"Owned.\"\n\n"
            ));
        }
        if !feeders.is_empty() {
            text.push_str(&format!(
                "[[career.feeders]]\nrole = \"{feeders}\"\nnote = \"Steps up.\"\n\n"
            ));
        }
        text.push_str("[provenance]\nlast_reviewed = 2026-11-26\n");
        files.push(SourceFile::new(format!("roles/{id}.toml"), text));
    }
    let loaded = load(Sources::new(files));
    let rendered = diagnostic::render(&loaded.sources, &loaded.diagnostics, false);
    loaded
        .catalog
        .unwrap_or_else(|| panic!("the test catalog is invalid:\n{rendered}"))
}

/// Reads, places and checks an export.
pub fn run(catalog: &Catalog, bytes: &[u8], options: &ReadOptions) -> (Organisation, Check) {
    let export = read(bytes, options).unwrap_or_else(|e| panic!("cannot read: {e}"));
    let resolver = TitleResolver::new(catalog);
    let org = Organisation::new(export, &resolver, &Corrections::default());
    let check = org.check(catalog);
    (org, check)
}
