//! The editor's pages: the list of change requests, one change request
//! under review (its field-level diffs, validation, comments and the
//! moves its reader may make), and the form that edits one entity.
//!
//! Handlers (`pages::changes`) read the workspace and decide what the
//! visitor may do; these builders only shape what they were given. None
//! of these pages is cached: each is about unpublished work and its
//! visitor.

use std::collections::BTreeMap;

use askama::Template;
use rolebook_core::changes::Change;
use rolebook_edit::{Choices, Field, Schema, Shape, Values};
use rolebook_store::{ChangeRequest, EntityDiagnostic, State, Step};

use super::Layout;
use super::history::{ChangeBody, ChangeRow, row as change_row};
use crate::state::Snapshot;

/// How people read a state.
pub(crate) fn state_label(state: State) -> &'static str {
    match state {
        State::Draft => "Draft",
        State::InReview => "In review",
        State::Approved => "Approved",
        State::Published => "Published",
        State::Rejected => "Rejected",
        State::Withdrawn => "Withdrawn",
    }
}

/// A stored time (`2026-12-07T05:41:08.123Z`) as people read it.
pub(crate) fn when(at: &str) -> String {
    let minutes = at.get(..16).unwrap_or(at);
    format!("{} UTC", minutes.replace('T', " "))
}

/// What an entity is called on the pages: a role's title, a skill's or
/// KPI's name, from the published catalog; its id otherwise.
pub(crate) fn entity_label(snap: &Snapshot, kind: &str, id: &str) -> String {
    let catalog = &snap.catalog;
    let name = match kind {
        "role" => catalog.role(id).map(|r| r.title.to_string()),
        "skill" => catalog.skill(id).map(|s| s.name.clone()),
        "kpi" => catalog.kpi(id).map(|k| k.name.clone()),
        "framework" => Some("The framework (levels, families, proficiency)".to_string()),
        "organisation" => Some("The organisation".to_string()),
        "logo" => Some("The logo".to_string()),
        _ => None,
    };
    name.unwrap_or_else(|| id.to_string())
}

pub(crate) fn kind_label(kind: &str) -> &'static str {
    match kind {
        "role" => "Role",
        "skill" => "Skill",
        "kpi" => "KPI",
        "framework" => "Framework",
        "organisation" => "Organisation",
        "logo" => "Logo",
        _ => "Entity",
    }
}

pub(crate) fn editor_link(change_request: i64, kind: &str, id: &str) -> String {
    format!("/changes/{change_request}/edit/{kind}/{id}")
}

// ------------------------------------------------------------------ the list

#[derive(Debug)]
pub(crate) struct RequestRow {
    pub id: i64,
    pub title: String,
    pub state: &'static str,
    pub state_label: &'static str,
    pub author: String,
    pub updated: String,
    /// Why it waits for the visitor, when it does.
    pub waiting: Option<&'static str>,
}

impl RequestRow {
    pub fn new(request: &ChangeRequest, waiting: Option<&'static str>) -> Self {
        RequestRow {
            id: request.id,
            title: request.title.clone(),
            state: request.state.as_str(),
            state_label: state_label(request.state),
            author: request.author.clone(),
            updated: when(&request.updated_at),
            waiting,
        }
    }
}

#[derive(Template)]
#[template(path = "changes.html")]
pub(crate) struct ChangesPage {
    pub layout: Layout,
    pub csrf: String,
    pub may_edit: bool,
    pub awaiting: Vec<RequestRow>,
    pub open: Vec<RequestRow>,
    pub closed: Vec<RequestRow>,
    /// What the new change request form was sent with, on an error.
    pub title: String,
    pub description: String,
    pub error: Option<String>,
}

