//! What a form shows for each kind of entity: its fields, in sections, with
//! the label and hint a person reads and the shape of value each holds.
//!
//! A field's `name` is its dotted path below the entity's table
//! (`title`, `scope.span`, `levels.3`); a column of a list of records is
//! named below its record (`skills.2.level`). The same names are the form
//! controls' names and what [`crate::locate`] answers, so a diagnostic
//! lands beside its control.

/// One kind of entity's form.
#[derive(Debug)]
pub struct Schema {
    /// `role`, `skill` or `kpi`: the store's kind.
    pub kind: &'static str,
    /// Where the entity's table is in its text: the root (`None`, a role's
    /// file) or the one table of an array (`Some("skills")`: the text is a
    /// `[[skills]]` block).
    pub root: Option<&'static str>,
    pub sections: &'static [Section],
}

#[derive(Debug)]
pub struct Section {
    pub title: &'static str,
    /// The fragment id of the section on the page.
    pub anchor: &'static str,
    pub fields: &'static [Field],
}

#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub shape: Shape,
    /// The format requires it: written even when empty, so that validation
    /// says it is empty rather than that it is missing.
    pub required: bool,
    /// Where the form offers values from.
    pub choices: Choices,
}

/// The shape of a field's value.
#[derive(Debug)]
pub enum Shape {
    /// One line of text.
    Line,
    /// A paragraph.
    Prose,
    /// A list of sentences, one per line of a text box.
    Lines,
    /// A whole number (written as a TOML integer when it is one, as typed
    /// otherwise, for validation to report).
    Number,
    /// A date, `YYYY-MM-DD` (a TOML date when it is one).
    Date,
    /// A list of records, each with the same columns.
    Records {
        columns: &'static [Field],
        /// How a list that does not exist yet is written.
        style: RecordStyle,
        /// What one record is called, for buttons (`Add a skill`).
        noun: &'static str,
    },
}

/// How a list of records is written in TOML. A list that exists keeps the
/// style it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordStyle {
    /// `[[skills]]` blocks.
    Tables,
    /// `reports_to = [{ role = "…" }]`.
    Inline,
}

/// Where a field's values come from; the web layer fills them in from the
/// catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choices {
    Free,
    Families,
    Levels,
    Roles,
    Skills,
    Kpis,
    Importance,
    /// 1 to 5, with the skill's own description of each level.
    Proficiency,
    Direction,
    SkillCategory,
    /// A level's track: management, executive or individual contributor.
    Track,
}

impl Schema {
    /// Every top-level field, in form order.
    pub fn fields(&self) -> impl Iterator<Item = &'static Field> + use<> {
        self.sections.iter().flat_map(|s| s.fields.iter())
    }

    /// Whether `name` is a form control of this schema: a field, a record
    /// (`skills.2`) or a record's column (`skills.2.level`).
    pub fn is_control(&self, name: &str) -> bool {
        self.sections
            .iter()
            .any(|section| is_control_among(section.fields, name))
    }
}

fn is_control_among(fields: &[Field], name: &str) -> bool {
    fields.iter().any(|field| {
        if field.name == name {
            return true;
        }
        let Shape::Records { columns, .. } = &field.shape else {
            return false;
        };
        let Some(rest) = name
            .strip_prefix(field.name)
            .and_then(|r| r.strip_prefix('.'))
        else {
            return false;
        };
        match rest.split_once('.') {
            None => rest.parse::<usize>().is_ok(),
            Some((index, column)) => {
                index.parse::<usize>().is_ok() && is_control_among(columns, column)
            }
        }
    })
}

const fn field(name: &'static str, label: &'static str, hint: &'static str, shape: Shape) -> Field {
    Field {
        name,
        label,
        hint,
        shape,
        required: false,
        choices: Choices::Free,
    }
}

const fn required(field: Field) -> Field {
    Field {
        required: true,
        ..field
    }
}

const fn choose(field: Field, choices: Choices) -> Field {
    Field { choices, ..field }
}

