//! Generated organisations: a clean one has no finding, and every planted
//! defect is found where it was put.

mod common;

use rolebook_org::ReadOptions;
use rolebook_org::sample::{Planted, SampleOptions, generate};

fn sample(people: usize, seed: u64, defects: bool) -> SampleOptions {
    SampleOptions {
        people,
        seed,
        defects,
        ..SampleOptions::default()
    }
}

#[test]
fn a_clean_organisation_has_no_finding() {
    let catalog = common::catalog();
    for (people, seed) in [(50, 1), (2_000, 2), (2_000, 3)] {
        let sample = generate(&catalog, &sample(people, seed, false));
        let (org, check) = common::run(&catalog, sample.csv.as_bytes(), &ReadOptions::default());
        let found: Vec<&str> = check.findings.iter().map(|f| f.message.as_str()).collect();
        assert!(found.is_empty(), "{people} people, seed {seed}: {found:#?}");
        assert!(
            org.export.people.problems.is_empty(),
            "{:?}",
            org.export.people.problems
        );
        // Every title landed on the role it was written for.
        for (i, intended) in sample.intended.iter().enumerate() {
            assert_eq!(
                org.titles.role_of(i),
                intended.as_deref(),
                "{:?}",
                org.export.people.people[i]
            );
        }
        assert_eq!(check.figures.trees, 1);
    }
}

fn assert_planted_found(
    catalog: &rolebook_core::Catalog,
    people: usize,
    seed: u64,
    max_missed_percent: usize,
) {
    let sample = generate(catalog, &sample(people, seed, true));
    let (org, check) = common::run(catalog, sample.csv.as_bytes(), &ReadOptions::default());
    let kinds: Vec<&str> = sample
        .planted
        .iter()
        .map(|p| match p {
            Planted::Finding(id) => id.split(':').next().unwrap_or(""),
            Planted::Problem { what, .. } => what,
        })
        .collect();
    for kind in [
        "span-over",
        "one-over-one",
        "cycle",
        "self-manager",
        "orphan",
        "several-tops",
        "reports-to",
        "missing-layer",
        "unowned-kpi",
        "duplicate employee id",
        "empty title",
        "unparseable date",
    ] {
        assert!(
            kinds.contains(&kind),
            "{people} people: nothing of kind {kind} was planted: {kinds:?}"
        );
    }
    // Every title, in whatever spelling, landed on the role it was
    // written for (rows by line: a left-out row shifts the people).
    // Titles in the spellings exports use land on the role they were
    // written for: all of them on a catalog the resolver knows well, nearly
    // all on the built-in one (the misses are the resolver's, shown).
    let mut wrong = std::collections::BTreeSet::new();
    let (mut meant, mut missed) = (0, 0);
    for (i, person) in org.export.people.people.iter().enumerate() {
        let intended = sample.intended[person.line as usize - 2].as_deref();
        meant += usize::from(intended.is_some());
        if org.titles.role_of(i) != intended {
            missed += 1;
            wrong.insert(format!(
                "{:?} -> {:?} (meant {intended:?})",
                person.title,
                org.titles.role_of(i)
            ));
        }
    }
    assert!(
        missed * 100 <= meant * max_missed_percent,
        "{missed} of {meant}: {wrong:#?}"
    );
    for planted in &sample.planted {
        match planted {
            Planted::Finding(id) => {
                let finding = check.findings.iter().find(|f| &f.id == id);
                let finding = finding.unwrap_or_else(|| {
                    panic!(
                        "planted {id} not found among {:#?}",
                        check.findings.iter().map(|f| &f.id).collect::<Vec<_>>()
                    )
                });
                // Located: the people it names are on the lines they are
                // in the file.
                for who in &finding.people {
                    let person = org
                        .export
                        .people
                        .people
                        .iter()
                        .find(|p| p.id == who.id)
                        .expect("present");
                    assert_eq!(who.line, person.line, "{id}");
                }
            }
            Planted::Problem { line, what } => {
                assert!(
                    org.export.people.problems.iter().any(|p| p.line == *line),
                    "planted {what} on line {line} not reported: {:#?}",
                    org.export.people.problems
                );
            }
        }
    }
}

#[test]
fn planted_defects_are_found_on_the_test_catalog() {
    let catalog = common::catalog();
    for (people, seed) in [(50, 4), (2_000, 5)] {
        assert_planted_found(&catalog, people, seed, 0);
    }
}

#[test]
fn planted_defects_are_found_on_the_built_in_catalog() {
    let catalog = rolebook_core::load(rolebook_core::builtin::sources())
        .catalog
        .expect("present");
    for (people, seed) in [(50, 6), (2_000, 7)] {
        assert_planted_found(&catalog, people, seed, 5);
    }
}

#[test]
fn the_same_seed_gives_the_same_organisation() {
    let catalog = common::catalog();
    let a = generate(&catalog, &sample(500, 9, true));
    let b = generate(&catalog, &sample(500, 9, true));
    let c = generate(&catalog, &sample(500, 10, true));
    assert_eq!(a.csv, b.csv);
    assert_ne!(a.csv, c.csv);
}