impl ChangesPage {
    pub fn new(snap: &Snapshot, csrf: String, may_edit: bool) -> Self {
        ChangesPage {
            layout: Layout::new(
                snap,
                "Change requests",
                "Proposed changes to the role framework, their review and publication.",
                "changes",
            ),
            csrf,
            may_edit,
            awaiting: Vec::new(),
            open: Vec::new(),
            closed: Vec::new(),
            title: String::new(),
            description: String::new(),
            error: None,
        }
    }
}

/// Where a catalog page's "Edit" leads: the open change requests to edit
/// the entity in, or a new one.
#[derive(Template)]
#[template(path = "start-edit.html")]
pub(crate) struct StartPage {
    pub layout: Layout,
    pub csrf: String,
    pub kind_label: &'static str,
    pub label: String,
    /// `role/sre-manager`.
    pub edit: String,
    /// Each open change request with the link to the entity's editor in it.
    pub open: Vec<(RequestRow, String)>,
}

// ------------------------------------------------------------ one request

/// A move the visitor may make, as a button.
#[derive(Debug)]
pub(crate) struct MoveView {
    pub to: &'static str,
    pub label: &'static str,
    /// `button` or `button ghost`.
    pub style: &'static str,
    /// What the note box asks for.
    pub note_label: &'static str,
}

impl MoveView {
    pub fn of(to: State) -> MoveView {
        let (label, style, note_label) = match to {
            State::InReview => (
                "Submit for review",
                "button",
                "Note for the reviewers (optional)",
            ),
            State::Approved => ("Approve", "button", "Note (optional)"),
            State::Draft => ("Request changes", "button ghost", "What should change"),
            State::Rejected => ("Reject", "button ghost", "Why (optional)"),
            State::Withdrawn => ("Withdraw", "button ghost", "Why (optional)"),
            State::Published => ("Publish", "button", "Version message"),
        };
        MoveView {
            to: to.as_str(),
            label,
            style,
            note_label,
        }
    }
}

/// A diagnostic as the pages show it.
#[derive(Debug, Clone)]
pub(crate) struct ProblemView {
    /// `error` or `warning`.
    pub severity: String,
    pub code: String,
    pub message: String,
    pub hint: Option<String>,
    /// Where it is: `line 12, column 3`, when located.
    pub place: Option<String>,
}

impl ProblemView {
    pub fn new(diagnostic: &EntityDiagnostic) -> Self {
        ProblemView {
            severity: diagnostic.severity.clone(),
            code: diagnostic.code.clone(),
            message: diagnostic.message.clone(),
            hint: diagnostic.hint.clone(),
            place: diagnostic
                .line
                .map(|line| format!("line {line}, column {}", diagnostic.column.unwrap_or(1))),
        }
    }

    pub fn severity_label(&self) -> &'static str {
        if self.severity == "error" {
            "Error"
        } else {
            "Warning"
        }
    }
}

/// One comment.
#[derive(Debug, Clone)]
pub(crate) struct CommentView {
    pub author: String,
    pub when: String,
    pub datetime: String,
    pub body: String,
    /// What it is about: `Role SRE Manager › KPIs owned`; empty for the
    /// change request.
    pub about: String,
    pub link: Option<String>,
}

/// One step of the timeline: a comment or a move.
#[derive(Debug)]
pub(crate) struct StepView {
    pub comment: Option<CommentView>,
    /// `ann@example.com moved it from Draft to In review`.
    pub moved: Option<String>,
    pub note: String,
    pub when: String,
    pub datetime: String,
}