/// A reference to a role: a catalog role or a title outside the catalog,
/// with a note.
const ROLE_REFERENCE: [Field; 3] = [
    choose(
        field(
            "role",
            "Catalog role",
            "A role of this catalog; leave empty for a title outside it.",
            Shape::Line,
        ),
        Choices::Roles,
    ),
    field(
        "title",
        "Or a title outside the catalog",
        "A job title this catalog does not define.",
        Shape::Line,
    ),
    field(
        "note",
        "Note",
        "What the move asks of the person.",
        Shape::Prose,
    ),
];

const CAREER_NOTE: &str = "Each move: a catalog role or an outside title, and what the move asks of the person (skills to build, experience to get).";

/// A role blueprint: `roles/<id>.toml`.
pub static ROLE: Schema = Schema {
    kind: "role",
    root: None,
    sections: &[
        Section {
            title: "Title and place",
            anchor: "place",
            fields: &[
                required(field(
                    "title",
                    "Title",
                    "The title as the organisation writes it in job descriptions.",
                    Shape::Line,
                )),
                field(
                    "aliases",
                    "Other titles",
                    "One per line: titles other organisations use for the same role, so that title matching finds it.",
                    Shape::Lines,
                ),
                choose(
                    required(field(
                        "family",
                        "Family",
                        "The job family of the framework.",
                        Shape::Line,
                    )),
                    Choices::Families,
                ),
                choose(
                    required(field(
                        "level",
                        "Level",
                        "The framework's level: it sets the role's rank in career moves.",
                        Shape::Line,
                    )),
                    Choices::Levels,
                ),
            ],
        },
        Section {
            title: "Summary and purpose",
            anchor: "summary",
            fields: &[
                required(field(
                    "summary",
                    "Summary",
                    "What the role answers for, for whom, and how. `{role}` stands for the role's title; `{role:ID}` names another role and links it.",
                    Shape::Prose,
                )),
                required(field(
                    "purpose",
                    "Purpose",
                    "One or two sentences: why the organisation has this role.",
                    Shape::Prose,
                )),
            ],
        },
        Section {
            title: "Scope",
            anchor: "scope",
            fields: &[
                field(
                    "scope.reports_to",
                    "Reports to",
                    "The roles this one usually reports to.",
                    Shape::Records {
                        columns: &ROLE_REFERENCE,
                        style: RecordStyle::Inline,
                        noun: "manager",
                    },
                ),
                required(field(
                    "scope.direct_reports",
                    "Direct reports",
                    "How many people report to the role, and who they are.",
                    Shape::Prose,
                )),
                required(field(
                    "scope.span",
                    "Span",
                    "The services, teams, systems or portfolio the role covers.",
                    Shape::Prose,
                )),
                required(field(
                    "scope.org_size",
                    "Organisation size",
                    "The size of organisation where the role is found, in people or engineers.",
                    Shape::Prose,
                )),
                required(field(
                    "scope.budget",
                    "Budget",
                    "What the role spends, approves or recommends.",
                    Shape::Prose,
                )),
                required(field(
                    "scope.time_horizon",
                    "Time horizon",
                    "How far ahead the role plans and decides.",
                    Shape::Prose,
                )),
                field(
                    "scope.context",
                    "Context",
                    "When organisations use this title, and how it differs from its neighbours.",
                    Shape::Prose,
                ),
                field(
                    "scope.in_scope",
                    "In scope",
                    "One per line: what the role owns.",
                    Shape::Lines,
                ),
                field(
                    "scope.out_of_scope",
                    "Out of scope",
                    "One per line: what belongs to a neighbouring role, and which.",
                    Shape::Lines,
                ),
            ],
        },
        Section {
            title: "Responsibilities",
            anchor: "responsibilities",
            fields: &[field(
                "responsibilities",
                "Responsibility areas",
                "Each area with its items, one per line, each starting with a verb.",
                Shape::Records {
                    columns: &[
                        required(field("area", "Area", "The area's name.", Shape::Line)),
                        required(field(
                            "items",
                            "Items",
                            "One per line, each starting with a verb.",
                            Shape::Lines,
                        )),
                    ],
                    style: RecordStyle::Tables,
                    noun: "area",
                },
            )],
        },
        Section {
            title: "Decision rights",
            anchor: "decisions",
            fields: &[
                field(
                    "decisions.decides",
                    "Decides",
                    "One per line: what the role decides on its own.",
                    Shape::Lines,
                ),
                field(
                    "decisions.recommends",
                    "Recommends",
                    "One per line: what the role proposes for someone else to decide.",
                    Shape::Lines,
                ),
                field(
                    "decisions.consulted",
                    "Consulted",
                    "One per line: what others decide after hearing the role.",
                    Shape::Lines,
                ),
            ],
        },
        Section {
            title: "Skills",
            anchor: "skills",
            fields: &[field(
                "skills",
                "Skills",
                "Each skill of the taxonomy the role needs, the level it needs (1 to 5) and whether it is core.",
                Shape::Records {
                    columns: &[
                        choose(
                            required(field("skill", "Skill", "", Shape::Line)),
                            Choices::Skills,
                        ),
                        choose(
                            required(field("level", "Level", "", Shape::Number)),
                            Choices::Proficiency,
                        ),
                        choose(
                            required(field("importance", "Importance", "", Shape::Line)),
                            Choices::Importance,
                        ),
                    ],
                    style: RecordStyle::Tables,
                    noun: "skill",
                },
            )],
        },
        Section {
            title: "KPIs",
            anchor: "kpis",
            fields: &[field(
                "kpis",
                "KPIs owned",
                "Each KPI of the catalog the role answers for, its target for this role, and why the role owns it.",
                Shape::Records {
                    columns: &[
                        choose(
                            required(field("kpi", "KPI", "", Shape::Line)),
                            Choices::Kpis,
                        ),
                        required(field(
                            "target",
                            "Target",
                            "A number and a period: what good looks like for this role.",
                            Shape::Prose,
                        )),
                        required(field("why", "Why this role owns it", "", Shape::Prose)),
                    ],
                    style: RecordStyle::Tables,
                    noun: "KPI",
                },
            )],
        },
        Section {
            title: "Career moves",
            anchor: "career",
            fields: &[
                field(
                    "career.feeders",
                    "Comes from",
                    CAREER_NOTE,
                    Shape::Records {
                        columns: &ROLE_REFERENCE,
                        style: RecordStyle::Tables,
                        noun: "feeder role",
                    },
                ),
                field(
                    "career.next",
                    "Leads to",
                    CAREER_NOTE,
                    Shape::Records {
                        columns: &ROLE_REFERENCE,
                        style: RecordStyle::Tables,
                        noun: "next role",
                    },
                ),
                field(
                    "career.lateral",
                    "Lateral moves",
                    CAREER_NOTE,
                    Shape::Records {
                        columns: &ROLE_REFERENCE,
                        style: RecordStyle::Tables,
                        noun: "lateral move",
                    },
                ),
            ],
        },
        Section {
            title: "Hiring and success",
            anchor: "hiring",
            fields: &[
                field(
                    "hiring_signals",
                    "Hiring signals",
                    "One per line: interview evidence that a candidate can do this job.",
                    Shape::Lines,
                ),
                field(
                    "failure_modes",
                    "Failure modes",
                    "One per line: how holders of this role commonly fail.",
                    Shape::Lines,
                ),
                field(
                    "qualifications.experience",
                    "Experience",
                    "One per line.",
                    Shape::Lines,
                ),
                field(
                    "qualifications.certifications",
                    "Certifications",
                    "One per line; say which are optional.",
                    Shape::Lines,
                ),
                field(
                    "qualifications.education",
                    "Education",
                    "One per line.",
                    Shape::Lines,
                ),
                field(
                    "success.days_90",
                    "Success at 90 days",
                    "One per line: what the holder has done after three months.",
                    Shape::Lines,
                ),
                field(
                    "success.months_12",
                    "Success at 12 months",
                    "One per line: what has changed after a year.",
                    Shape::Lines,
                ),
            ],
        },
        Section {
            title: "Crosswalks and sources",
            anchor: "sources",
            fields: &[
                field(
                    "crosswalk.onet_soc",
                    "O*NET-SOC code",
                    "For example 11-3021.00.",
                    Shape::Line,
                ),
                field("crosswalk.onet_title", "O*NET title", "", Shape::Line),
                field(
                    "crosswalk.esco_occupation",
                    "ESCO occupation",
                    "The occupation's URI.",
                    Shape::Line,
                ),
                field("crosswalk.esco_title", "ESCO title", "", Shape::Line),
                required(field(
                    "provenance.last_reviewed",
                    "Last reviewed",
                    "The date the blueprint was last checked, YYYY-MM-DD.",
                    Shape::Date,
                )),
                field(
                    "provenance.sources",
                    "Sources",
                    "One per line: the standards and publications the blueprint draws on.",
                    Shape::Lines,
                ),
            ],
        },
    ],
};

