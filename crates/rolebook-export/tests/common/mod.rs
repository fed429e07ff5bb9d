//! Shared by the integration tests: the export fixture catalog, the
//! built-in catalog, and the outside tools some tests read files back with.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use rolebook_core::{Catalog, Sources, builtin, load};
use rolebook_export::jd::{
    Date, EmploymentType, Location, PostingOptions, Salary, SalaryPeriod, Section,
};

/// `testdata/catalogs/valid/export`: two roles whose text carries the
/// characters every format must escape.
pub fn fixture() -> Catalog {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/catalogs/valid/export");
    let sources = Sources::from_dir(&dir).expect("the export fixture is readable");
    load(sources)
        .catalog
        .expect("the export fixture is a valid catalog")
}

pub fn builtin_catalog() -> Catalog {
    load(builtin::sources())
        .catalog
        .expect("the built-in catalog is valid")
}

/// A posting with every option set, on a fixed date.
pub fn full_options() -> PostingOptions {
    PostingOptions {
        company: Some("Acme & Sons".to_string()),
        company_url: Some("https://acme.example".to_string()),
        about: Some(
            "Acme & Sons makes <tools> for builders.\n\nWe are 600 people in Austin and remote."
                .to_string(),
        ),
        working_model: Some("Hybrid: two days a week in the Austin office".to_string()),
        benefits: vec![
            "Thirty days of leave".to_string(),
            "A learning budget of USD 2,000".to_string(),
        ],
        equal_opportunity: Some("We welcome applicants of every background.".to_string()),
        how_to_apply: Some("Send your CV to jobs@acme.example.".to_string()),
        sections: Section::ALL.to_vec(),
        locations: vec![Location::parse("Austin, TX, US").expect("location")],
        remote: vec!["United States".to_string()],
        employment_type: EmploymentType::FullTime,
        salary: Some(Salary::parse("150k-190k", "usd", SalaryPeriod::Year).expect("salary")),
        date_posted: Date::parse("2026-11-01").expect("date"),
        valid_through: Date::parse("2026-12-31").expect("date"),
    }
}

/// An outside program the test needs. CI installs them all (`.ci/run`), so
/// there a missing one fails the test; elsewhere the check is skipped with
/// a note, so that `cargo test` works on a bare machine.
pub fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "`{name}` is missing; .ci/run installs it"
        );
        eprintln!("note: `{name}` is not installed; skipping the check that needs it");
    }
    found
}

/// Runs a command and returns its stdout, failing the test with its stderr.
pub fn run(command: &mut Command) -> String {
    let output = command.output().expect("the command starts");
    assert!(
        output.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}
