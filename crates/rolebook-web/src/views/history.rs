//! A role's history page (`/roles/ID/history`, workspace mode only): the
//! versions that changed it, newest first, each with who, when and why,
//! and what changed from the version before, as structured HTML (reworded
//! text with its inserted and deleted words marked).
//!
//! The handler reads the versions and revisions from the workspace; this
//! builder only shapes them, so it knows nothing of requests or SQL.

use askama::Template;
use rolebook_core::changes::{Change, WordOp, field_label};
use rolebook_store::EntityDiff;

use super::catalog::{published_kpi, published_skill};
use super::{Layout, Links, published_role, render};
use crate::cache::Cached;
use crate::error::AppError;
use crate::state::Snapshot;

/// One version that changed the role, as the handler read it.
#[derive(Debug)]
pub struct HistoryItem {
    pub version: rolebook_store::Version,
    /// What changed from the role's previous revision; the message when
    /// the two cannot be compared.
    pub diff: Result<EntityDiff, String>,
}

/// A run of words in a reworded text.
#[derive(Debug)]
pub struct WordSpan {
    /// `equal`, `insert` or `delete`.
    pub op: &'static str,
    pub text: String,
}

#[derive(Debug)]
pub enum ChangeBody {
    Words(Vec<WordSpan>),
    FromTo {
        from: String,
        to: String,
    },
    Added(String),
    Removed(String),
    Moved {
        value: String,
        from: usize,
        to: usize,
    },
}

#[derive(Debug)]
pub struct ChangeRow {
    /// Where the change is, as a reader says it (`Scope › Budget`).
    pub label: String,
    pub body: ChangeBody,
}

#[derive(Debug)]
pub struct VersionView {
    pub number: i64,
    /// RFC 3339, for `<time datetime>`.
    pub datetime: String,
    /// The same for people.
    pub when: String,
    pub author: String,
    pub message: String,
    /// `created`, `changed`, `deleted` or `unchanged`.
    pub status: &'static str,
    pub changes: Vec<ChangeRow>,
    /// Why the changes cannot be shown.
    pub note: Option<String>,
    /// Whether the pages show this version.
    pub current: bool,
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage {
    layout: Layout,
    /// `role`, `skill` or `KPI`.
    noun: &'static str,
    title: String,
    /// The entity's page, and the list it is in.
    link: String,
    list: (&'static str, &'static str),
    versions: Vec<VersionView>,
}

/// Whose history a page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HistoryOf {
    Role,
    Skill,
    Kpi,
}

/// The history page of the role, skill or KPI `id`, from `items` newest
/// first.
pub(crate) fn history_page(
    snap: &Snapshot,
    links: Links,
    of: HistoryOf,
    id: &str,
    items: Vec<HistoryItem>,
) -> Result<Cached, AppError> {
    let (noun, title, link, list) = match of {
        HistoryOf::Role => {
            let role = published_role(snap, id)?;
            (
                "role",
                role.title.to_string(),
                format!("/roles/{id}"),
                ("/", "Roles"),
            )
        }
        HistoryOf::Skill => {
            let skill = published_skill(snap, id)?;
            (
                "skill",
                skill.name.clone(),
                format!("/skills/{id}"),
                ("/skills", "Skills"),
            )
        }
        HistoryOf::Kpi => {
            let kpi = published_kpi(snap, id)?;
            (
                "KPI",
                kpi.name.clone(),
                format!("/kpis/{id}"),
                ("/kpis", "KPIs"),
            )
        }
    };
    let served = snap.version.and_then(|v| i64::try_from(v).ok());
    let versions = items
        .into_iter()
        .map(|item| {
            let (status, changes, note) = match item.diff {
                Ok(diff) => (
                    diff.status,
                    diff.changes
                        .map(|c| c.changes.iter().map(|c| row(snap, c)).collect())
                        .unwrap_or_default(),
                    None,
                ),
                Err(message) => ("changed", Vec::new(), Some(message)),
            };
            VersionView {
                number: item.version.number,
                when: item
                    .version
                    .created_at
                    .replace('T', " ")
                    .replace('Z', " UTC"),
                datetime: item.version.created_at,
                author: item.version.author,
                message: item.version.message,
                status,
                changes,
                note,
                current: served == Some(item.version.number),
            }
        })
        .collect();
    let nav = match of {
        HistoryOf::Role => "roles",
        HistoryOf::Skill => "skills",
        HistoryOf::Kpi => "kpis",
    };
    let layout = Layout::new(
        snap,
        format!("History of {title}"),
        format!("The workspace versions that changed {title}"),
        nav,
    )
    .with_links(links);
    render(&HistoryPage {
        layout,
        noun,
        title,
        link,
        list,
        versions,
    })
}

