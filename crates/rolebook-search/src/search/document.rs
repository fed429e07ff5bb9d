//! What is indexed: every role, skill and KPI of a catalog as a document
//! of text fields (title, aliases, id, summary, body), each with its boost,
//! and the passages kept beside the index for snippets.

use rolebook_core::Catalog;
use serde::Serialize;

use std::sync::OnceLock;

use super::Kind;
use super::snippet::DocWords;

/// The text of one indexed document, as the index sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexedDocument {
    pub kind: Kind,
    pub id: String,
    pub title: String,
    pub aliases: String,
    pub summary: String,
    pub body: String,
}

/// A field of text a document may have, with its boost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TextField {
    Title,
    Aliases,
    Id,
    Summary,
    Body,
}

impl TextField {
    pub(super) const ALL: [TextField; 5] = [
        TextField::Title,
        TextField::Aliases,
        TextField::Id,
        TextField::Summary,
        TextField::Body,
    ];

    pub(super) fn name(self) -> &'static str {
        match self {
            TextField::Title => "title",
            TextField::Aliases => "aliases",
            TextField::Id => "id",
            TextField::Summary => "summary",
            TextField::Body => "body",
        }
    }

    /// A word in the title says more than the same word in the body.
    pub(super) fn boost(self) -> f32 {
        match self {
            TextField::Title => 5.0,
            TextField::Aliases => 4.0,
            TextField::Id => 3.0,
            TextField::Summary => 2.0,
            TextField::Body => 1.0,
        }
    }
}

/// The text of one document, kept beside the index for snippets.
#[derive(Debug, Clone)]
pub(super) struct Doc {
    pub(super) kind: Kind,
    pub(super) id: String,
    pub(super) title: String,
    pub(super) context: String,
    pub(super) aliases: String,
    /// (label, text) passages shown as snippets, in order of preference.
    pub(super) passages: Vec<(&'static str, String)>,
    /// Its words by stem, for highlights: made the first time it is a hit.
    pub(super) words: OnceLock<DocWords>,
}

impl Doc {
    /// Its title's and passages' words, by stem.
    pub(super) fn words(&self) -> &DocWords {
        self.words
            .get_or_init(|| DocWords::new(&self.title, &self.passages))
    }

    pub(super) fn field_text(&self, field: TextField) -> String {
        match field {
            TextField::Title => self.title.clone(),
            TextField::Aliases => self.aliases.clone(),
            TextField::Id => self.id.replace('-', " "),
            TextField::Summary => self
                .passages
                .first()
                .map(|(_, t)| t.clone())
                .unwrap_or_default(),
            TextField::Body => self
                .passages
                .iter()
                .skip(1)
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// Every role, skill and KPI of a catalog, as documents to index.
pub(super) fn documents(catalog: &Catalog) -> Vec<Doc> {
    let mut docs = Vec::new();
    for role in catalog.roles() {
        let level = catalog
            .level(&role.level)
            .map_or_else(|| role.level.to_string(), |l| l.name.clone());
        let family = catalog
            .family(&role.family)
            .map_or_else(|| role.family.to_string(), |f| f.name.clone());
        let responsibilities: Vec<&str> =
            role.responsibility_items().map(|(_, item)| item).collect();
        docs.push(Doc {
            kind: Kind::Role,
            words: OnceLock::new(),
            id: role.id.to_string(),
            title: role.title.to_string(),
            context: format!("{family} · {level}"),
            aliases: role
                .aliases
                .iter()
                .map(|a| a.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            passages: vec![
                ("summary", role.summary.clone()),
                ("purpose", role.purpose.clone()),
                ("responsibilities", responsibilities.join("\n")),
                ("scope", role.scope.in_scope.join("\n")),
            ],
        });
    }
    for skill in catalog.skills() {
        docs.push(Doc {
            kind: Kind::Skill,
            words: OnceLock::new(),
            id: skill.id.to_string(),
            title: skill.name.clone(),
            context: format!("{} skill", skill.category.label()),
            aliases: String::new(),
            passages: vec![
                ("description", skill.description.clone()),
                (
                    "levels",
                    skill
                        .levels
                        .values()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
            ],
        });
    }
    for kpi in catalog.kpis() {
        docs.push(Doc {
            kind: Kind::Kpi,
            words: OnceLock::new(),
            id: kpi.id.to_string(),
            title: kpi.name.clone(),
            context: format!("{} KPI · {}", kpi.category, kpi.unit),
            aliases: String::new(),
            passages: vec![
                ("definition", kpi.definition.clone()),
                ("formula", kpi.formula.clone()),
                ("pitfalls", kpi.pitfalls.join("\n")),
            ],
        });
    }
    docs
}
