//! The built-in catalog's snapshot loads the same catalog as its files, and
//! is never used for other files.

use rolebook_core::{Catalog, SourceFile, Sources, builtin, load, snapshot};

/// Everything a catalog holds, spans included: a binary serialisation
/// writes each `At`'s span, which JSON would not.
fn content(catalog: &Catalog) -> Vec<u8> {
    let mut bytes = Vec::new();
    let files: Vec<_> = catalog
        .roles()
        .iter()
        .map(|r| catalog.role_file(&r.id))
        .chain(catalog.skills().iter().map(|s| catalog.skill_file(&s.id)))
        .chain(catalog.kpis().iter().map(|k| catalog.kpi_file(&k.id)))
        .collect();
    let everything = (
        (
            catalog.organisation(),
            catalog.framework(),
            catalog.skills(),
        ),
        (catalog.kpis(), catalog.roles()),
        (catalog.written_framework(), catalog.written_skills()),
        (catalog.written_kpis(), catalog.written_roles()),
        files,
    );
    rmp_serde::encode::write(&mut bytes, &everything).expect("written to memory");
    bytes
}

fn builtin_snapshot() -> Vec<u8> {
    snapshot::write(&builtin::sources()).expect("the built-in catalog is clean")
}

#[test]
fn a_snapshot_loads_the_same_catalog_as_its_files() {
    let bytes = builtin_snapshot();
    assert!(snapshot::made_from(&builtin::sources(), &bytes));
    let from_files = load(builtin::sources());
    let from_snapshot = snapshot::read(builtin::sources(), &bytes).expect("the snapshot is read");
    assert!(from_snapshot.diagnostics.is_empty());
    let (Some(expected), Some(actual)) = (&from_files.catalog, &from_snapshot.catalog) else {
        panic!("both load");
    };
    assert_eq!(content(actual), content(expected));
    // The binary form keeps spans: a role's id points where its file says.
    let role = &actual.written_roles()[0];
    let file = actual.role_file(&role.id).expect("a role has a file");
    let text = &from_snapshot.sources.file(file).text;
    assert_eq!(&text[role.id.span()], format!("\"{}\"", *role.id));
}

#[test]
fn a_snapshot_is_not_used_for_other_files() {
    let bytes = builtin_snapshot();
    let mut files: Vec<SourceFile> = builtin::sources().files().to_vec();
    let role = files
        .iter_mut()
        .find(|f| f.path == "roles/sre-manager.toml")
        .expect("the SRE Manager is built in");
    *role = SourceFile::new(
        role.path.clone(),
        role.text
            .replacen("title = \"SRE Manager\"", "title = \"Reliability Lead\"", 1),
    );
    let edited = Sources::new(files);
    assert!(!snapshot::made_from(&edited, &bytes));
    assert!(snapshot::read(edited.clone(), &bytes).is_none());
    let loaded = snapshot::load(edited, &bytes);
    let catalog = loaded.catalog.expect("still valid");
    let role = catalog.role("sre-manager").expect("still there");
    assert_eq!(role.title.as_str(), "Reliability Lead");
}

#[test]
fn a_damaged_snapshot_falls_back_to_the_files() {
    let mut bytes = builtin_snapshot();
    let middle = bytes.len() / 2;
    bytes.truncate(middle);
    assert!(snapshot::read(builtin::sources(), &bytes).is_none());
    let loaded = snapshot::load(builtin::sources(), &bytes);
    assert!(loaded.diagnostics.is_empty());
    assert_eq!(
        loaded.catalog.map(|c| c.roles().len()),
        load(builtin::sources()).catalog.map(|c| c.roles().len())
    );
    assert!(!snapshot::made_from(&builtin::sources(), b"short"));
}

#[test]
fn a_catalog_with_a_diagnostic_has_no_snapshot() {
    let mut files: Vec<SourceFile> = builtin::sources().files().to_vec();
    files.push(SourceFile::new("notes.toml", "x = 1"));
    let problem = snapshot::write(&Sources::new(files)).expect_err("a warning");
    assert_eq!(problem.diagnostics, 1);
}
