//! The org design check: an organisation's HRIS export (CSV or XLSX) read
//! through a column mapping, its titles placed in catalog roles, its
//! reporting tree built from manager ids, and the whole checked against
//! the catalog's blueprints (KPI ownership, spans and layers, reporting
//! lines, missing layers, single points of failure).
//!
//! Invariant: people data goes in as bytes and comes out only as the
//! values returned. This crate opens no file and keeps nothing; only the
//! columns a user mapped (or a named preset chose) are copied out of a
//! row. The catalog's model knows nothing of organisations: everything
//! here reads it.
//!
//! The pipeline, in order: [`table`] → [`columns`] → [`people`] →
//! [`titles`] → [`tree`] → [`check`] and [`figures`] (→ [`suppress`]) →
//! [`report`].

pub mod check;
pub mod columns;
pub mod figures;
pub mod people;
pub mod report;
pub mod sample;
pub mod suppress;
pub mod table;
pub mod titles;
pub mod tree;

use columns::{Columns, ColumnsError, UserMap};
use people::{DateOrder, People};
use rolebook_core::Catalog;
use rolebook_search::TitleResolver;
use table::{TableError, TableKind, TableOptions};
use titles::{Corrections, Titles};
use tree::Tree;

/// How to read an export.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub table: TableOptions,
    pub map: UserMap,
    /// A preset by id; otherwise the first that fits is used (and named).
    pub preset: Option<String>,
    pub date_order: DateOrder,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    Table(#[from] TableError),
    #[error(transparent)]
    Columns(#[from] ColumnsError),
}

/// An export read: its people and how they were read.
#[derive(Debug, Clone)]
pub struct Export {
    pub kind: TableKind,
    pub columns: Columns,
    pub people: People,
}

/// Reads an export's bytes. Row problems are in the result; only a file
/// that cannot be read at all, or columns that cannot be chosen, fail.
pub fn read(bytes: &[u8], options: &ReadOptions) -> Result<Export, ReadError> {
    let mut chosen: Option<Result<Columns, ColumnsError>> = None;
    let table = table::read(bytes, &options.table, &mut |header| {
        let result = columns::choose(header, &options.map, options.preset.as_deref());
        let wanted = result.as_ref().map(Columns::wanted).unwrap_or_default();
        chosen = Some(result);
        wanted
    });
    // An unreadable or empty file is said first: choosing columns for a
    // file with no people in it is no help.
    let (columns, table) = match (table, chosen) {
        (Err(error), _) => return Err(error.into()),
        (Ok(_), Some(Err(error))) => return Err(error.into()),
        (Ok(table), Some(Ok(columns))) => (columns, table),
        (Ok(_), None) => return Err(TableError::Empty.into()),
    };
    let people = people::read(&table, &columns, options.date_order);
    Ok(Export {
        kind: table.kind,
        columns,
        people,
    })
}

/// An organisation: its people placed in roles and in a reporting tree.
#[derive(Debug, Clone)]
pub struct Organisation {
    pub export: Export,
    pub titles: Titles,
    pub tree: Tree,
}

impl Organisation {
    pub fn new(
        export: Export,
        resolver: &TitleResolver,
        corrections: &Corrections,
    ) -> Organisation {
        let titles = titles::map(&export.people.people, resolver, corrections);
        let tree = Tree::build(&export.people.people);
        Organisation {
            export,
            titles,
            tree,
        }
    }

    pub fn check(&self, catalog: &Catalog) -> check::Check {
        check::check(catalog, &self.export.people, &self.titles, &self.tree)
    }
}
