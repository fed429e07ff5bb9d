//! rolebook-search: full-text search and title resolution over a catalog.
//!
//! - [`FullTextIndex`]: a tantivy index of every role, skill and KPI, built in
//!   memory from a catalog snapshot; queries with field boosts, prefix and
//!   typo tolerance, and highlighted snippets.
//! - [`TitleResolver`]: job titles as people write them → catalog roles,
//!   with calibrated confidence and an explanation. It does not use the
//!   index.
//! - [`batch`]: title resolution over a CSV file as a stream.
//! - [`Engine`]: both, built once per catalog, for servers.

pub mod batch;
pub mod csv_rows;
pub mod resolve;
pub mod search;
#[cfg(test)]
mod testing;

use rolebook_core::Catalog;

pub use resolve::{Candidate, Explanation, MatchStatus, Resolution, ResolveError, TitleResolver};
pub use search::{
    Correction, FullTextIndex, IndexFiles, Kind, Prepared, SearchError, SearchHit, SearchQuery,
    SearchResults, Snippet,
};

/// The search index and the title resolver of one catalog, built together
/// at load. Immutable and `Send + Sync`: share it behind an `Arc`.
#[derive(Debug)]
pub struct Engine {
    pub index: FullTextIndex,
    pub resolver: TitleResolver,
}

impl Engine {
    pub fn new(catalog: &Catalog) -> Result<Engine, SearchError> {
        Ok(Engine {
            index: FullTextIndex::build(catalog)?,
            resolver: TitleResolver::new(catalog),
        })
    }

    /// Full-text search; see [`FullTextIndex::search`].
    pub fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        self.index.search(query)
    }

    /// Title resolution; see [`TitleResolver::resolve`].
    pub fn resolve(&self, title: &str) -> Result<Resolution, ResolveError> {
        self.resolver.resolve(title)
    }
}
