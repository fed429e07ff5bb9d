//! Reading a form's values from an entity's TOML, and writing changed
//! values back into it.
//!
//! [`write`] touches only the fields whose value differs from what the
//! text holds now, so comments and layout elsewhere stay as written and an
//! unchanged form gives back the text byte for byte. A list of records
//! keeps the style it was written in (`[[skills]]` blocks or an inline
//! array), and a record that is unchanged keeps its own table, comments
//! and all, wherever it moved to.

use std::fmt;

use toml_edit::{
    Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, TableLike, Value as Toml,
};

use crate::schema::{Field, RecordStyle, Schema, Shape};
use crate::values::{Row, Value, Values};

/// The text is not TOML, so it has no fields to show: it is edited as
/// text until it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError {
    pub message: String,
    /// One-based line and column (in characters) of the problem.
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for EditError {}

fn parse(text: &str) -> Result<DocumentMut, EditError> {
    text.parse::<DocumentMut>().map_err(|error| {
        let start = error.span().map_or(0, |span| span.start);
        let (line, column) = line_column(text, start);
        EditError {
            message: error.message().to_string(),
            line,
            column,
        }
    })
}

/// One-based line and column, in characters, of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The values of every field of `schema` in `text`; a field the text does
/// not have is empty.
pub fn read(schema: &Schema, text: &str) -> Result<Values, EditError> {
    let document = parse(text)?;
    let mut values = Values::default();
    let table = entity(&document, schema.root);
    for field in schema.fields() {
        values.set(field.name, read_field(table, field));
    }
    Ok(values)
}

/// `text` with the fields of `values` that differ from it written in.
pub fn write(schema: &Schema, text: &str, values: &Values) -> Result<String, EditError> {
    let mut document = parse(text)?;
    for field in schema.fields() {
        let Some(new) = values.get(field.name) else {
            continue;
        };
        let old = read_field(entity(&document, schema.root), field);
        if &old == new {
            continue;
        }
        write_field(entity_mut(&mut document, schema.root), field, new, false);
    }
    Ok(document.to_string())
}

/// `text` with the entity's id set to `id`: a copy of another entity, or
/// a new one when `text` is empty. A copied role drops its other titles,
/// which name the role it was copied from.
pub fn with_id(schema: &Schema, text: &str, id: &str) -> Result<String, EditError> {
    let mut document = parse(text)?;
    let table = entity_mut(&mut document, schema.root);
    put(table, "id", Item::Value(Toml::from(id)));
    if schema.kind == "role" {
        table.remove("aliases");
    }
    Ok(document.to_string())
}

/// The entity's table: the document's root, or the first table of the
/// array `root`.
fn entity<'d>(document: &'d DocumentMut, root: Option<&str>) -> Option<&'d dyn TableLike> {
    let Some(array) = root else {
        return Some(document.as_table());
    };
    match document.get(array)? {
        Item::ArrayOfTables(tables) => tables.get(0).map(|t| t as &dyn TableLike),
        Item::Value(Toml::Array(values)) => values
            .get(0)
            .and_then(Toml::as_inline_table)
            .map(|t| t as &dyn TableLike),
        _ => None,
    }
}

fn entity_mut<'d>(document: &'d mut DocumentMut, root: Option<&str>) -> &'d mut dyn TableLike {
    let Some(array) = root else {
        return document.as_table_mut();
    };
    let item = document.entry(array).or_insert(Item::None);
    let is_inline = matches!(item, Item::Value(Toml::Array(values)) if values.get(0).is_some_and(Toml::is_inline_table));
    if !is_inline && !item.is_array_of_tables() {
        *item = Item::ArrayOfTables(ArrayOfTables::new());
    }
    match item {
        Item::ArrayOfTables(tables) => {
            if tables.is_empty() {
                tables.push(Table::new());
            }
            tables.get_mut(0).expect("pushed one when empty")
        }
        Item::Value(Toml::Array(values)) => values
            .get_mut(0)
            .and_then(Toml::as_inline_table_mut)
            .expect("checked to be an inline table"),
        _ => unreachable!("made an array of tables above"),
    }
}

