//! Which column of an export holds which fact about a person: a preset for
//! the column names of a common HRIS export, or the user's own mapping
//! (`title="Job Title",manager="Manager ID"`), never a silent guess.
//! Only mapped columns are read.

use std::fmt;

use serde::Serialize;

/// A fact about a person the check can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Id,
    Name,
    Email,
    Title,
    Manager,
    Department,
    Location,
    StartDate,
}

impl Field {
    pub const ALL: [Field; 8] = [
        Field::Id,
        Field::Name,
        Field::Email,
        Field::Title,
        Field::Manager,
        Field::Department,
        Field::Location,
        Field::StartDate,
    ];

    /// The fields the check cannot work without.
    pub const REQUIRED: [Field; 3] = [Field::Id, Field::Title, Field::Manager];

    /// The name used in `--map`.
    pub fn key(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Name => "name",
            Field::Email => "email",
            Field::Title => "title",
            Field::Manager => "manager",
            Field::Department => "department",
            Field::Location => "location",
            Field::StartDate => "start_date",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Field::Id => "employee id",
            Field::Name => "name",
            Field::Email => "email",
            Field::Title => "job title",
            Field::Manager => "manager's employee id",
            Field::Department => "department",
            Field::Location => "location",
            Field::StartDate => "start date",
        }
    }

    fn from_key(key: &str) -> Option<Field> {
        let key = key.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Field::ALL
            .into_iter()
            .find(|f| f.key() == key)
            .or(match key.as_str() {
                "employee_id" | "employee" => Some(Field::Id),
                "manager_id" | "reports_to" => Some(Field::Manager),
                "start" | "hire_date" => Some(Field::StartDate),
                "job_title" => Some(Field::Title),
                _ => None,
            })
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The column names of a known export. Each field lists the names that
/// export uses for it, first the default; header cells are compared
/// without case, spaces or punctuation.
#[derive(Debug)]
pub struct Preset {
    pub id: &'static str,
    pub name: &'static str,
    pub columns: &'static [(Field, &'static [&'static str])],
}

/// The presets, in the order they are tried. Their column names are the
/// defaults of each system's standard people report; a renamed column is
/// mapped with `--map`.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "rolebook",
        name: "rolebook (the field names themselves)",
        columns: &[
            (Field::Id, &["id", "employee_id"]),
            (Field::Name, &["name"]),
            (Field::Email, &["email"]),
            (Field::Title, &["title"]),
            (Field::Manager, &["manager", "manager_id"]),
            (Field::Department, &["department"]),
            (Field::Location, &["location"]),
            (Field::StartDate, &["start_date"]),
        ],
    },
    Preset {
        id: "workday",
        name: "Workday (worker report)",
        columns: &[
            (Field::Id, &["Employee ID"]),
            (Field::Name, &["Worker", "Legal Name"]),
            (
                Field::Email,
                &["Email - Primary Work", "Primary Work Email"],
            ),
            (Field::Title, &["Business Title"]),
            (Field::Manager, &["Manager Employee ID", "Manager ID"]),
            (
                Field::Department,
                &["Supervisory Organization", "Cost Center"],
            ),
            (Field::Location, &["Location"]),
            (Field::StartDate, &["Hire Date", "Original Hire Date"]),
        ],
    },
    Preset {
        id: "bamboohr",
        name: "BambooHR (custom report)",
        columns: &[
            (Field::Id, &["Employee #", "EEID"]),
            (Field::Name, &["Full Name", "Name"]),
            (Field::Email, &["Work Email"]),
            (Field::Title, &["Job Title"]),
            (Field::Manager, &["Supervisor EID", "Supervisor ID"]),
            (Field::Department, &["Department"]),
            (Field::Location, &["Location"]),
            (Field::StartDate, &["Hire Date"]),
        ],
    },
    Preset {
        id: "hibob",
        name: "HiBob (people data export)",
        columns: &[
            (Field::Id, &["Employee ID"]),
            (Field::Name, &["Display name", "Full name"]),
            (Field::Email, &["Email"]),
            (Field::Title, &["Job title", "Title"]),
            (Field::Manager, &["Reports to ID", "Reports to employee ID"]),
            (Field::Department, &["Department"]),
            (Field::Location, &["Site"]),
            (Field::StartDate, &["Start date"]),
        ],
    },
    Preset {
        id: "personio",
        name: "Personio (employee list export)",
        columns: &[
            (Field::Id, &["ID", "Employee ID"]),
            (Field::Name, &["Full name", "Name"]),
            (Field::Email, &["Email"]),
            (Field::Title, &["Position"]),
            (Field::Manager, &["Supervisor ID"]),
            (Field::Department, &["Department"]),
            (Field::Location, &["Office"]),
            (Field::StartDate, &["Hire date"]),
        ],
    },
];

