//! People read from a table through the chosen columns, and every row
//! that is wrong reported with its line, column and a hint. No row is
//! dropped without a problem that says so.

use std::collections::HashMap;

use serde::Serialize;

use crate::columns::{Columns, Field};
use crate::table::{Table, column_label};

/// One person of the export. Only the mapped fields are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    /// The line (CSV) or sheet row (XLSX) of the person's row.
    pub line: u64,
    pub id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub email: String,
    pub title: String,
    /// The manager's employee id; empty for the top of the organisation.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub manager: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub department: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub location: String,
    /// `YYYY-MM-DD` once read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
}

impl Person {
    /// `E0042 (Ada Example)`, or the id alone.
    pub fn label(&self) -> String {
        if self.name.is_empty() {
            self.id.clone()
        } else {
            format!("{} ({})", self.id, self.name)
        }
    }
}

/// A row that is wrong, where and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    pub line: u64,
    /// The column, as `C ("Job Title")`; empty when the row as a whole is
    /// wrong.
    pub column: String,
    pub message: String,
    pub hint: String,
    /// Whether the row was left out of the organisation because of it.
    pub left_out: bool,
}

/// The people of an export and the problems of its rows.
#[derive(Debug, Clone, Default, Serialize)]
pub struct People {
    pub people: Vec<Person>,
    pub problems: Vec<RowProblem>,
    /// The ids of rows left out (short rows, not duplicates), with their
    /// lines: a manager id naming one is not "missing", it is on that line.
    #[serde(skip)]
    pub left_out: Vec<(String, u64)>,
}

/// How to read a date written with slashes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DateOrder {
    /// Slashed dates are refused as ambiguous; ISO and `DD.MM.YYYY` read.
    #[default]
    Unknown,
    DayFirst,
    MonthFirst,
}