/// A skill of the taxonomy: one `[[skills]]` block.
pub static SKILL: Schema = Schema {
    kind: "skill",
    root: Some("skills"),
    sections: &[
        Section {
            title: "Skill",
            anchor: "skill",
            fields: &[
                required(field("name", "Name", "", Shape::Line)),
                choose(
                    required(field("category", "Category", "", Shape::Line)),
                    Choices::SkillCategory,
                ),
                required(field(
                    "description",
                    "Description",
                    "What the skill covers, so that two people rate the same thing.",
                    Shape::Prose,
                )),
                field(
                    "sfia_code",
                    "SFIA code",
                    "The SFIA 9 skill it corresponds to, for example ITSP.",
                    Shape::Line,
                ),
                field(
                    "esco_uri",
                    "ESCO skill",
                    "The ESCO skill's URI.",
                    Shape::Line,
                ),
            ],
        },
        Section {
            title: "Levels",
            anchor: "levels",
            fields: &[
                field(
                    "levels.1",
                    "Level 1",
                    "What a person at this level does, observably.",
                    Shape::Prose,
                ),
                field("levels.2", "Level 2", "", Shape::Prose),
                field("levels.3", "Level 3", "", Shape::Prose),
                field("levels.4", "Level 4", "", Shape::Prose),
                field("levels.5", "Level 5", "", Shape::Prose),
            ],
        },
    ],
};

