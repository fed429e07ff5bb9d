//! Writes a large CSV of job titles as an HR system holds them, for the
//! batch resolution benchmark: catalog titles and aliases bent the ways
//! people write them (abbreviations, reordering around commas, team and
//! region suffixes, levels above and below, typos, case), acronyms, and a
//! fifth of titles from outside technology leadership. Columns:
//! employee_id, title, department. Output is the same for the same
//! arguments.
//!
//! Usage: cargo run --release -p rolebook-search --example generate_titles -- OUT.csv [ROWS]

mod common;

use std::fs::File;
use std::io::{BufWriter, Write};

use common::Rng;

const TEAMS: &[&str] = &[
    "Payments",
    "EMEA",
    "APAC",
    "Americas",
    "Core Platform",
    "Mobile",
    "Data Platform",
    "Search",
    "Identity",
    "Risk",
    "Retail Banking",
    "Cloud",
    "Growth",
    "Checkout",
    "Ads",
    "Logistics",
    "Healthcare",
    "Public Sector",
    "Consumer",
    "Enterprise",
    "Infrastructure",
    "Trust & Safety",
];

const OUTSIDE: &[&str] = &[
    "Registered Nurse",
    "Sales Director",
    "Account Executive",
    "Mechanical Engineering Manager",
    "Security Guard",
    "Software Engineer",
    "Senior Software Engineer",
    "Data Scientist",
    "Product Manager",
    "HR Business Partner",
    "Finance Director",
    "Chief Financial Officer",
    "Marketing Manager",
    "Store Manager",
    "Warehouse Supervisor",
    "Customer Success Manager",
    "Recruiter",
    "Office Manager",
    "Legal Counsel",
    "Executive Assistant",
    "Chief Operating Officer",
    "Site Reliability Engineer",
    "DevOps Engineer",
    "Business Analyst",
    "UX Designer",
    "Civil Engineer",
    "Project Manager",
    "Scrum Master",
    "Payroll Specialist",
    "Controller",
];

const DEPARTMENTS: &[&str] = &[
    "Technology",
    "Operations",
    "Product",
    "Security",
    "Data",
    "Corporate",
];

fn typo(word: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() >= 6 {
        let i = 1 + rng.below(chars.len() - 3);
        chars.swap(i, i + 1);
    }
    chars.into_iter().collect()
}

fn bend(title: &str, rng: &mut Rng) -> String {
    let mut title = title.to_string();
    for (long, short) in [
        ("Senior", "Sr."),
        ("Director", "Dir."),
        ("Manager", "Mgr"),
        ("Engineering", "Eng"),
        ("Vice President", "VP"),
        ("Operations", "Ops"),
        ("Infrastructure", "Infra"),
    ] {
        if rng.below(3) == 0 {
            title = title.replace(long, short);
        }
    }
    if rng.below(4) == 0
        && let Some(rest) = title.strip_prefix("Director of ")
    {
        title = format!("Director, {rest}");
    }
    if rng.below(5) == 0 {
        title = format!(
            "{} {title}",
            rng.pick(&["Senior", "Deputy", "Interim", "Global"])
        );
    }
    if rng.below(8) == 0 {
        let words: Vec<String> = title
            .split(' ')
            .map(|w| {
                if w.len() >= 6 && rng.below(3) == 0 {
                    typo(w, rng)
                } else {
                    w.to_string()
                }
            })
            .collect();
        title = words.join(" ");
    }
    match rng.below(6) {
        0 => title = format!("{title}, {}", rng.pick(TEAMS)),
        1 => title = format!("{title} - {}", rng.pick(TEAMS)),
        2 => title = format!("{title} ({})", rng.pick(TEAMS)),
        _ => {}
    }
    match rng.below(10) {
        0 => title.to_uppercase(),
        1 => title.to_lowercase(),
        _ => title,
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: generate_titles OUT.csv [ROWS]")?;
    let rows: usize = args
        .next()
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(1_000_000);
    let catalog = common::builtin_catalog()?;
    let names: Vec<String> = catalog
        .roles()
        .iter()
        .flat_map(|r| {
            std::iter::once(r.title.to_string()).chain(r.aliases.iter().map(|a| a.to_string()))
        })
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut rng = Rng(0x717e5);
    let mut out = BufWriter::new(File::create(&path)?);
    let mut writer = csv::Writer::from_writer(&mut out);
    writer.write_record(["employee_id", "title", "department"])?;
    for i in 0..rows {
        let title = match rng.below(10) {
            0 | 1 => bend(rng.pick::<&str>(OUTSIDE), &mut rng),
            2 => bend(
                rng.pick::<&str>(&["CDO", "CTO", "CISO", "CIO", "CPO", "CAIO", "VPE"]),
                &mut rng,
            ),
            _ => bend(rng.pick::<&str>(&names), &mut rng),
        };
        writer.write_record([format!("E{i:07}").as_str(), &title, *rng.pick(DEPARTMENTS)])?;
    }
    writer.flush()?;
    drop(writer);
    out.flush()?;
    eprintln!("wrote {rows} titles to {path}");
    Ok(())
}
