//! The forms over the built-in catalog: every role, skill and KPI reads
//! and writes back unchanged, and whatever is typed into any field reads
//! back as typed.

use std::path::Path;

use proptest::prelude::*;
use rolebook_edit::schema::{FRAMEWORK, KPI, ROLE, SKILL};
use rolebook_edit::{Schema, Shape, Value, Values, from_form, read, to_form, write};

fn catalog() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../catalog"))
}

fn files(dir: &str) -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir(catalog().join(dir))
        .expect("catalog directory")
        .map(|entry| {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("catalog file");
            (path.display().to_string(), text)
        })
        .collect();
    files.sort();
    files
}

/// A skills or KPIs file cut into its `[[…]]` blocks, as the workspace
/// stores them.
fn blocks(dir: &str, header: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    for (path, text) in files(dir) {
        let mut starts: Vec<usize> = text.match_indices(header).map(|(at, _)| at).collect();
        starts[0] = 0;
        starts.push(text.len());
        for pair in starts.windows(2) {
            blocks.push((path.clone(), text[pair[0]..pair[1]].to_string()));
        }
    }
    blocks
}

fn entities() -> Vec<(&'static Schema, String, String)> {
    let mut all = Vec::new();
    for (path, text) in files("roles") {
        all.push((&ROLE, path, text));
    }
    for (path, text) in blocks("skills", "\n[[skills]]\n") {
        all.push((&SKILL, path, text));
    }
    for (path, text) in blocks("kpis", "\n[[kpis]]\n") {
        all.push((&KPI, path, text));
    }
    let framework = catalog().join("framework.toml");
    let text = std::fs::read_to_string(&framework).expect("framework");
    all.push((&FRAMEWORK, framework.display().to_string(), text));
    all
}

#[test]
fn an_untouched_form_gives_every_entity_back_byte_for_byte() {
    let entities = entities();
    assert!(entities.len() > 200, "{} entities", entities.len());
    for (schema, path, text) in entities {
        let values = read(schema, &text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let first = schema.fields().next().expect("a field").name;
        let read_something = match values.get(first) {
            Some(Value::Text(text)) => !text.is_empty(),
            Some(Value::Rows(rows)) => !rows.is_empty(),
            _ => false,
        };
        assert!(read_something, "{path}: nothing read for {first}");
        let written = write(schema, &text, &values).expect("written");
        assert!(written == text, "{path} changed by an untouched form");
    }
}

#[test]
fn a_role_reads_every_part() {
    let text = std::fs::read_to_string(catalog().join("roles/sre-manager.toml")).expect("role");
    let values = read(&ROLE, &text).expect("read");
    assert_eq!(values.text("level"), "manager");
    assert!(values.rows("responsibilities").len() >= 4);
    assert!(values.rows("responsibilities")[0].lines("items").len() >= 3);
    assert!(
        values
            .rows("skills")
            .iter()
            .any(|s| s.text("skill") == "slo-engineering"
                && s.text("level") == "4"
                && s.text("importance") == "core")
    );
    assert!(
        values
            .rows("career.feeders")
            .iter()
            .any(|f| !f.text("note").is_empty())
    );
    assert_eq!(values.text("crosswalk.onet_soc"), "11-3021.00");
    assert_eq!(values.text("provenance.last_reviewed"), "2026-11-26");
}

fn text() -> impl Strategy<Value = String> {
    // Quotes, backslashes, line breaks, tabs, non-ASCII: what people type
    // and what TOML must escape.
    "[ -~\n\t'\"\\\\éß€中]{0,40}".prop_map(|s| s.trim().to_string())
}

fn lines() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        "[ -~éß€]{1,60}"
            .prop_map(|s| s.trim().to_string())
            .prop_filter("a line", |s| !s.is_empty()),
        0..5,
    )
}

/// Which field to set, and to what.
#[derive(Debug, Clone)]
enum Edit {
    Text(usize, String),
    Lines(usize, Vec<String>),
    Reverse(usize),
    Drop(usize, usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(
        prop_oneof![
            (any::<usize>(), text()).prop_map(|(f, t)| Edit::Text(f, t)),
            (any::<usize>(), lines()).prop_map(|(f, l)| Edit::Lines(f, l)),
            any::<usize>().prop_map(Edit::Reverse),
            (any::<usize>(), any::<usize>()).prop_map(|(f, i)| Edit::Drop(f, i)),
        ],
        1..8,
    )
}

fn apply(values: &mut Values, schema: &Schema, edit: &Edit) {
    let of_shape = |pick: fn(&Shape) -> bool| -> Vec<_> {
        schema.fields().filter(|f| pick(&f.shape)).collect()
    };
    match edit {
        Edit::Text(at, text) => {
            let fields = of_shape(|s| matches!(s, Shape::Line | Shape::Prose));
            let field = fields[at % fields.len()];
            // A one-line field holds no line break.
            let text = match field.shape {
                Shape::Line => text.replace(['\n', '\t'], " ").trim().to_string(),
                _ => text.clone(),
            };
            values.set(field.name, Value::Text(text));
        }
        Edit::Lines(at, lines) => {
            let fields = of_shape(|s| matches!(s, Shape::Lines));
            values.set(fields[at % fields.len()].name, Value::Lines(lines.clone()));
        }
        Edit::Reverse(at) | Edit::Drop(at, _) => {
            let fields = of_shape(|s| matches!(s, Shape::Records { .. }));
            let field = fields[at % fields.len()];
            let mut rows = values.rows(field.name).to_vec();
            match edit {
                Edit::Drop(_, index) if !rows.is_empty() => {
                    rows.remove(index % rows.len());
                }
                _ => rows.reverse(),
            }
            values.set(field.name, Value::Rows(rows));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// What a form writes, a form reads back: every field as typed, the
    /// untouched ones as they were.
    #[test]
    fn what_is_written_reads_back(role in 0usize..29, edits in edits()) {
        let roles = files("roles");
        let (_, text) = &roles[role % roles.len()];
        let mut values = read(&ROLE, text).expect("read");
        for edit in &edits {
            apply(&mut values, &ROLE, edit);
        }
        // What a browser sends for the form reads back as the same values.
        let (submitted, op) = from_form(&ROLE, &to_form(&ROLE, &values));
        prop_assert!(op.is_none());
        let written = write(&ROLE, text, &submitted).expect("written");
        let again = read(&ROLE, &written).expect("what is written is TOML");
        for field in ROLE.fields() {
            let expected = values.get(field.name).cloned();
            let found = again.get(field.name).cloned();
            prop_assert_eq!(found, expected, "{}", field.name);
        }
    }
}
