//! The published versions' pages: the list, and two versions compared.
//! Not cached: they show what the visitor may do (roll back).

use askama::Template;

use super::Layout;
use super::changes::when;
use super::history::{ChangeBody, ChangeRow};

/// One published version.
#[derive(Debug)]
pub(crate) struct VersionRow {
    pub number: i64,
    pub when: String,
    pub datetime: String,
    pub author: String,
    pub message: String,
    pub change_request: Option<i64>,
}

impl VersionRow {
    pub fn new(version: &rolebook_store::Version) -> Self {
        VersionRow {
            number: version.number,
            when: when(&version.created_at),
            datetime: version.created_at.clone(),
            author: version.author.clone(),
            message: version.message.clone(),
            change_request: version.change_request,
        }
    }
}

#[derive(Template)]
#[template(path = "versions.html")]
pub(crate) struct VersionsPage {
    pub layout: Layout,
    pub csrf: String,
    pub may_edit: bool,
    pub latest: i64,
    pub versions: Vec<VersionRow>,
}

/// One entity that differs between the two versions.
#[derive(Debug)]
pub(crate) struct CompareEntity {
    pub kind_label: &'static str,
    pub label: String,
    /// `created`, `deleted` or `changed`.
    pub status: &'static str,
    pub changes: Vec<ChangeRow>,
    pub note: Option<String>,
}

#[derive(Template)]
#[template(path = "version-compare.html")]
pub(crate) struct ComparePage {
    pub layout: Layout,
    pub csrf: String,
    pub may_edit: bool,
    pub from: VersionRow,
    pub to: VersionRow,
    pub latest: i64,
    pub entities: Vec<CompareEntity>,
}