fn skill_name(snap: &Snapshot, id: &str) -> String {
    snap.catalog
        .skill(id)
        .map_or_else(|| id.to_string(), |s| s.name.clone())
}

fn kpi_name(snap: &Snapshot, id: &str) -> String {
    snap.catalog
        .kpi(id)
        .map_or_else(|| id.to_string(), |k| k.name.clone())
}

pub(crate) fn row(snap: &Snapshot, change: &Change) -> ChangeRow {
    let (label, body) = match change {
        Change::Text { field, words, .. } => (
            field_label(field),
            ChangeBody::Words(
                words
                    .iter()
                    .map(|w| WordSpan {
                        op: match w.op {
                            WordOp::Equal => "equal",
                            WordOp::Insert => "insert",
                            WordOp::Delete => "delete",
                        },
                        text: w.text.clone(),
                    })
                    .collect(),
            ),
        ),
        Change::Value { field, from, to } => (
            field_label(field),
            ChangeBody::FromTo {
                from: from.clone(),
                to: to.clone(),
            },
        ),
        Change::Added { field, value } => (field_label(field), ChangeBody::Added(value.clone())),
        Change::Removed { field, value } => {
            (field_label(field), ChangeBody::Removed(value.clone()))
        }
        Change::Moved {
            field,
            value,
            from,
            to,
        } => (
            field_label(field),
            ChangeBody::Moved {
                value: value.clone(),
                from: from + 1,
                to: to + 1,
            },
        ),
        Change::SkillLevel { skill, from, to } => (
            format!("Skills › {} › Level", skill_name(snap, skill)),
            ChangeBody::FromTo {
                from: from.to_string(),
                to: to.to_string(),
            },
        ),
        Change::SkillImportance { skill, from, to } => (
            format!("Skills › {} › Importance", skill_name(snap, skill)),
            ChangeBody::FromTo {
                from: from.label().to_string(),
                to: to.label().to_string(),
            },
        ),
        Change::SkillAdded {
            skill,
            level,
            importance,
        } => (
            "Skills".to_string(),
            ChangeBody::Added(format!(
                "{} (level {level}, {})",
                skill_name(snap, skill),
                importance.label()
            )),
        ),
        Change::SkillRemoved {
            skill,
            level,
            importance,
        } => (
            "Skills".to_string(),
            ChangeBody::Removed(format!(
                "{} (level {level}, {})",
                skill_name(snap, skill),
                importance.label()
            )),
        ),
        Change::KpiTarget { kpi, from, to } => (
            format!("KPIs › {} › Target", kpi_name(snap, kpi)),
            ChangeBody::FromTo {
                from: from.clone(),
                to: to.clone(),
            },
        ),
        Change::KpiAdded { kpi, target } => (
            "KPIs".to_string(),
            ChangeBody::Added(format!("{}: {target}", kpi_name(snap, kpi))),
        ),
        Change::KpiRemoved { kpi, target } => (
            "KPIs".to_string(),
            ChangeBody::Removed(format!("{}: {target}", kpi_name(snap, kpi))),
        ),
        Change::CareerAdded { list, to, note } => (
            field_label(list.field()),
            ChangeBody::Added(match note {
                Some(note) if !note.is_empty() => format!("{to} ({note})"),
                _ => to.clone(),
            }),
        ),
        Change::CareerRemoved { list, to } => {
            (field_label(list.field()), ChangeBody::Removed(to.clone()))
        }
    };
    ChangeRow { label, body }
}
