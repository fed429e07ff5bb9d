//! In-process benchmark of the career analysis, with baselines measured in
//! the same run:
//!
//! (a) ranking every role of a large generated catalog for one profile
//!     (`fit`), against loading and validating that catalog;
//! (b) 10,000 generated profiles, each parsed and ranked against the
//!     built-in catalog, against parsing alone.
//!
//! It also times building the career graph of the large catalog and one
//! `next` and `path` query on it.
//!
//! Usage (see bench/career.sh):
//!   cargo run --release -p rolebook-career --example career_bench -- CATALOG_DIR [PROFILES]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rolebook_career::{Career, CareerGraph, Profile, parse_profile};
use rolebook_core::{Catalog, Sources, builtin, load};

const EXAMPLE_PROFILE: &str = include_str!("../../../testdata/profiles/example.toml");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .ok_or("usage: career_bench CATALOG_DIR [PROFILES]")?,
    );
    let profile_count: usize = args
        .next()
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(10_000);

    // (a) one profile, every role of the large catalog.
    let sources = Sources::from_dir(&dir)?;
    let (large, load_time) = time(|| load(sources.clone()));
    let large = large.catalog.ok_or("the generated catalog must be valid")?;
    let profile = parse_profile("example.toml", EXAMPLE_PROFILE, &large)
        .profile
        .ok_or("the example profile must be valid")?;
    let (career, index_time) = time(|| Career::new(&large));
    let runs = 50;
    let fit_times: Vec<Duration> = (0..runs)
        .map(|_| time(|| career.fit(&profile, None)).1)
        .collect();
    let ranked = career.fit(&profile, None).roles.len();
    println!("(a) one profile against {} roles", large.roles().len());
    println!(
        "    baseline: load and validate the catalog   {:>10}",
        ms(load_time)
    );
    println!(
        "    index the catalog for analysis (once)     {:>10}",
        ms(index_time)
    );
    println!(
        "    fit: rank all {ranked} roles, median of {runs}   {:>10}",
        ms(median(fit_times))
    );
    let (graph, graph_time) = time(|| CareerGraph::new(&career));
    let from = large.role("sre-manager").ok_or("sre-manager")?;
    let to = large.role("chief-technology-officer").ok_or("cto")?;
    let next_time = time(|| graph.next(from)).1;
    let path_time = time(|| graph.paths(from, to, 3)).1;
    println!(
        "    career graph: {} moves, built in          {:>10}",
        graph.edges().len(),
        ms(graph_time)
    );
    println!(
        "    next sre-manager                          {:>10}",
        ms(next_time)
    );
    println!(
        "    path sre-manager → CTO, k = 3             {:>10}",
        ms(path_time)
    );

    // (b) many profiles, the built-in catalog.
    let builtin = load(builtin::sources())
        .catalog
        .ok_or("the built-in catalog must be valid")?;
    let texts: Vec<String> = (0..profile_count)
        .map(|i| generated_profile(&builtin, i as u64).to_toml())
        .collect();
    let (parsed, parse_time) = time(|| {
        texts
            .iter()
            .map(|t| parse_profile("p.toml", t, &builtin).profile)
            .collect::<Vec<Option<Profile>>>()
    });
    let valid = parsed.iter().flatten().count();
    if valid != profile_count {
        return Err(format!("only {valid} of {profile_count} generated profiles are valid").into());
    }
    let career = Career::new(&builtin);
    let (ranked, total_time) = time(|| {
        texts
            .iter()
            .filter_map(|t| parse_profile("p.toml", t, &builtin).profile)
            .map(|p| career.fit(&p, None).roles.len())
            .sum::<usize>()
    });
    println!(
        "(b) {profile_count} profiles against the built-in catalog ({} roles)",
        builtin.roles().len()
    );
    println!(
        "    baseline: parse and check every profile   {:>10}",
        ms(parse_time)
    );
    println!(
        "    parse, check and fit every profile        {:>10}  ({ranked} rankings, {:.1} µs per profile)",
        ms(total_time),
        total_time.as_secs_f64() * 1e6 / profile_count as f64
    );
    Ok(())
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed())
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// A deterministic pseudo-random profile: 8 to 23 distinct skills at
/// levels 1 to 5 (a 64-bit LCG, so runs are comparable).
fn generated_profile(catalog: &Catalog, seed: u64) -> Profile {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = |bound: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % bound
    };
    let skills = catalog.skills();
    let count = 8 + next(16);
    let mut chosen: Vec<usize> = Vec::with_capacity(count);
    while chosen.len() < count {
        let s = next(skills.len());
        if !chosen.contains(&s) {
            chosen.push(s);
        }
    }
    let roles = catalog.roles();
    Profile {
        name: Some(format!("Person {seed}")),
        current_role: Some(roles[next(roles.len())].id.to_string()),
        skills: chosen
            .into_iter()
            .map(|s| rolebook_career::profile::AssessedSkill {
                skill: skills[s].id.to_string(),
                level: 1 + next(5) as u8,
                manager_level: None,
                evidence: None,
            })
            .collect(),
    }
}