/// A KPI of the catalog: one `[[kpis]]` block.
pub static KPI: Schema = Schema {
    kind: "kpi",
    root: Some("kpis"),
    sections: &[
        Section {
            title: "KPI",
            anchor: "kpi",
            fields: &[
                required(field("name", "Name", "", Shape::Line)),
                required(field(
                    "category",
                    "Category",
                    "For example reliability or security.",
                    Shape::Line,
                )),
                required(field(
                    "definition",
                    "Definition",
                    "What is measured, exactly.",
                    Shape::Prose,
                )),
                required(field(
                    "formula",
                    "Formula",
                    "How it is computed, with its numerator and denominator.",
                    Shape::Prose,
                )),
                required(field(
                    "unit",
                    "Unit",
                    "For example % or minutes.",
                    Shape::Line,
                )),
                choose(
                    required(field("direction", "Direction", "", Shape::Line)),
                    Choices::Direction,
                ),
                required(field(
                    "cadence",
                    "Cadence",
                    "How often it is measured.",
                    Shape::Line,
                )),
                required(field(
                    "data_sources",
                    "Data sources",
                    "One per line.",
                    Shape::Lines,
                )),
                required(field(
                    "pitfalls",
                    "Pitfalls",
                    "One per line: how the KPI gets gamed or misread.",
                    Shape::Lines,
                )),
            ],
        },
        Section {
            title: "Benchmarks",
            anchor: "benchmarks",
            fields: &[field(
                "benchmarks",
                "Benchmarks",
                "Published values, each with what it means, its source and year.",
                Shape::Records {
                    columns: &[
                        required(field("value", "Value", "A value or a range.", Shape::Line)),
                        required(field("meaning", "Meaning", "", Shape::Prose)),
                        required(field("source", "Source", "", Shape::Line)),
                        required(field("year", "Year", "", Shape::Number)),
                    ],
                    style: RecordStyle::Tables,
                    noun: "benchmark",
                },
            )],
        },
    ],
};