fn item_at<'t>(table: Option<&'t dyn TableLike>, name: &str) -> Option<&'t Item> {
    let mut table = table?;
    let mut segments = name.split('.').peekable();
    while let Some(segment) = segments.next() {
        let item = table.get(segment)?;
        if segments.peek().is_none() {
            return Some(item);
        }
        table = item.as_table_like()?;
    }
    None
}

fn read_field(table: Option<&dyn TableLike>, field: &Field) -> Value {
    let item = item_at(table, field.name);
    match &field.shape {
        Shape::Line | Shape::Prose | Shape::Number | Shape::Date => {
            Value::Text(item.map(text_of).unwrap_or_default())
        }
        Shape::Lines => Value::Lines(match item {
            Some(Item::Value(Toml::Array(values))) => values.iter().map(value_text).collect(),
            Some(item) if item.is_value() => vec![text_of(item)],
            _ => Vec::new(),
        }),
        Shape::Records { columns, .. } => Value::Rows(
            records(item)
                .into_iter()
                .map(|record| row_of(record, columns))
                .collect(),
        ),
    }
}

fn row_of(record: &dyn TableLike, columns: &[Field]) -> Row {
    let mut row = Values::default();
    for column in columns {
        row.set(column.name, read_field(Some(record), column));
    }
    row
}

/// The records of a list, whichever style it is written in.
fn records(item: Option<&Item>) -> Vec<&dyn TableLike> {
    match item {
        Some(Item::ArrayOfTables(tables)) => tables.iter().map(|t| t as &dyn TableLike).collect(),
        Some(Item::Value(Toml::Array(values))) => values
            .iter()
            .filter_map(Toml::as_inline_table)
            .map(|t| t as &dyn TableLike)
            .collect(),
        _ => Vec::new(),
    }
}

fn text_of(item: &Item) -> String {
    item.as_value().map(value_text).unwrap_or_default()
}

/// A string's value, or any other value as TOML writes it (a level `4`).
fn value_text(value: &Toml) -> String {
    match value {
        Toml::String(text) => text.value().clone(),
        other => other.clone().decorated("", "").to_string(),
    }
}

/// Writes `value` into `field` of `table`, creating the tables on its
/// path; an empty value of a field the format does not require removes it.
/// `inline`: `table` is an inline table, whose lists stay on one line.
fn write_field(table: &mut dyn TableLike, field: &Field, value: &Value, inline: bool) {
    let (parents, key) = match field.name.rsplit_once('.') {
        Some((parents, key)) => (Some(parents), key),
        None => (None, field.name),
    };
    let empty = match value {
        Value::Text(text) => text.is_empty(),
        Value::Lines(lines) => lines.is_empty(),
        Value::Rows(rows) => rows.is_empty(),
    };
    if empty && !field.required {
        if let Some(parent) = parent_of(table, parents, false) {
            parent.remove(key);
        }
        return;
    }
    let Some(parent) = parent_of(table, parents, true) else {
        return;
    };
    let item = match (value, &field.shape) {
        (Value::Text(text), shape) => Item::Value(scalar(text, shape)),
        (Value::Lines(lines), _) => Item::Value(Toml::Array(lines_array(lines, inline))),
        (Value::Rows(rows), Shape::Records { columns, style, .. }) => {
            let old = parent.get(key);
            records_item(old, rows, columns, *style)
        }
        (Value::Rows(_), _) => return,
    };
    put(parent, key, item);
}

/// Sets `key` to `item`. A key already there keeps its place and its
/// comments, and a value its own (a comment after it); a new key among
/// numbered ones (a skill's `levels`) goes in numeric order.
fn put(table: &mut dyn TableLike, key: &str, mut item: Item) {
    if let Some(existing) = table.get_mut(key) {
        if let (Some(old), Some(new)) = (existing.as_value(), item.as_value_mut()) {
            *new.decor_mut() = old.decor().clone();
        }
        *existing = item;
        return;
    }
    table.insert(key, item);
    let numbered = |k: &str| !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit());
    if numbered(key) && table.iter().all(|(k, _)| numbered(k)) {
        // Proficiency levels are one digit: text order is number order.
        table.sort_values();
    }
}