/// One edited entity, with its changes.
#[derive(Debug)]
pub(crate) struct EditView {
    pub kind: String,
    pub kind_label: &'static str,
    pub id: String,
    pub label: String,
    /// `create`, `update` or `delete`.
    pub action: &'static str,
    pub author: String,
    pub token: String,
    pub link: String,
    pub changes: Vec<ChangeRow>,
    /// Why the changes cannot be shown.
    pub note: Option<String>,
    pub problems: Vec<ProblemView>,
    pub comments: Vec<CommentView>,
    /// The fields a comment may be about (name, label).
    pub fields: Vec<(&'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "change.html")]
pub(crate) struct ChangePage {
    pub layout: Layout,
    pub csrf: String,
    pub id: i64,
    pub title: String,
    pub description: String,
    pub state: &'static str,
    pub state_label: &'static str,
    pub author: String,
    pub opened: String,
    pub base_version: i64,
    pub published_version: Option<i64>,
    pub contributors: String,
    pub edits: Vec<EditView>,
    pub errors: usize,
    pub warnings: usize,
    /// Problems of the catalog as a whole, in no entity.
    pub problems: Vec<ProblemView>,
    pub timeline: Vec<StepView>,
    pub moves: Vec<MoveView>,
    pub may_publish: bool,
    pub may_edit: bool,
    pub may_comment: bool,
    /// Why the visitor may not approve, when that is the reason.
    pub four_eyes: Option<&'static str>,
    pub notice: Option<String>,
    pub error: Option<String>,
    /// What the comment form was sent with, on an error.
    pub comment: String,
    pub choices: ChoiceLists,
}

impl ChangePage {
    pub fn new(snap: &Snapshot, request: &ChangeRequest, csrf: String) -> Self {
        ChangePage {
            layout: Layout::new(
                snap,
                format!("Change request {}: {}", request.id, request.title),
                "A proposed change to the role framework, under review.",
                "changes",
            ),
            csrf,
            id: request.id,
            title: request.title.clone(),
            description: request.description.clone(),
            state: request.state.as_str(),
            state_label: state_label(request.state),
            author: request.author.clone(),
            opened: when(&request.created_at),
            base_version: request.base_version,
            published_version: request.published_version,
            contributors: request.contributors.join(", "),
            edits: Vec::new(),
            errors: 0,
            warnings: 0,
            problems: Vec::new(),
            timeline: Vec::new(),
            moves: Vec::new(),
            may_publish: false,
            may_edit: false,
            may_comment: false,
            four_eyes: None,
            notice: None,
            error: None,
            comment: String::new(),
            choices: ChoiceLists::of(&snap.catalog),
        }
    }
}

/// The rows of an edit's field-level diff.
pub(crate) fn change_rows(snap: &Snapshot, changes: &[Change]) -> Vec<ChangeRow> {
    changes.iter().map(|c| change_row(snap, c)).collect()
}

/// The label of a field of `schema` by name (`kpis` → `KPIs owned`).
pub(crate) fn field_label(schema: Option<&Schema>, field: &str) -> String {
    schema
        .and_then(|s| s.fields().find(|f| f.name == field))
        .map_or_else(|| field.to_string(), |f| f.label.to_string())
}

/// The timeline as the page shows it.
pub(crate) fn timeline(snap: &Snapshot, change_request: i64, steps: Vec<Step>) -> Vec<StepView> {
    steps
        .into_iter()
        .map(|step| match step {
            Step::Comment(comment) => StepView {
                when: when(&comment.at),
                datetime: comment.at.clone(),
                note: String::new(),
                moved: None,
                comment: Some(comment_view(snap, change_request, comment)),
            },
            Step::Moved(moved) => {
                let to = State::parse(&moved.to).map_or("?", state_label);
                let text = match moved.from.as_deref().and_then(State::parse) {
                    None => format!("{} opened it", moved.actor),
                    Some(from) => format!(
                        "{} moved it from {} to {}",
                        moved.actor,
                        state_label(from),
                        to
                    ),
                };
                StepView {
                    when: when(&moved.at),
                    datetime: moved.at,
                    note: moved.note,
                    moved: Some(text),
                    comment: None,
                }
            }
        })
        .collect()
}

pub(crate) fn comment_view(
    snap: &Snapshot,
    change_request: i64,
    comment: rolebook_store::Comment,
) -> CommentView {
    let (about, link) = match &comment.on {
        None => (String::new(), None),
        Some(target) => {
            let schema = rolebook_edit::schema::of_kind(&target.kind);
            let mut about = format!(
                "{} {}",
                kind_label(&target.kind),
                entity_label(snap, &target.kind, &target.id)
            );
            let mut link = editor_link(change_request, &target.kind, &target.id);
            if !target.field.is_empty() {
                about.push_str(" › ");
                about.push_str(&field_label(schema, &target.field));
                link.push_str(&format!("#field-{}", target.field));
            }
            (about, Some(link))
        }
    };
    CommentView {
        author: comment.author,
        when: when(&comment.at),
        datetime: comment.at,
        body: comment.body,
        about,
        link,
    }
}

// ------------------------------------------------------------ the editor

/// One option of a `<select>`.
#[derive(Debug, Clone)]
pub(crate) struct OptionView {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One form control, or a list of records.
#[derive(Debug)]
pub(crate) struct FieldView {
    pub name: String,
    pub label: &'static str,
    pub hint: &'static str,
    /// `input`, `textarea`, `select` or `records`.
    pub kind: &'static str,
    pub value: String,
    pub rows: usize,
    /// The `<datalist>` offering values, if any.
    pub list: &'static str,
    pub options: Vec<OptionView>,
    pub records: Vec<RecordView>,
    pub noun: &'static str,
    pub problems: Vec<ProblemView>,
    pub comments: Vec<CommentView>,
    pub described_by: String,
}

impl FieldView {
    pub fn has_error(&self) -> bool {
        self.problems.iter().any(|p| p.severity == "error")
    }
}

/// One level of the proficiency scale, as a skill describes it.
#[derive(Debug)]
pub(crate) struct LevelHelp {
    pub level: u8,
    pub name: String,
    pub text: String,
    pub selected: bool,
}

/// One record of a list.
#[derive(Debug)]
pub(crate) struct RecordView {
    pub index: usize,
    pub number: usize,
    pub name: String,
    pub cells: Vec<FieldView>,
    pub problems: Vec<ProblemView>,
    pub first: bool,
    pub last: bool,
    /// For a skill the role requires: what each level means for it.
    pub levels: Vec<LevelHelp>,
    pub skill_name: String,
}

#[derive(Debug)]
pub(crate) struct SectionView {
    pub title: &'static str,
    pub anchor: &'static str,
    pub fields: Vec<FieldView>,
}

/// A problem the form shows beside a field, listed on top with a link to
/// it.
#[derive(Debug)]
pub(crate) struct JumpView {
    pub severity: String,
    pub label: String,
    pub message: String,
    pub anchor: String,
}

/// Someone else's save that the visitor's collided with.
#[derive(Debug)]
pub(crate) struct ConflictView {
    /// Their version, as TOML.
    pub theirs: String,
    /// What saving the visitor's version over theirs would change.
    pub changes: Vec<ChangeRow>,
    pub note: Option<String>,
}

#[derive(Template)]
#[template(path = "editor.html")]
pub(crate) struct EditorPage {
    pub layout: Layout,
    pub csrf: String,
    pub change_request: i64,
    pub request_title: String,
    pub request_state: &'static str,
    pub kind: String,
    pub kind_label: &'static str,
    pub id: String,
    pub label: String,
    pub action: String,
    pub base: String,
    /// `form` or `toml`.
    pub mode: &'static str,
    /// Whether the kind has a form (roles, skills, KPIs).
    pub has_form: bool,
    pub sections: Vec<SectionView>,
    pub toml: String,
    /// Problems the form shows nowhere else: in no field, or of the text.
    pub problems: Vec<ProblemView>,
    /// The problems shown beside fields, listed with links to them.
    pub jumps: Vec<JumpView>,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub conflict: Option<ConflictView>,
    pub may_edit: bool,
    /// Whether the change request has an edit of this entity to drop.
    pub edited: bool,
    /// The control to focus after a list operation.
    pub focus: String,
    /// Whether the form shows what is not saved (typed, then a list
    /// button or a conflict).
    pub unsaved: bool,
    pub choices: ChoiceLists,
    pub comments: Vec<CommentView>,
}

/// The values datalists and selects offer.
#[derive(Debug, Default)]
pub(crate) struct ChoiceLists {
    pub roles: Vec<(String, String)>,
    pub skills: Vec<(String, String)>,
    pub kpis: Vec<(String, String)>,
}

impl ChoiceLists {
    /// Every role, skill and KPI of `catalog`, by id with its name.
    pub fn of(catalog: &rolebook_core::Catalog) -> Self {
        ChoiceLists {
            roles: catalog
                .roles()
                .iter()
                .map(|r| (r.id.to_string(), r.title.to_string()))
                .collect(),
            skills: catalog
                .skills()
                .iter()
                .map(|s| (s.id.to_string(), s.name.clone()))
                .collect(),
            kpis: catalog
                .kpis()
                .iter()
                .map(|k| (k.id.to_string(), k.name.clone()))
                .collect(),
        }
    }
}

/// The form's sections, with each control's value, choices, problems and
/// comments; the problems no control took are left in `problems`.
pub(crate) fn sections(
    snap: &Snapshot,
    schema: &Schema,
    values: &Values,
    problems: &mut BTreeMap<String, Vec<ProblemView>>,
    comments: &mut Vec<CommentView>,
) -> Vec<SectionView> {
    schema
        .sections
        .iter()
        .map(|section| SectionView {
            title: section.title,
            anchor: section.anchor,
            fields: section
                .fields
                .iter()
                .map(|field| {
                    let mut view = field_view(snap, field, "", values, problems);
                    let (mine, rest): (Vec<_>, Vec<_>) =
                        std::mem::take(comments).into_iter().partition(|c| {
                            c.link
                                .as_deref()
                                .is_some_and(|l| l.ends_with(&format!("#field-{}", field.name)))
                        });
                    *comments = rest;
                    view.comments = mine;
                    view
                })
                .collect(),
        })
        .collect()
}

fn field_view(
    snap: &Snapshot,
    field: &'static Field,
    prefix: &str,
    values: &Values,
    problems: &mut BTreeMap<String, Vec<ProblemView>>,
) -> FieldView {
    let name = format!("{prefix}{}", field.name);
    let mut view = FieldView {
        problems: problems.remove(&name).unwrap_or_default(),
        name,
        label: field.label,
        hint: field.hint,
        kind: "input",
        value: String::new(),
        rows: 0,
        list: "",
        options: Vec::new(),
        records: Vec::new(),
        noun: "",
        comments: Vec::new(),
        described_by: String::new(),
    };
    match &field.shape {
        Shape::Line | Shape::Number | Shape::Date => {
            view.value = values.text(field.name).to_string();
            match choices(snap, field.choices, &view.value) {
                Some(options) => {
                    view.kind = "select";
                    view.options = options;
                }
                None => {
                    view.list = match field.choices {
                        Choices::Roles => "choices-roles",
                        Choices::Skills => "choices-skills",
                        Choices::Kpis => "choices-kpis",
                        _ => "",
                    };
                }
            }
        }
        Shape::Prose => {
            view.kind = "textarea";
            view.value = values.text(field.name).to_string();
            view.rows = (view.value.chars().count() / 90 + 2).clamp(2, 12);
        }
        Shape::Lines => {
            view.kind = "textarea";
            let lines = values.lines(field.name);
            view.value = lines.join("\n");
            let wrapped: usize = lines.iter().map(|l| l.chars().count() / 90 + 1).sum();
            view.rows = (wrapped + 1).clamp(2, 16);
        }
        Shape::Records { columns, noun, .. } => {
            view.kind = "records";
            view.noun = noun;
            let rows = values.rows(field.name);
            view.records = rows
                .iter()
                .enumerate()
                .map(|(index, row)| {
                    let name = format!("{}.{index}", view.name);
                    let prefix = format!("{name}.");
                    let cells: Vec<FieldView> = columns
                        .iter()
                        .map(|column| field_view(snap, column, &prefix, row, problems))
                        .collect();
                    let (levels, skill_name) = levels_help(snap, field.name, row);
                    RecordView {
                        index,
                        number: index + 1,
                        problems: problems.remove(&name).unwrap_or_default(),
                        name,
                        cells,
                        first: index == 0,
                        last: index + 1 == rows.len(),
                        levels,
                        skill_name,
                    }
                })
                .collect();
        }
    }
    let mut described = Vec::new();
    if !view.hint.is_empty() {
        described.push(format!("h-{}", view.name));
    }
    for index in 0..view.problems.len() {
        described.push(format!("p-{}-{index}", view.name));
    }
    view.described_by = described.join(" ");
    view
}

/// The options of a field whose values are few; a value typed that is not
/// among them stays selected, marked, so that nothing typed is lost.
fn choices(snap: &Snapshot, choices: Choices, current: &str) -> Option<Vec<OptionView>> {
    let catalog = &snap.catalog;
    let pairs: Vec<(String, String)> = match choices {
        Choices::Families => catalog
            .families()
            .iter()
            .map(|f| (f.id.to_string(), f.name.clone()))
            .collect(),
        Choices::Levels => catalog
            .levels()
            .iter()
            .map(|l| (l.id.to_string(), l.name.clone()))
            .collect(),
        Choices::Importance => vec![
            ("core".into(), "Core".into()),
            ("supporting".into(), "Supporting".into()),
        ],
        Choices::Proficiency => catalog
            .proficiency()
            .iter()
            .map(|p| (p.level.to_string(), format!("{} · {}", *p.level, p.name)))
            .collect(),
        Choices::Direction => vec![
            ("higher-is-better".into(), "Higher is better".into()),
            ("lower-is-better".into(), "Lower is better".into()),
            ("within-band".into(), "Within a band".into()),
        ],
        Choices::Track => vec![
            ("management".into(), "Management".into()),
            ("executive".into(), "Executive".into()),
            (
                "individual-contributor".into(),
                "Individual contributor".into(),
            ),
        ],
        Choices::SkillCategory => ["leadership", "business", "technical", "domain"]
            .iter()
            .map(|c| (c.to_string(), capitalised(c)))
            .collect(),
        Choices::Free | Choices::Roles | Choices::Skills | Choices::Kpis => return None,
    };
    let mut options: Vec<OptionView> = Vec::with_capacity(pairs.len() + 2);
    if current.is_empty() || !pairs.iter().any(|(value, _)| value == current) {
        options.push(OptionView {
            label: if current.is_empty() {
                "Choose…".to_string()
            } else {
                format!("{current} (not in the framework)")
            },
            value: current.to_string(),
            selected: true,
        });
    }
    options.extend(pairs.into_iter().map(|(value, label)| OptionView {
        selected: value == current,
        value,
        label,
    }));
    Some(options)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// For a role's skill: the skill's own description of each level, the one
/// required marked.
fn levels_help(snap: &Snapshot, list: &str, row: &Values) -> (Vec<LevelHelp>, String) {
    if list != "skills" {
        return (Vec::new(), String::new());
    }
    let Some(skill) = snap.catalog.skill(row.text("skill")) else {
        return (Vec::new(), String::new());
    };
    let required: Option<u8> = row.text("level").parse().ok();
    let levels = snap
        .catalog
        .proficiency()
        .iter()
        .map(|p| LevelHelp {
            level: *p.level,
            name: p.name.clone(),
            text: skill
                .level_descriptor(*p.level)
                .unwrap_or("(not described for this skill)")
                .to_string(),
            selected: required == Some(*p.level),
        })
        .collect();
    (levels, skill.name.clone())
}