/// Reads the people of `table` through `columns`; `date_order` says how
/// to read slashed dates.
pub fn read(table: &Table, columns: &Columns, date_order: DateOrder) -> People {
    let column = |field: Field| {
        columns
            .fields
            .iter()
            .find(|(f, ..)| *f == field)
            .map(|(_, index, name)| column_label(*index, name))
            .unwrap_or_default()
    };
    let width = |fields: &mut dyn Iterator<Item = &(Field, usize, String)>| {
        fields.map(|(_, i, _)| i + 1).max().unwrap_or(0)
    };
    let needed_width = width(&mut columns.fields.iter());
    let required_width = width(
        &mut columns
            .fields
            .iter()
            .filter(|(f, ..)| Field::REQUIRED.contains(f)),
    );
    let mut out = People {
        people: Vec::with_capacity(table.rows.len()),
        problems: Vec::new(),
        left_out: Vec::new(),
    };
    let mut first_line: HashMap<String, u64> = HashMap::with_capacity(table.rows.len());
    for row in &table.rows {
        let mut problem = |field: Option<Field>, message: String, hint: &str, left_out: bool| {
            out.problems.push(RowProblem {
                line: row.line,
                column: field.map(column).unwrap_or_default(),
                message,
                hint: hint.to_owned(),
                left_out,
            });
        };
        // Cells as text a person typed: control characters (an export or
        // encoding fault) are replaced and said, line breaks become spaces.
        let mut dirty = Vec::new();
        let mut cell = |field: Field| -> String {
            let cell = columns.index(field).and_then(|i| row.cells.get(i));
            let (text, replaced) = clean(cell.map_or("", String::as_str));
            if replaced {
                dirty.push(field);
            }
            text
        };
        let id = cell(Field::Id);
        let title = cell(Field::Title);
        let manager = cell(Field::Manager);
        let name = cell(Field::Name);
        let email = cell(Field::Email);
        let department = cell(Field::Department);
        let location = cell(Field::Location);
        let raw_date = cell(Field::StartDate);
        for field in dirty {
            problem(
                Some(field),
                format!(
                    "the {} holds control characters, shown as \u{FFFD}",
                    field.describe()
                ),
                "they are not text anyone typed: an export or encoding fault",
                false,
            );
        }
        if row.width < required_width {
            if !id.is_empty() {
                out.left_out.push((id.clone(), row.line));
            }
            problem(
                None,
                format!(
                    "the row has {} fields; the id, title and manager columns need {required_width}",
                    row.width
                ),
                "a separator is missing or a quote is not closed on this or the line before",
                true,
            );
            continue;
        }
        if row.width < needed_width {
            problem(
                None,
                format!(
                    "the row has {} fields; the mapped columns need {needed_width}",
                    row.width
                ),
                "the cells it lacks are read as empty",
                false,
            );
        }
        if id.is_empty() {
            problem(
                Some(Field::Id),
                "the employee id is empty".into(),
                "every person needs the id their reports name as manager",
                true,
            );
            continue;
        }
        if let Some(first) = first_line.get(&id) {
            problem(
                Some(Field::Id),
                format!("employee id {id:?} is also on line {first}"),
                "ids must be unique; this row is left out and the first one kept",
                true,
            );
            continue;
        }
        first_line.insert(id.clone(), row.line);
        if title.is_empty() {
            problem(
                Some(Field::Title),
                format!("{id} has no job title"),
                "without a title the person cannot be matched to a role; they stay in the reporting tree",
                false,
            );
        }
        let start_date = if raw_date.is_empty() {
            None
        } else {
            match parse_date(&raw_date, date_order) {
                Ok(date) => Some(date),
                Err(hint) => {
                    problem(
                        Some(Field::StartDate),
                        format!("{raw_date:?} is not a date"),
                        hint,
                        false,
                    );
                    None
                }
            }
        };
        out.people.push(Person {
            line: row.line,
            name,
            email,
            title,
            manager,
            department,
            location,
            start_date,
            id,
        });
    }
    // Managers named by no row: checked once every id is known.
    let known: std::collections::HashSet<&str> = out.people.iter().map(|p| p.id.as_str()).collect();
    let manager_column = column(Field::Manager);
    let left_out: HashMap<&str, u64> = out
        .left_out
        .iter()
        .map(|(id, line)| (id.as_str(), *line))
        .collect();
    let mut orphans = Vec::new();
    for person in &out.people {
        if !person.manager.is_empty()
            && person.manager != person.id
            && !known.contains(person.manager.as_str())
        {
            let (message, hint) = match left_out.get(person.manager.as_str()) {
                Some(line) => (
                    format!(
                        "manager id {:?} of {} is on line {line}, which was left out",
                        person.manager, person.id
                    ),
                    "fix that row; until then the person is kept as the top of a separate tree",
                ),
                None => (
                    format!(
                        "manager id {:?} of {} matches no employee",
                        person.manager, person.id
                    ),
                    "the manager may be missing from the export or have another id; the person is kept as the top of a separate tree",
                ),
            };
            orphans.push(RowProblem {
                line: person.line,
                column: manager_column.clone(),
                message,
                hint: hint.into(),
                left_out: false,
            });
        }
    }
    out.problems.extend(orphans);
    out.problems.sort_by_key(|p| p.line);
    out
}

/// A cell as text: runs of whitespace (line breaks, tabs) become one
/// space; other control characters and the bidirectional overrides that
/// can reorder a terminal line become U+FFFD. Says whether any was
/// replaced.
pub fn clean(cell: &str) -> (String, bool) {
    if cell.bytes().all(|b| (0x20..0x7f).contains(&b)) && !cell.contains("  ") {
        return (cell.to_owned(), false);
    }
    let mut out = String::with_capacity(cell.len());
    let mut replaced = false;
    let mut space = false;
    for c in cell.trim().chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        let unsafe_char =
            c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        if unsafe_char {
            replaced = true;
            out.push('\u{FFFD}');
        } else {
            out.push(c);
        }
    }
    (out, replaced)
}

