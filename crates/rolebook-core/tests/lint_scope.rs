//! Linting some files finds exactly what linting all of them finds in those
//! files: the editor lints the entities a change request edits that way,
//! and the repeated-sentence rule takes a different road to get there.

use std::path::Path;

use proptest::prelude::*;
use rolebook_core::lint::{Memo, Scope, lint, lint_in_with};
use rolebook_core::source::FileId;
use rolebook_core::{Diagnostic, Loaded, SourceFile, Sources, Validator, builtin, load};

/// Everything a finding says, related locations included.
fn shown(findings: &[Diagnostic]) -> Vec<String> {
    findings.iter().map(|d| format!("{d:?}")).collect()
}

/// Checks the lint of `files` in `loaded`, with what `memo` kept, against
/// the full lint `all` of the same files.
fn same_in_scope(loaded: &Loaded, memo: &mut Memo, all: &[Diagnostic], files: &[FileId]) {
    let catalog = loaded.catalog.as_ref().expect("valid");
    let scope = Scope::Files(files.iter().copied().collect());
    let scoped = lint_in_with(catalog, &loaded.sources, &scope, memo);
    let expected: Vec<Diagnostic> = all
        .iter()
        .filter(|d| d.file.is_some_and(|f| files.contains(&f)))
        .cloned()
        .collect();
    let paths: Vec<&str> = files
        .iter()
        .map(|f| loaded.sources.file(*f).path.as_str())
        .collect();
    assert_eq!(shown(&scoped), shown(&expected), "{paths:?}");
}

#[test]
fn every_file_of_the_lint_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/lint/findings");
    let loaded = load(Sources::from_dir(&dir).expect("fixture readable"));
    let all = lint(loaded.catalog.as_ref().expect("valid"), &loaded.sources);
    assert!(!all.is_empty());
    for (file, _) in loaded.sources.iter() {
        same_in_scope(&loaded, &mut Memo::new(), &all, &[file]);
    }
}

/// A sentence field copied from one role into another, exactly or with a
/// word dropped or two words swapped: exact repeats, near copies and
/// sentences that fall just under the threshold.
#[derive(Debug, Clone)]
struct Copy {
    from: usize,
    to: usize,
    field: &'static str,
    change: Change,
}

#[derive(Debug, Clone)]
enum Change {
    Exact,
    DropWord(usize),
    SwapWords(usize),
}

fn copy() -> impl Strategy<Value = Copy> {
    (
        any::<usize>(),
        any::<usize>(),
        prop::sample::select(vec!["summary", "purpose"]),
        prop_oneof![
            Just(Change::Exact),
            any::<usize>().prop_map(Change::DropWord),
            any::<usize>().prop_map(Change::SwapWords),
        ],
    )
        .prop_map(|(from, to, field, change)| Copy {
            from,
            to,
            field,
            change,
        })
}

/// The value of the one-line `field = "…"` of a role file, as written.
fn value<'t>(text: &'t str, field: &str) -> &'t str {
    let prefix = format!("{field} = \"");
    let line = text
        .lines()
        .find(|l| l.starts_with(&prefix))
        .expect("role files write the field on one line");
    &line[prefix.len()..line.len() - 1]
}

fn changed(value: &str, change: &Change) -> String {
    let mut words: Vec<&str> = value.split(' ').collect();
    match change {
        Change::Exact => {}
        Change::DropWord(n) => {
            words.remove(n % words.len());
        }
        Change::SwapWords(n) => {
            let at = n % (words.len() - 1);
            words.swap(at, at + 1);
        }
    }
    words.join(" ")
}

fn applied(files: &mut [(String, String)], roles: &[usize], copy: &Copy) -> usize {
    let (from, to) = (roles[copy.from % roles.len()], roles[copy.to % roles.len()]);
    let old = value(&files[to].1, copy.field).to_string();
    let new = changed(value(&files[from].1, copy.field), &copy.change);
    let line = |v: &str| format!("{} = \"{v}\"", copy.field);
    files[to].1 = files[to].1.replacen(&line(&old), &line(&new), 1);
    to
}

/// Applies `copies` to the built-in catalog and checks the lint of the
/// files they changed (one at a time and together) and of role `other`,
/// as a server lints an edit: the catalog as written from a validator that
/// checked the catalog before, with the memo of a lint of it.
fn check(copies: &[Copy], other: usize) -> Result<(), TestCaseError> {
    let mut files: Vec<(String, String)> = builtin::sources()
        .files()
        .iter()
        .map(|f| (f.path.clone(), f.text.to_string()))
        .collect();
    let roles: Vec<usize> = (0..files.len())
        .filter(|&i| files[i].0.starts_with("roles/"))
        .collect();
    let mut validator = Validator::new();
    let mut memo = Memo::new();
    let before = validator.load_as_written(builtin::sources());
    let catalog = before.catalog.as_ref().expect("built-in is valid");
    // The last role in scope: the memo reads every role.
    let last = before.sources.find(&files[roles[roles.len() - 1]].0);
    let scope = Scope::Files(last.into_iter().collect());
    lint_in_with(catalog, &before.sources, &scope, &mut memo);
    let mut touched: Vec<usize> = copies
        .iter()
        .map(|c| applied(&mut files, &roles, c))
        .collect();
    touched.sort_unstable();
    touched.dedup();
    let sources = Sources::new(
        files
            .iter()
            .map(|(path, text)| SourceFile::new(path.clone(), text.clone())),
    );
    let full = load(sources.clone());
    let catalog = full.catalog.as_ref();
    prop_assume!(catalog.is_some());
    let all = lint(catalog.expect("checked"), &full.sources);
    let loaded = validator.load_as_written(sources);
    let id = |file: usize| loaded.sources.find(&files[file].0).expect("loaded");
    for &file in &touched {
        same_in_scope(&loaded, &mut memo, &all, &[id(file)]);
    }
    let together: Vec<FileId> = touched.iter().map(|&f| id(f)).collect();
    same_in_scope(&loaded, &mut memo, &all, &together);
    same_in_scope(&loaded, &mut memo, &all, &[id(roles[other % roles.len()])]);
    Ok(())
}

/// Of two equally similar earlier sentences, the first is the one named:
/// the exact copy in between never is.
#[test]
fn a_near_copy_names_the_original_not_a_copy_of_it() {
    let copy = |to, change| Copy {
        from: 2,
        to,
        field: "summary",
        change,
    };
    check(&[copy(5, Change::Exact), copy(9, Change::DropWord(4))], 0).expect("same");
}

proptest! {
    // Each case loads and lints the built-in catalog several times.
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn repeats_copied_between_roles_are_found_the_same_in_scope(
        copies in prop::collection::vec(copy(), 1..6),
        other in any::<usize>(),
    ) {
        check(&copies, other)?;
    }
}