/// The table at the dotted path `parents` below `table`; created (without
/// a header of its own while it holds only tables) when `create`.
fn parent_of<'t>(
    table: &'t mut dyn TableLike,
    parents: Option<&str>,
    create: bool,
) -> Option<&'t mut dyn TableLike> {
    let Some(parents) = parents else {
        return Some(table);
    };
    let mut table = table;
    for segment in parents.split('.') {
        let exists = table.get(segment).is_some_and(Item::is_table_like);
        if !exists {
            if !create {
                return None;
            }
            let mut new = Table::new();
            new.set_implicit(true);
            table.insert(segment, Item::Table(new));
        }
        table = table.get_mut(segment)?.as_table_like_mut()?;
    }
    Some(table)
}

/// A text typed into a field as a TOML value: a number or date field holds
/// a number or date when the text is one, and the text otherwise, for
/// validation to report at the field.
fn scalar(text: &str, shape: &Shape) -> Toml {
    match shape {
        Shape::Number => match text.parse::<i64>() {
            Ok(number) => Toml::from(number),
            Err(_) => Toml::from(text),
        },
        Shape::Date => match text.parse::<toml_edit::Datetime>() {
            Ok(date) => Toml::from(date),
            Err(_) => Toml::from(text),
        },
        _ => Toml::from(text),
    }
}

/// A list of strings as the catalog writes it: on one line when short,
/// one item per line otherwise (never inside an inline table, where TOML
/// 1.0 allows no line break).
fn lines_array(lines: &[String], inline: bool) -> Array {
    let mut array: Array = lines.iter().map(String::as_str).collect();
    layout(&mut array, inline);
    array
}

fn layout(array: &mut Array, inline: bool) {
    array.fmt();
    let width: usize = array.iter().map(|v| v.to_string().len() + 2).sum();
    if inline || array.len() < 2 || width <= 100 {
        return;
    }
    for value in array.iter_mut() {
        value.decor_mut().set_prefix("\n  ");
        value.decor_mut().set_suffix("");
    }
    array.set_trailing("\n");
    array.set_trailing_comma(true);
}

/// A list of records in the style it was written in (`style` when it is
/// new). A record equal to one already written is that one, moved; the
/// others are written afresh.
fn records_item(old: Option<&Item>, rows: &[Row], columns: &[Field], style: RecordStyle) -> Item {
    let style = match old {
        Some(Item::ArrayOfTables(_)) => RecordStyle::Tables,
        Some(Item::Value(Toml::Array(_))) => RecordStyle::Inline,
        _ => style,
    };
    let mut unused: Vec<Option<(Row, RecordTable)>> = match old {
        Some(Item::ArrayOfTables(tables)) => tables
            .iter()
            .map(|t| Some((row_of(t, columns), RecordTable::Table(t.clone()))))
            .collect(),
        Some(Item::Value(Toml::Array(values))) => values
            .iter()
            .filter_map(Toml::as_inline_table)
            .map(|t| Some((row_of(t, columns), RecordTable::Inline(t.clone()))))
            .collect(),
        _ => Vec::new(),
    };
    // Where the old tables were in the document: the new ones take the
    // same places in order, so a moved record is written where it now is.
    let slots: Vec<isize> = unused
        .iter()
        .flatten()
        .filter_map(|(_, t)| match t {
            RecordTable::Table(t) => t.position(),
            RecordTable::Inline(_) => None,
        })
        .collect();
    let mut tables = Vec::with_capacity(rows.len());
    for row in rows {
        let kept = unused
            .iter_mut()
            .find(|slot| slot.as_ref().is_some_and(|(old, _)| old == row))
            .and_then(Option::take)
            .map(|(_, table)| table);
        tables.push(kept.unwrap_or_else(|| fresh_record(row, columns, style)));
    }
    match style {
        RecordStyle::Tables => {
            let mut array = ArrayOfTables::new();
            for (index, table) in tables.into_iter().enumerate() {
                let mut table = match table {
                    RecordTable::Table(table) => table,
                    RecordTable::Inline(inline) => inline.into_table(),
                };
                table.set_position(slots.get(index).or(slots.last()).copied());
                array.push(table);
            }
            Item::ArrayOfTables(array)
        }
        RecordStyle::Inline => {
            let mut array = Array::new();
            for table in tables {
                let inline = match table {
                    RecordTable::Inline(inline) => inline,
                    RecordTable::Table(table) => table.into_inline_table(),
                };
                array.push(inline);
            }
            layout(&mut array, false);
            Item::Value(Toml::Array(array))
        }
    }
}