/// The framework: its levels, job families and proficiency scale
/// (`framework.toml`).
pub static FRAMEWORK: Schema = Schema {
    kind: "framework",
    root: None,
    sections: &[
        Section {
            title: "Levels",
            anchor: "levels",
            fields: &[field(
                "levels",
                "Levels",
                "Each level of the framework: its rank orders career moves, and its SFIA 9 level of responsibility anchors it.",
                Shape::Records {
                    columns: &[
                        required(field(
                            "id",
                            "Id",
                            "Lower-case words joined by hyphens; roles name their level by it.",
                            Shape::Line,
                        )),
                        required(field("name", "Name", "", Shape::Line)),
                        required(field(
                            "rank",
                            "Rank",
                            "Higher is more senior.",
                            Shape::Number,
                        )),
                        choose(
                            required(field("track", "Track", "", Shape::Line)),
                            Choices::Track,
                        ),
                        required(field("sfia_level", "SFIA level", "1 to 7.", Shape::Number)),
                        required(field("autonomy", "Autonomy", "", Shape::Prose)),
                        required(field("influence", "Influence", "", Shape::Prose)),
                        required(field("complexity", "Complexity", "", Shape::Prose)),
                        required(field(
                            "span_of_control",
                            "Span of control",
                            "",
                            Shape::Prose,
                        )),
                        field(
                            "direct_reports_min",
                            "Fewest direct reports",
                            "Expected at this level; the org check flags fewer.",
                            Shape::Number,
                        ),
                        field(
                            "direct_reports_max",
                            "Most direct reports",
                            "Expected at this level; the org check flags more. 0 for no reports.",
                            Shape::Number,
                        ),
                        required(field("budget", "Budget", "", Shape::Prose)),
                        required(field("time_horizon", "Time horizon", "", Shape::Prose)),
                    ],
                    style: RecordStyle::Tables,
                    noun: "level",
                },
            )],
        },
        Section {
            title: "Job families",
            anchor: "families",
            fields: &[field(
                "families",
                "Families",
                "Each job family roles belong to.",
                Shape::Records {
                    columns: &[
                        required(field(
                            "id",
                            "Id",
                            "Lower-case words joined by hyphens; roles name their family by it.",
                            Shape::Line,
                        )),
                        required(field("name", "Name", "", Shape::Line)),
                        required(field("description", "Description", "", Shape::Prose)),
                    ],
                    style: RecordStyle::Tables,
                    noun: "family",
                },
            )],
        },
        Section {
            title: "Proficiency scale",
            anchor: "proficiency",
            fields: &[field(
                "proficiency",
                "Proficiency levels",
                "Exactly the levels 1 to 5 skills are rated on.",
                Shape::Records {
                    columns: &[
                        required(field("level", "Level", "", Shape::Number)),
                        required(field("name", "Name", "", Shape::Line)),
                        required(field("descriptor", "What it means", "", Shape::Prose)),
                    ],
                    style: RecordStyle::Tables,
                    noun: "proficiency level",
                },
            )],
        },
    ],
};

/// The form of a kind of entity, when it has one (the organisation and
/// the logo are edited as text or a file).
pub fn of_kind(kind: &str) -> Option<&'static Schema> {
    match kind {
        "role" => Some(&ROLE),
        "skill" => Some(&SKILL),
        "kpi" => Some(&KPI),
        "framework" => Some(&FRAMEWORK),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_fields_records_and_columns() {
        assert!(ROLE.is_control("title"));
        assert!(ROLE.is_control("scope.span"));
        assert!(ROLE.is_control("skills"));
        assert!(ROLE.is_control("skills.3"));
        assert!(ROLE.is_control("skills.3.level"));
        assert!(ROLE.is_control("career.next.0.note"));
        assert!(!ROLE.is_control("skills.x.level"));
        assert!(!ROLE.is_control("skills.3.colour"));
        assert!(!ROLE.is_control("scope"));
        assert!(!ROLE.is_control("colour"));
        assert!(SKILL.is_control("levels.4"));
    }

    #[test]
    fn names_are_unique_within_a_schema() {
        for schema in [&ROLE, &SKILL, &KPI, &FRAMEWORK] {
            let mut names: Vec<_> = schema.fields().map(|f| f.name).collect();
            names.sort_unstable();
            let count = names.len();
            names.dedup();
            assert_eq!(names.len(), count, "{}", schema.kind);
        }
    }
}
