//! A [`Validator`] reused across a run of edits gives, after every edit,
//! exactly the diagnostics of a full [`load`] of the same files: the parses
//! it keeps never stand in for text that changed, whatever the edit.

use proptest::prelude::*;
use rolebook_core::{Catalog, SourceFile, Sources, Validator, builtin, load};

/// The built-in catalog's files, as (path, text).
fn builtin_files() -> Vec<(String, String)> {
    builtin::sources()
        .files()
        .iter()
        .map(|f| (f.path.clone(), f.text.to_string()))
        .collect()
}

/// One edit of a catalog's files. Indices are taken modulo the number of
/// files or lines, so every generated edit applies.
#[derive(Debug, Clone)]
enum Edit {
    /// Removes one line of a file.
    DeleteLine { file: usize, line: usize },
    /// Copies a line of one file over a line of another: ids, titles and
    /// references move between roles, so cross-file checks change too.
    CopyLine {
        from: usize,
        from_line: usize,
        to: usize,
        to_line: usize,
    },
    /// Cuts a file short: TOML syntax errors and missing fields.
    Truncate { file: usize, at: usize },
    /// Removes a whole file.
    DeleteFile { file: usize },
    /// Adds a copy of a file as a new role, keeping its id.
    CopyAsRole { file: usize, name: u8 },
    /// Puts a file back as the built-in catalog has it, so a parse kept
    /// from an earlier check can be reused.
    Restore { file: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    let index = 0..10_000usize;
    prop_oneof![
        (index.clone(), index.clone()).prop_map(|(file, line)| Edit::DeleteLine { file, line }),
        (index.clone(), index.clone(), index.clone(), index.clone()).prop_map(
            |(from, from_line, to, to_line)| Edit::CopyLine {
                from,
                from_line,
                to,
                to_line
            }
        ),
        (index.clone(), index.clone()).prop_map(|(file, at)| Edit::Truncate { file, at }),
        index.clone().prop_map(|file| Edit::DeleteFile { file }),
        (index.clone(), 0..4u8).prop_map(|(file, name)| Edit::CopyAsRole { file, name }),
        index.prop_map(|file| Edit::Restore { file }),
    ]
}

fn apply(files: &mut Vec<(String, String)>, original: &[(String, String)], edit: &Edit) {
    if files.is_empty() {
        return;
    }
    let count = files.len();
    let with_lines = |text: &str, change: &dyn Fn(&mut Vec<String>)| {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        if !lines.is_empty() {
            change(&mut lines);
        }
        lines.join("\n") + "\n"
    };
    match edit {
        Edit::DeleteLine { file, line } => {
            let text = &mut files[file % count].1;
            *text = with_lines(text, &|lines| {
                let at = line % lines.len();
                lines.remove(at);
            });
        }
        Edit::CopyLine {
            from,
            from_line,
            to,
            to_line,
        } => {
            let source: Vec<&str> = files[from % count].1.lines().collect();
            if source.is_empty() {
                return;
            }
            let copied = source[from_line % source.len()].to_string();
            let text = &mut files[to % count].1;
            *text = with_lines(text, &|lines| {
                let at = to_line % lines.len();
                lines[at] = copied.clone();
            });
        }
        Edit::Truncate { file, at } => {
            let text = &mut files[file % count].1;
            let mut cut = at % (text.len() + 1);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
        }
        Edit::DeleteFile { file } => {
            files.remove(file % count);
        }
        Edit::CopyAsRole { file, name } => {
            let text = files[file % count].1.clone();
            let path = format!("roles/copy-{name}.toml");
            files.retain(|(p, _)| *p != path);
            files.push((path, text));
            files.sort();
        }
        Edit::Restore { file } => {
            let (path, text) = &original[file % original.len()];
            match files.iter_mut().find(|(p, _)| p == path) {
                Some(entry) => entry.1 = text.clone(),
                None => {
                    files.push((path.clone(), text.clone()));
                    files.sort();
                }
            }
        }
    }
}

fn sources(files: &[(String, String)]) -> Sources {
    Sources::new(
        files
            .iter()
            .map(|(path, text)| SourceFile::new(path.clone(), text.clone())),
    )
}

#[test]
fn an_unchanged_catalog_checks_the_same_twice() {
    let files = builtin_files();
    let mut validator = Validator::new();
    let first = validator.check(sources(&files));
    let second = validator.check(sources(&files));
    assert_eq!(first.diagnostics, load(sources(&files)).diagnostics);
    assert_eq!(second.diagnostics, first.diagnostics);
}

#[test]
fn a_parse_is_reused_under_a_new_file_id() {
    // Adding a file that sorts first shifts every id by one: a kept parse's
    // diagnostics must point at the file's new place.
    let mut files = builtin_files();
    let role = files
        .iter()
        .position(|(p, _)| p.starts_with("roles/"))
        .expect("the built-in catalog has roles");
    files[role].1.push_str("unknown_key = 1\n");
    let mut validator = Validator::new();
    let before = validator.check(sources(&files));
    assert!(before.error_count() > 0);
    files.push(("a-stray-file.toml".to_string(), "x = 1\n".to_string()));
    files.sort();
    let after = validator.check(sources(&files));
    assert_eq!(after.diagnostics, load(sources(&files)).diagnostics);
}

proptest! {
    // Each case loads the built-in catalog twice per edit; 32 runs of up to
    // six edits keep this near ten seconds in a debug build.
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn every_check_equals_a_full_load(edits in prop::collection::vec(edit(), 1..6)) {
        let original = builtin_files();
        let mut files = original.clone();
        let mut validator = Validator::new();
        validator.check(sources(&files));
        for (step, edit) in edits.iter().enumerate() {
            apply(&mut files, &original, edit);
            let loaded = load(sources(&files));
            // Alternately a check and a load: both keep parses for the next.
            if step % 2 == 0 {
                let checked = validator.check(sources(&files));
                prop_assert_eq!(&checked.diagnostics, &loaded.diagnostics, "after {:?}", edit);
            } else {
                let reloaded = validator.load(sources(&files));
                prop_assert_eq!(&reloaded.diagnostics, &loaded.diagnostics, "after {:?}", edit);
                let roles = |catalog: Option<&Catalog>| catalog.map(|c| format!("{:?}", c.roles()));
                prop_assert_eq!(roles(reloaded.catalog.as_ref()), roles(loaded.catalog.as_ref()));
            }
        }
    }
}