pub fn preset(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id.eq_ignore_ascii_case(id))
}

/// A header cell reduced for comparison: `"Employee #"` and
/// `"employee-#"` are the same column.
fn squash(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric() || *c == '#')
        .flat_map(char::to_lowercase)
        .collect()
}

/// `--map` as the user wrote it: field to column name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserMap(pub Vec<(Field, String)>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MapError {
    #[error("`{0}` is not FIELD=COLUMN; write e.g. title=\"Job Title\"")]
    NotAPair(String),
    #[error("`{key}` is not a field; the fields are {}", Field::ALL.map(Field::key).join(", "))]
    UnknownField { key: String },
    #[error("`{0}` is mapped twice")]
    Twice(Field),
}

impl UserMap {
    /// Parses `title="Job Title",manager="Manager ID"`; several `--map`
    /// values are parsed one by one and joined with [`UserMap::extend`].
    pub fn parse(text: &str) -> Result<UserMap, MapError> {
        let mut pairs = Vec::new();
        for part in split_outside_quotes(text) {
            if part.trim().is_empty() {
                continue;
            }
            let (key, column) = part
                .split_once('=')
                .ok_or_else(|| MapError::NotAPair(part.clone()))?;
            let field = Field::from_key(key).ok_or_else(|| MapError::UnknownField {
                key: key.trim().to_owned(),
            })?;
            let column = column.trim();
            let column = column
                .strip_prefix('"')
                .and_then(|c| c.strip_suffix('"'))
                .unwrap_or(column)
                .replace("\"\"", "\"");
            if column.is_empty() {
                return Err(MapError::NotAPair(part.clone()));
            }
            pairs.push((field, column));
        }
        let mut map = UserMap::default();
        map.extend(UserMap(pairs))?;
        Ok(map)
    }

    pub fn extend(&mut self, other: UserMap) -> Result<(), MapError> {
        for (field, column) in other.0 {
            if self.0.iter().any(|(f, _)| *f == field) {
                return Err(MapError::Twice(field));
            }
            self.0.push((field, column));
        }
        Ok(())
    }
}

fn split_outside_quotes(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut part = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            ',' if !quoted => parts.push(std::mem::take(&mut part)),
            _ => {
                if c == '"' {
                    quoted = !quoted;
                }
                part.push(c);
            }
        }
    }
    parts.push(part);
    parts
}

/// The columns chosen for each field: header index and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Columns {
    /// The preset the names came from, if any.
    pub preset: Option<&'static str>,
    pub fields: Vec<(Field, usize, String)>,
}

impl Columns {
    /// Where `field`'s cell is in a row read with [`Columns::wanted`].
    pub fn index(&self, field: Field) -> Option<usize> {
        self.fields.iter().position(|(f, ..)| *f == field)
    }

    /// The header indexes to read, in the order of [`Columns::fields`].
    pub fn wanted(&self) -> Vec<usize> {
        self.fields.iter().map(|(_, i, _)| *i).collect()
    }

    /// One line for people: `id ← "Employee ID" (A), …`.
    pub fn describe(&self) -> String {
        self.fields
            .iter()
            .map(|(field, index, name)| {
                let name = crate::people::clean(name).0;
                format!("{field} ← {}", crate::table::column_label(*index, &name))
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Why the columns could not be chosen; says which columns were found and
/// how to map them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ColumnsError {
    #[error(
        "no preset fits these columns and no --map was given.\n  columns found: {}\n  {}\n  hint: map them, e.g. --map {}",
        quote_all(.found),
        near_misses(.near),
        example_map(.found)
    )]
    NoPreset {
        found: Vec<String>,
        near: Vec<(&'static str, Vec<Field>)>,
    },
    #[error(
        "--map {field}=\"{column}\": the file has no column \"{column}\"{}\n  columns found: {}",
        .suggestion.as_ref().map(|s| format!(" (did you mean \"{s}\"?)")).unwrap_or_default(),
        quote_all(.found)
    )]
    NoSuchColumn {
        field: Field,
        column: String,
        suggestion: Option<String>,
        found: Vec<String>,
    },
    #[error(
        "--map gives column \"{column}\" to both {first} and {second}; each field needs its own column"
    )]
    SameColumn {
        first: Field,
        second: Field,
        column: String,
    },
    #[error("no column for {}: map it with --map {}=\"COLUMN\"{}", .0.describe(), .0.key(), .1)]
    Missing(Field, String),
    #[error("there is no preset `{wanted}`; the presets are {}", PRESETS.iter().map(|p| p.id).collect::<Vec<_>>().join(", "))]
    UnknownPreset { wanted: String },
}

