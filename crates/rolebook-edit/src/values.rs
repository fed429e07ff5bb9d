//! A form's values: what [`crate::read`] finds in an entity's text, what a
//! submitted form holds ([`from_form`]), and the form's own operations on
//! its lists (add, remove, move a record) that re-show the form without
//! saving, so that every one works without JavaScript.

use std::collections::{BTreeMap, BTreeSet};

use crate::schema::{Field, Schema, Shape};

/// One field's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Lines(Vec<String>),
    Rows(Vec<Row>),
}

/// One record of a list: its columns' values.
pub type Row = Values;

/// Values by field name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values(BTreeMap<&'static str, Value>);

impl Values {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name)
    }

    pub fn set(&mut self, name: &'static str, value: Value) {
        self.0.insert(name, value);
    }

    /// A text field's value; empty when absent or not text.
    pub fn text(&self, name: &str) -> &str {
        match self.0.get(name) {
            Some(Value::Text(text)) => text,
            _ => "",
        }
    }

    /// A list field's lines.
    pub fn lines(&self, name: &str) -> &[String] {
        match self.0.get(name) {
            Some(Value::Lines(lines)) => lines,
            _ => &[],
        }
    }

    /// A list of records.
    pub fn rows(&self, name: &str) -> &[Row] {
        match self.0.get(name) {
            Some(Value::Rows(rows)) => rows,
            _ => &[],
        }
    }

    fn rows_mut(&mut self, name: &'static str) -> &mut Vec<Row> {
        let value = self.0.entry(name).or_insert(Value::Rows(Vec::new()));
        if !matches!(value, Value::Rows(_)) {
            *value = Value::Rows(Vec::new());
        }
        match value {
            Value::Rows(rows) => rows,
            _ => unreachable!("made a list of records above"),
        }
    }

    /// Puts every value of `other` over this one's.
    pub fn overlay(&mut self, other: Values) {
        self.0.extend(other.0);
    }

    /// Whether every value is empty (a record left blank).
    pub fn is_blank(&self) -> bool {
        self.0.values().all(|value| match value {
            Value::Text(text) => text.trim().is_empty(),
            Value::Lines(lines) => lines.is_empty(),
            Value::Rows(rows) => rows.is_empty(),
        })
    }
}