enum RecordTable {
    Table(Table),
    Inline(InlineTable),
}

fn fresh_record(row: &Row, columns: &[Field], style: RecordStyle) -> RecordTable {
    match style {
        RecordStyle::Tables => {
            let mut table = Table::new();
            for column in columns {
                if let Some(value) = row.get(column.name) {
                    write_field(&mut table, column, value, false);
                }
            }
            RecordTable::Table(table)
        }
        RecordStyle::Inline => {
            let mut table = InlineTable::new();
            for column in columns {
                if let Some(value) = row.get(column.name) {
                    write_field(&mut table, column, value, true);
                }
            }
            table.fmt();
            RecordTable::Inline(table)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{KPI, ROLE, SKILL};

    const ROLE_TEXT: &str = r#"id = "sre-manager"
# The title people see.
title = "SRE Manager"
family = "reliability"
level = "manager"
summary = "Runs one team."
purpose = "Owns reliability."

[scope]
reports_to = [{ role = "sre-director" }, { title = "Director of Engineering" }]
direct_reports = "5 to 10"
span = "5 to 20 services"
org_size = "50 to 1,000"
budget = "None"
time_horizon = "Quarterly"

[[skills]]
skill = "observability"
level = 4
importance = "core"

# People come second.
[[skills]]
skill = "people-leadership"
level = 3
importance = "core"

[[kpis]]
kpi = "slo-attainment"
target = "11 of 12 windows"
why = "The first number."

[provenance]
last_reviewed = 2026-11-26
sources = ["Google SRE book"]
"#;

    #[test]
    fn an_unchanged_form_changes_nothing() {
        let values = read(&ROLE, ROLE_TEXT).expect("ok");
        assert_eq!(write(&ROLE, ROLE_TEXT, &values).expect("ok"), ROLE_TEXT);
    }

    #[test]
    fn reading_finds_every_shape() {
        let values = read(&ROLE, ROLE_TEXT).expect("ok");
        assert_eq!(values.text("title"), "SRE Manager");
        assert_eq!(values.text("scope.span"), "5 to 20 services");
        assert_eq!(values.rows("skills")[1].text("level"), "3");
        assert_eq!(
            values.rows("scope.reports_to")[1].text("title"),
            "Director of Engineering"
        );
        assert_eq!(values.text("provenance.last_reviewed"), "2026-11-26");
        assert_eq!(values.lines("provenance.sources"), ["Google SRE book"]);
        assert!(values.lines("aliases").is_empty());
    }

    fn edited(change: impl FnOnce(&mut Values)) -> String {
        let mut values = read(&ROLE, ROLE_TEXT).expect("ok");
        change(&mut values);
        write(&ROLE, ROLE_TEXT, &values).expect("ok")
    }

    #[test]
    fn edits_touch_only_their_fields() {
        let text = edited(|v| {
            v.set("title", Value::Text("Site Reliability Manager".into()));
            v.set(
                "aliases",
                Value::Lines(vec!["SRE Lead".into(), "Reliability Manager".into()]),
            );
            v.set("crosswalk.onet_soc", Value::Text("11-3021.00".into()));
            let mut kpis = v.rows("kpis").to_vec();
            kpis[0].set("target", Value::Text("12 of 12 windows".into()));
            v.set("kpis", Value::Rows(kpis));
            let mut skills = v.rows("skills").to_vec();
            skills[0].set("level", Value::Text("five".into()));
            v.set("skills", Value::Rows(skills));
        });
        insta::assert_snapshot!(text);
    }

    #[test]
    fn moved_records_keep_their_comments_and_take_their_new_place() {
        let text = edited(|v| {
            let mut skills = v.rows("skills").to_vec();
            skills.reverse();
            v.set("skills", Value::Rows(skills));
            v.set("scope.reports_to", Value::Rows(Vec::new()));
        });
        insta::assert_snapshot!(text);
        let again = read(&ROLE, &text).expect("ok");
        assert_eq!(again.rows("skills")[0].text("skill"), "people-leadership");
        assert!(again.rows("scope.reports_to").is_empty());
    }

    #[test]
    fn new_lists_and_tables_are_written_in_the_catalog_style() {
        let text = edited(|v| {
            let mut next = Values::default();
            next.set("role", Value::Text("sre-director".into()));
            next.set("note", Value::Text("Lead managers.".into()));
            v.set("career.next", Value::Rows(vec![next]));
            v.set(
                "hiring_signals",
                Value::Lines(vec![
                    "Walks through an SLO they set and the budget policy behind it.".into(),
                    "Describes an incident they commanded and the actions that followed.".into(),
                ]),
            );
        });
        insta::assert_snapshot!(text);
        let again = read(&ROLE, &text).expect("ok");
        assert_eq!(again.rows("career.next")[0].text("role"), "sre-director");
        assert_eq!(again.lines("hiring_signals").len(), 2);
    }

    #[test]
    fn a_skill_block_is_edited_in_place() {
        let text = "# Leadership skills.\n\n[[skills]]\nid = \"people-leadership\"\nname = \"People leadership\"\ncategory = \"leadership\"\ndescription = \"Leading people.\"\n\n[skills.levels]\n1 = \"Knows.\"\n3 = \"Leads a team.\"\n";
        let mut values = read(&SKILL, text).expect("ok");
        assert_eq!(values.text("levels.3"), "Leads a team.");
        assert_eq!(write(&SKILL, text, &values).expect("ok"), text);
        values.set("levels.2", Value::Text("Runs one-to-ones.".into()));
        values.set("levels.1", Value::Text(String::new()));
        insta::assert_snapshot!(write(&SKILL, text, &values).expect("ok"));
    }

    #[test]
    fn a_kpi_gets_its_first_benchmark() {
        let text = "[[kpis]]\nid = \"toil-share\"\nname = \"Toil share\"\nunit = \"%\"\n";
        let mut values = read(&KPI, text).expect("ok");
        let mut benchmark = Values::default();
        benchmark.set("value", Value::Text("under 50%".into()));
        benchmark.set("meaning", Value::Text("The ceiling.".into()));
        benchmark.set("source", Value::Text("Google SRE book".into()));
        benchmark.set("year", Value::Text("2016".into()));
        values.set("benchmarks", Value::Rows(vec![benchmark]));
        insta::assert_snapshot!(write(&KPI, text, &values).expect("ok"));
    }

    #[test]
    fn a_copy_gets_its_own_id_and_a_new_entity_starts_from_one() {
        let copy = with_id(
            &ROLE,
            "id = \"a\"\ntitle = \"A\"\naliases = [\"Alpha\"]\n",
            "b",
        )
        .expect("ok");
        assert_eq!(copy, "id = \"b\"\ntitle = \"A\"\n");
        assert_eq!(
            with_id(&SKILL, "", "new-skill").expect("ok"),
            "[[skills]]\nid = \"new-skill\"\n"
        );
        assert_eq!(
            with_id(&ROLE, "", "new-role").expect("ok"),
            "id = \"new-role\"\n"
        );
    }

    #[test]
    fn text_that_is_not_toml_is_located() {
        let error = read(&ROLE, "title = \"SRE\"\nsummary = \"unfinished\n").expect_err("an error");
        // At the line's end, where the closing quote should be.
        assert_eq!((error.line, error.column), (2, 22));
    }
}