fn quote_all(found: &[String]) -> String {
    const SHOWN: usize = 40;
    let named: Vec<&String> = found.iter().filter(|n| !n.is_empty()).collect();
    let mut out: Vec<String> = named
        .iter()
        .take(SHOWN)
        .map(|n| {
            format!(
                "\"{}\"",
                crate::people::clean(&n.chars().take(80).collect::<String>()).0
            )
        })
        .collect();
    if named.len() > SHOWN {
        out.push(format!("and {} more", named.len() - SHOWN));
    }
    out.join(", ")
}

fn near_misses(near: &[(&'static str, Vec<Field>)]) -> String {
    if near.is_empty() {
        return format!(
            "presets: {}",
            PRESETS.iter().map(|p| p.id).collect::<Vec<_>>().join(", ")
        );
    }
    near.iter()
        .map(|(preset, missing)| {
            format!(
                "preset {preset} lacks {}",
                missing
                    .iter()
                    .map(|f| f.key())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn example_map(found: &[String]) -> String {
    let managerish = |name: &str| {
        ["manager", "supervisor", "report", "boss", "lead"]
            .iter()
            .any(|w| name.contains(w))
    };
    let mut parts = Vec::new();
    for field in Field::REQUIRED {
        let guess = found.iter().find(|name| {
            let name = squash(name);
            match field {
                Field::Id => {
                    !managerish(&name)
                        && ["id", "no", "number", "#", "employee", "eeid"]
                            .iter()
                            .any(|w| name.contains(w))
                }
                Field::Title => ["title", "position", "job", "role"]
                    .iter()
                    .any(|w| name.contains(w)),
                _ => managerish(&name),
            }
        });
        parts.push(format!(
            "{}=\"{}\"",
            field.key(),
            guess.map_or("COLUMN", |g| g.as_str())
        ));
    }
    parts.join(",")
}

/// Chooses the columns: `--map` entries first, the rest from `preset`
/// (by id) or, when none is named, from the first preset whose required
/// columns are all in the header.
pub fn choose(
    header: &[String],
    map: &UserMap,
    preset_id: Option<&str>,
) -> Result<Columns, ColumnsError> {
    let squashed: Vec<String> = header.iter().map(|h| squash(h)).collect();
    let find = |name: &str| {
        let wanted = squash(name);
        squashed.iter().position(|h| !h.is_empty() && *h == wanted)
    };
    let mut fields: Vec<(Field, usize, String)> = Vec::new();
    for (field, column) in &map.0 {
        let index = find(column).ok_or_else(|| ColumnsError::NoSuchColumn {
            field: *field,
            column: column.clone(),
            suggestion: header
                .iter()
                .filter(|h| !h.is_empty())
                .map(|h| (strsim::jaro_winkler(&squash(h), &squash(column)), h))
                .filter(|(score, _)| *score > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, h)| h.clone()),
            found: header.to_vec(),
        })?;
        if let Some((other, ..)) = fields.iter().find(|(_, i, _)| *i == index) {
            return Err(ColumnsError::SameColumn {
                first: *other,
                second: *field,
                column: header[index].clone(),
            });
        }
        fields.push((*field, index, header[index].clone()));
    }
    let from_preset = |preset: &Preset| -> Vec<(Field, usize, String)> {
        preset
            .columns
            .iter()
            .filter_map(|(field, names)| {
                names
                    .iter()
                    .find_map(|name| find(name))
                    .map(|index| (*field, index, header[index].clone()))
            })
            .collect()
    };
    let mapped =
        |fields: &[(Field, usize, String)], field: Field| fields.iter().any(|(f, ..)| *f == field);
    let mut chosen_preset = None;
    let complete_by_map = Field::REQUIRED.iter().all(|f| mapped(&fields, *f));
    let preset = match preset_id {
        Some(id) => Some(preset(id).ok_or_else(|| ColumnsError::UnknownPreset {
            wanted: id.to_owned(),
        })?),
        None => PRESETS.iter().find(|p| {
            let found = from_preset(p);
            Field::REQUIRED
                .iter()
                .all(|f| mapped(&fields, *f) || mapped(&found, *f))
        }),
    };
    match preset {
        Some(preset) => {
            let mut used = false;
            for found in from_preset(preset) {
                // A column the user mapped is theirs, whatever the preset says.
                let taken = fields.iter().any(|(_, i, _)| *i == found.1);
                if !mapped(&fields, found.0) && !taken {
                    fields.push(found);
                    used = true;
                }
            }
            if used {
                chosen_preset = Some(preset.id);
            }
        }
        None if !complete_by_map && map.0.is_empty() => {
            let near = PRESETS
                .iter()
                .filter_map(|p| {
                    let found = from_preset(p);
                    let missing: Vec<Field> = Field::REQUIRED
                        .into_iter()
                        .filter(|f| !mapped(&found, *f))
                        .collect();
                    (missing.len() < Field::REQUIRED.len()).then_some((p.id, missing))
                })
                .collect();
            return Err(ColumnsError::NoPreset {
                found: header.to_vec(),
                near,
            });
        }
        None => {}
    }
    for field in Field::REQUIRED {
        if !mapped(&fields, field) {
            let hint = chosen_preset
                .or(preset_id)
                .map(|p| format!(" (preset {p} has no such column here)"))
                .unwrap_or_default();
            return Err(ColumnsError::Missing(field, hint));
        }
    }
    fields.sort_by_key(|(f, ..)| *f);
    Ok(Columns {
        preset: chosen_preset,
        fields,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_preset_is_chosen_by_its_columns_and_named() {
        let h = header(&[
            "Employee #",
            "Full Name",
            "Job Title",
            "Supervisor EID",
            "Salary",
        ]);
        let columns = choose(&h, &UserMap::default(), None).expect("works");
        assert_eq!(columns.preset, Some("bamboohr"));
        // The salary column is never chosen, so never read.
        assert_eq!(columns.wanted(), [0, 1, 2, 3]);
    }

    #[test]
    fn no_preset_and_no_map_lists_the_columns_and_an_example() {
        let h = header(&["Emp No", "Role Title", "Boss"]);
        let error = choose(&h, &UserMap::default(), None)
            .expect_err("fails")
            .to_string();
        assert!(
            error.contains("\"Emp No\", \"Role Title\", \"Boss\""),
            "{error}"
        );
        assert!(
            error.contains("--map id=\"Emp No\",title=\"Role Title\",manager=\"Boss\""),
            "{error}"
        );
    }

    #[test]
    fn a_map_overrides_and_completes() {
        let h = header(&["Emp No", "Role Title", "Boss", "Team"]);
        let map =
            UserMap::parse("id=Emp No, title=\"Role Title\",manager=\"Boss\",department=Team")
                .expect("works");
        let columns = choose(&h, &map, None).expect("works");
        assert_eq!(columns.preset, None);
        assert_eq!(
            columns.describe(),
            "id ← A (\"Emp No\"), title ← B (\"Role Title\"), manager ← C (\"Boss\"), department ← D (\"Team\")"
        );
    }

    #[test]
    fn a_mapped_column_that_is_not_there_gets_a_suggestion() {
        let h = header(&["Employee ID", "Job Title", "Manager ID"]);
        let map = UserMap::parse("title=Job Titel").expect("works");
        let error = choose(&h, &map, Some("workday"))
            .expect_err("fails")
            .to_string();
        assert!(error.contains("did you mean \"Job Title\""), "{error}");
    }

    #[test]
    fn one_column_for_two_fields_is_refused_and_a_users_column_beats_a_preset() {
        let h = header(&["Emp No", "Job Title"]);
        let map = UserMap::parse("id=Emp No,title=Job Title,manager=Emp No").expect("parses");
        let error = choose(&h, &map, None).expect_err("fails").to_string();
        assert_eq!(
            error,
            "--map gives column \"Emp No\" to both id and manager; each field needs its own column"
        );
        let h = header(&[
            "Employee ID",
            "Worker",
            "Business Title",
            "Manager Employee ID",
        ]);
        let map = UserMap::parse("title=Worker").expect("parses");
        let columns = choose(&h, &map, Some("workday")).expect("chosen");
        assert_eq!(columns.index(Field::Name), None);
        assert_eq!(
            columns
                .fields
                .iter()
                .find(|f| f.0 == Field::Title)
                .map(|f| f.1),
            Some(1)
        );
    }

    #[test]
    fn bad_map_text_is_explained() {
        assert_eq!(
            UserMap::parse("title").expect_err("fails"),
            MapError::NotAPair("title".into())
        );
        assert!(matches!(
            UserMap::parse("boss=X").expect_err("fails"),
            MapError::UnknownField { .. }
        ));
        assert_eq!(
            UserMap::parse("id=A,id=B").expect_err("fails"),
            MapError::Twice(Field::Id)
        );
        assert_eq!(
            UserMap::parse("title=\"Title, Business\"")
                .expect("works")
                .0,
            [(Field::Title, "Title, Business".to_string())]
        );
    }
}