/// An operation of the form on one of its lists of records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    Add { list: &'static str },
    Remove { list: &'static str, index: usize },
    Up { list: &'static str, index: usize },
    Down { list: &'static str, index: usize },
}

impl Op {
    /// Reads `add:skills`, `remove:skills.2`, `up:skills.2`,
    /// `down:skills.2` (a submit button's value); `None` for anything
    /// else, including a list the schema does not have.
    pub fn parse(schema: &Schema, text: &str) -> Option<Op> {
        let (verb, target) = text.split_once(':')?;
        let list_named = |name: &str| {
            schema
                .fields()
                .find(|f| f.name == name && matches!(f.shape, Shape::Records { .. }))
                .map(|f| f.name)
        };
        if verb == "add" {
            return list_named(target).map(|list| Op::Add { list });
        }
        let (list, index) = target.rsplit_once('.')?;
        let list = list_named(list)?;
        let index = index.parse().ok()?;
        match verb {
            "remove" => Some(Op::Remove { list, index }),
            "up" => Some(Op::Up { list, index }),
            "down" => Some(Op::Down { list, index }),
            _ => None,
        }
    }

    /// Applies the operation; returns the control to put the focus on
    /// afterwards (the record added or moved, or the list).
    pub fn apply(&self, values: &mut Values) -> String {
        match *self {
            Op::Add { list } => {
                let rows = values.rows_mut(list);
                rows.push(Values::default());
                format!("{list}.{}", rows.len() - 1)
            }
            Op::Remove { list, index } => {
                let rows = values.rows_mut(list);
                if index < rows.len() {
                    rows.remove(index);
                }
                list.to_string()
            }
            Op::Up { list, index } => {
                let rows = values.rows_mut(list);
                if index > 0 && index < rows.len() {
                    rows.swap(index - 1, index);
                    format!("{list}.{}", index - 1)
                } else {
                    format!("{list}.{index}")
                }
            }
            Op::Down { list, index } => {
                let rows = values.rows_mut(list);
                if index + 1 < rows.len() {
                    rows.swap(index, index + 1);
                    format!("{list}.{}", index + 1)
                } else {
                    format!("{list}.{index}")
                }
            }
        }
    }
}

/// The values of a submitted form (its fields as name and value pairs, in
/// order) and the list operation it asks for, if any (`op`). Only the
/// fields the form holds are read, so a form that leaves some out changes
/// none of them; a list of records is in the form when its marker (a
/// field of the list's own name) or one of its records is. Records are
/// read in the order of their index; a record left blank, or whose
/// `….remove` box is ticked, is dropped. Text keeps what was typed, with
/// line ends made `\n`; a list drops blank lines.
pub fn from_form(schema: &Schema, pairs: &[(String, String)]) -> (Values, Option<Op>) {
    let form = Form::new(pairs);
    let mut values = Values::default();
    for field in schema.fields() {
        let present = form.has(field.name)
            || matches!(field.shape, Shape::Records { .. }) && !form.indexes(field.name).is_empty();
        if present {
            values.set(field.name, value_of(field, "", &form));
        }
    }
    let op = Op::parse(schema, form.get("op"));
    (values, op)
}

/// The form fields that hold `values`, as [`from_form`] reads them: what
/// a browser sends for a form showing them.
pub fn to_form(schema: &Schema, values: &Values) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for field in schema.fields() {
        if let Some(value) = values.get(field.name) {
            form_pairs(field, "", value, &mut pairs);
        }
    }
    pairs
}

fn form_pairs(field: &Field, prefix: &str, value: &Value, pairs: &mut Vec<(String, String)>) {
    let name = format!("{prefix}{}", field.name);
    match value {
        Value::Text(text) => pairs.push((name, text.clone())),
        Value::Lines(lines) => pairs.push((name, lines.join("\n"))),
        Value::Rows(rows) => {
            pairs.push((name.clone(), String::new()));
            let Shape::Records { columns, .. } = &field.shape else {
                return;
            };
            for (index, row) in rows.iter().enumerate() {
                let prefix = format!("{name}.{index}.");
                for column in columns.iter() {
                    let value = row
                        .get(column.name)
                        .cloned()
                        .unwrap_or(Value::Text(String::new()));
                    form_pairs(column, &prefix, &value, pairs);
                }
            }
        }
    }
}

/// A form's pairs by name (the last of a repeated name wins).
struct Form<'a> {
    by_name: BTreeMap<&'a str, &'a str>,
}

impl<'a> Form<'a> {
    fn new(pairs: &'a [(String, String)]) -> Self {
        Form {
            by_name: pairs
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect(),
        }
    }

    fn has(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    fn get(&self, name: &str) -> &'a str {
        self.by_name.get(name).copied().unwrap_or("")
    }

    /// The record indexes submitted for the list `name`.
    fn indexes(&self, name: &str) -> BTreeSet<usize> {
        let prefix = format!("{name}.");
        self.by_name
            .range(prefix.as_str()..)
            .take_while(|(n, _)| n.starts_with(&prefix))
            .filter_map(|(n, _)| n[prefix.len()..].split('.').next()?.parse().ok())
            .collect()
    }
}

fn value_of(field: &'static Field, prefix: &str, form: &Form) -> Value {
    let name = format!("{prefix}{}", field.name);
    match &field.shape {
        Shape::Line | Shape::Number | Shape::Date => {
            Value::Text(form.get(&name).trim().to_string())
        }
        Shape::Prose => Value::Text(normalise(form.get(&name)).trim().to_string()),
        Shape::Lines => Value::Lines(
            normalise(form.get(&name))
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(str::to_string)
                .collect(),
        ),
        Shape::Records { columns, .. } => Value::Rows(
            form.indexes(&name)
                .into_iter()
                .filter_map(|index| {
                    let prefix = format!("{name}.{index}.");
                    if !form.get(&format!("{prefix}remove")).is_empty() {
                        return None;
                    }
                    let mut row = Values::default();
                    for column in columns.iter() {
                        row.set(column.name, value_of(column, &prefix, form));
                    }
                    (!row.is_blank()).then_some(row)
                })
                .collect(),
        ),
    }
}

