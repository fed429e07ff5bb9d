//! Which field of a form a diagnostic is about: from the line and column
//! the catalog's validation gives in an entity's text to the dotted name
//! of the field, record or column there.

use toml_edit::{Document, Item, Table, TableLike, Value as Toml};

use crate::schema::Schema;

/// The dotted path of the deepest key or value at one-based `line` and
/// `column` (in characters) of `text`, below the entity's table:
/// `skills.3.level`, `aliases.1`, `scope`. `None` when the text is not
/// TOML or the place is outside any field.
pub fn locate(schema: &Schema, text: &str, line: usize, column: usize) -> Option<String> {
    let offset = offset_of(text, line, column)?;
    let document = Document::parse(text).ok()?;
    let mut path = Vec::new();
    let mut deepest = None;
    walk_table(document.as_table(), offset, &mut path, &mut deepest);
    let mut found = deepest?;
    if let Some(root) = schema.root {
        // The entity is the array's first table: `skills.0.…`.
        let prefix = [root.to_string(), "0".to_string()];
        if !found.starts_with(&prefix) {
            return None;
        }
        found.drain(..2);
    }
    Some(found.join("."))
}

/// The form control to show something about `path` beside: the path itself
/// when it is one, else the nearest enclosing one (`aliases.1` is in the
/// box `aliases`); `None` when no enclosing path is a control (the form's
/// top).
pub fn nearest_field(schema: &Schema, path: &str) -> Option<String> {
    let mut candidate = path;
    loop {
        if schema.is_control(candidate) {
            return Some(candidate.to_string());
        }
        candidate = &candidate[..candidate.rfind('.')?];
    }
}

/// The byte offset of a one-based line and column in characters.
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let rest = &text[line_start..];
    let within = rest
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(rest.len(), |(at, _)| at);
    Some(line_start + within)
}

type Deepest = Option<Vec<String>>;

fn contains(span: Option<std::ops::Range<usize>>, offset: usize) -> bool {
    span.is_some_and(|span| span.start <= offset && offset < span.end.max(span.start + 1))
}

fn found(path: &[String], deepest: &mut Deepest) {
    if deepest.as_ref().is_none_or(|d| path.len() >= d.len()) {
        *deepest = Some(path.to_vec());
    }
}

fn walk_table(table: &Table, offset: usize, path: &mut Vec<String>, deepest: &mut Deepest) {
    if contains(table.span(), offset) {
        found(path, deepest);
    }
    walk_entries(table, offset, path, deepest);
}

fn walk_entries(
    table: &dyn TableLike,
    offset: usize,
    path: &mut Vec<String>,
    deepest: &mut Deepest,
) {
    for (key, item) in table.iter() {
        path.push(key.to_string());
        if table.key(key).is_some_and(|k| contains(k.span(), offset)) {
            found(path, deepest);
        }
        walk_item(item, offset, path, deepest);
        path.pop();
    }
}

fn walk_item(item: &Item, offset: usize, path: &mut Vec<String>, deepest: &mut Deepest) {
    match item {
        Item::Table(table) => walk_table(table, offset, path, deepest),
        Item::ArrayOfTables(tables) => {
            for (index, table) in tables.iter().enumerate() {
                path.push(index.to_string());
                walk_table(table, offset, path, deepest);
                path.pop();
            }
        }
        Item::Value(value) => walk_value(value, offset, path, deepest),
        Item::None => {}
    }
}

fn walk_value(value: &Toml, offset: usize, path: &mut Vec<String>, deepest: &mut Deepest) {
    if contains(value.span(), offset) {
        found(path, deepest);
    }
    match value {
        Toml::Array(values) => {
            for (index, value) in values.iter().enumerate() {
                path.push(index.to_string());
                walk_value(value, offset, path, deepest);
                path.pop();
            }
        }
        Toml::InlineTable(table) => walk_entries(table, offset, path, deepest),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{ROLE, SKILL};

    const TEXT: &str = "title = \"SRE Manager\"\naliases = [\"SRE Lead\", \"Reliability Manager\"]\n\n[scope]\nreports_to = [{ role = \"sre-director\" }]\nspan = \"Services\"\n\n[[skills]]\nskill = \"observability\"\nlevel = 9\nimportance = \"core\"\n";

    fn at(line: usize, column: usize) -> Option<String> {
        locate(&ROLE, TEXT, line, column)
    }

    #[test]
    fn places_are_named_by_their_dotted_path() {
        assert_eq!(at(1, 9).as_deref(), Some("title"));
        assert_eq!(at(1, 1).as_deref(), Some("title"));
        assert_eq!(at(2, 26).as_deref(), Some("aliases.1"));
        assert_eq!(at(5, 24).as_deref(), Some("scope.reports_to.0.role"));
        assert_eq!(at(6, 8).as_deref(), Some("scope.span"));
        assert_eq!(at(8, 3).as_deref(), Some("skills.0"));
        assert_eq!(at(10, 9).as_deref(), Some("skills.0.level"));
        assert_eq!(at(40, 1), None);
    }

    #[test]
    fn the_nearest_control_encloses_the_place() {
        let near = |path: &str| nearest_field(&ROLE, path);
        assert_eq!(near("aliases.1").as_deref(), Some("aliases"));
        assert_eq!(near("skills.0.level").as_deref(), Some("skills.0.level"));
        assert_eq!(
            near("scope.reports_to.0.role").as_deref(),
            Some("scope.reports_to.0.role")
        );
        assert_eq!(
            near("responsibilities.2.items.4").as_deref(),
            Some("responsibilities.2.items")
        );
        assert_eq!(near("scope"), None);
        assert_eq!(near("colour"), None);
    }

    #[test]
    fn a_skill_block_is_located_below_its_table() {
        let text = "[[skills]]\nid = \"x\"\nname = \"X\"\n\n[skills.levels]\n2 = \"Two\"\n";
        assert_eq!(locate(&SKILL, text, 6, 5).as_deref(), Some("levels.2"));
        assert_eq!(locate(&SKILL, text, 3, 8).as_deref(), Some("name"));
    }

    #[test]
    fn columns_count_characters() {
        let text = "title = \"Café\"\nsummary = \"ça\"\n";
        assert_eq!(offset_of(text, 2, 12), Some(text.find('ç').expect("ok")));
        assert_eq!(locate(&ROLE, text, 2, 12).as_deref(), Some("summary"));
    }
}