/// Reads a start date as `YYYY-MM-DD`: ISO dates (with or without a
/// time), `DD.MM.YYYY`, and slashed dates in the order given.
pub fn parse_date(text: &str, order: DateOrder) -> Result<String, &'static str> {
    let text = text.trim();
    let date_part = text.split(['T', ' ']).next().unwrap_or(text);
    let numbers = |sep: char| -> Option<Vec<u32>> {
        let parts: Vec<&str> = date_part.split(sep).collect();
        if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || p.len() > 4) {
            return None;
        }
        parts.iter().map(|p| p.parse().ok()).collect()
    };
    let (year, month, day) = if let Some(n) = numbers('-') {
        (n[0], n[1], n[2])
    } else if let Some(n) = numbers('.') {
        (n[2], n[1], n[0])
    } else if let Some(n) = numbers('/') {
        if n[0] > 31 {
            (n[0], n[1], n[2])
        } else {
            match order {
                DateOrder::DayFirst => (n[2], n[1], n[0]),
                DateOrder::MonthFirst => (n[2], n[0], n[1]),
                DateOrder::Unknown => {
                    return Err(
                        "slashed dates are day-first in some exports and month-first in others: pass --date-order dmy or --date-order mdy",
                    );
                }
            }
        }
    } else {
        return Err(
            "write dates as YYYY-MM-DD (DD.MM.YYYY and, with --date-order, DD/MM/YYYY or MM/DD/YYYY also read)",
        );
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err("the month is not 1 to 12"),
    };
    if !(1900..=2200).contains(&year) {
        return Err("the year is not a four-digit year between 1900 and 2200");
    }
    if day == 0 || day > days {
        return Err("that month has no such day");
    }
    Ok(format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::{UserMap, choose};
    use crate::table::{TableOptions, read as read_table};

    fn people(csv: &str) -> People {
        let mut columns = None;
        let table = read_table(csv.as_bytes(), &TableOptions::default(), &mut |header| {
            let chosen = choose(header, &UserMap::default(), None).expect("works");
            let wanted = chosen.wanted();
            columns = Some(chosen);
            wanted
        })
        .expect("works");
        let columns = columns.expect("works");
        read(&table, &columns, DateOrder::Unknown)
    }

    #[test]
    fn every_bad_row_is_located_and_none_vanishes() {
        let read = people(
            "id,name,title,manager,start_date\n\
             1,Ann,CTO,,2020-01-31\n\
             2,Bo,,1,31.01.2021\n\
             2,Cy,VP Eng,1,\n\
             ,Di,VP Eng,1,\n\
             3,Ed,SRE Manager,9,2021-02-30\n\
             4,Fa,SRE Manager,1,03/04/2022\n\
             5,Gil\n",
        );
        let ids: Vec<&str> = read.people.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["1", "2", "3", "4"]);
        let lines: Vec<(u64, bool)> = read.problems.iter().map(|p| (p.line, p.left_out)).collect();
        assert_eq!(
            lines,
            [
                (3, false),
                (4, true),
                (5, true),
                (6, false),
                (6, false),
                (7, false),
                (8, true)
            ]
        );
        assert_eq!(read.people[1].start_date.as_deref(), Some("2021-01-31"));
        assert!(
            read.problems[4].message.contains("matches no employee"),
            "{:?}",
            read.problems[4]
        );
    }

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("2024-02-29T00:00:00Z", DateOrder::Unknown).expect("works"),
            "2024-02-29"
        );
        assert!(parse_date("2023-02-29", DateOrder::Unknown).is_err());
        assert!(parse_date("03/04/2024", DateOrder::Unknown).is_err());
        assert_eq!(
            parse_date("03/04/2024", DateOrder::MonthFirst).expect("works"),
            "2024-03-04"
        );
        assert_eq!(
            parse_date("03/04/2024", DateOrder::DayFirst).expect("works"),
            "2024-04-03"
        );
        assert_eq!(
            parse_date("2024/04/03", DateOrder::Unknown).expect("works"),
            "2024-04-03"
        );
        assert!(parse_date("soon", DateOrder::Unknown).is_err());
    }
}