/// Browsers send a text box's line ends as `\r\n`.
fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::ROLE;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_form_gives_text_lines_and_records() {
        let (values, op) = from_form(
            &ROLE,
            &pairs(&[
                ("title", "  SRE Manager "),
                ("aliases", "Site Reliability Manager\r\n\r\n  SRE Lead \r\n"),
                ("summary", "One.\r\nTwo."),
                ("skills.0.skill", "observability"),
                ("skills.0.level", "4"),
                ("skills.0.importance", "core"),
                ("skills.1.skill", ""),
                ("skills.1.level", ""),
                ("skills.1.importance", ""),
                ("skills.10.skill", "toil-reduction-and-automation"),
                ("skills.10.level", "3"),
                ("skills.2.skill", "capacity-planning"),
                ("skills.2.remove", "on"),
                ("op", "up:skills.10"),
            ]),
        );
        assert_eq!(values.text("title"), "SRE Manager");
        assert_eq!(
            values.lines("aliases"),
            ["Site Reliability Manager", "SRE Lead"]
        );
        assert_eq!(values.text("summary"), "One.\nTwo.");
        let skills: Vec<_> = values
            .rows("skills")
            .iter()
            .map(|r| (r.text("skill"), r.text("level")))
            .collect();
        // Blank and removed records are dropped; 10 comes after 0 by
        // number, not by text.
        assert_eq!(
            skills,
            [
                ("observability", "4"),
                ("toil-reduction-and-automation", "3")
            ]
        );
        assert_eq!(
            op,
            Some(Op::Up {
                list: "skills",
                index: 10
            })
        );
    }

    #[test]
    fn a_form_that_leaves_fields_out_changes_none_of_them() {
        let (values, _) = from_form(&ROLE, &pairs(&[("title", "X"), ("skills", "")]));
        assert_eq!(values.text("title"), "X");
        assert!(values.get("summary").is_none());
        assert!(values.get("kpis").is_none());
        // The list's marker with no record: every record was removed.
        assert_eq!(values.get("skills"), Some(&Value::Rows(Vec::new())));
    }

    #[test]
    fn operations_move_add_and_remove_records() {
        let row = |id: &str| {
            let mut row = Values::default();
            row.set("skill", Value::Text(id.to_string()));
            row
        };
        let mut values = Values::default();
        values.set("skills", Value::Rows(vec![row("a"), row("b"), row("c")]));
        let ids = |v: &Values| {
            v.rows("skills")
                .iter()
                .map(|r| r.text("skill").to_string())
                .collect::<Vec<_>>()
                .join(",")
        };
        assert_eq!(
            Op::parse(&ROLE, "down:skills.0")
                .expect("ok")
                .apply(&mut values),
            "skills.1"
        );
        assert_eq!(ids(&values), "b,a,c");
        assert_eq!(
            Op::parse(&ROLE, "up:skills.0")
                .expect("ok")
                .apply(&mut values),
            "skills.0"
        );
        assert_eq!(ids(&values), "b,a,c");
        Op::parse(&ROLE, "remove:skills.1")
            .expect("ok")
            .apply(&mut values);
        assert_eq!(ids(&values), "b,c");
        assert_eq!(
            Op::parse(&ROLE, "add:skills")
                .expect("ok")
                .apply(&mut values),
            "skills.2"
        );
        assert_eq!(values.rows("skills").len(), 3);
        assert_eq!(Op::parse(&ROLE, "add:title"), None);
        assert_eq!(Op::parse(&ROLE, "remove:skills"), None);
        assert_eq!(Op::parse(&ROLE, "explode:skills.1"), None);
    }
}
