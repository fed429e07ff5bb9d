//! Checking a catalog again after a small change, re-parsing only the
//! files whose text changed.
//!
//! Parsing is nearly all the cost of [`crate::load`] (a 3,000-role catalog
//! spends most of its 0.6 s in TOML and text checks), and one file's parse
//! depends on its path and text alone. A [`Validator`] keeps each file's
//! parse and its diagnostics, and reuses them while the text is the same.
//! The cross-file checks (ids, references, titles, the career graph, prose
//! references) always run whole: any edit can affect them, and they are
//! cheap. Both paths go through one function, `catalog::assemble`, so a
//! check gives exactly the diagnostics of a full load (a property test in
//! `tests/validator.rs` holds it to that).

use foldhash::{HashMap, HashSet, HashSetExt};
use std::borrow::Cow;

use crate::catalog::{Draft, FilePart, Loaded, Prose, assemble, finish, parse_part};
use crate::diagnostic::Diagnostic;
use crate::source::Sources;

/// Checks successive versions of a catalog, reusing the parse of every
/// file whose text did not change since the last check.
#[derive(Debug, Default)]
pub struct Validator {
    /// Path → the text last checked there and what parsing it gave.
    parsed: HashMap<String, (Cow<'static, str>, FilePart)>,
}

/// The outcome of [`Validator::check`]: the sources (to render the
/// diagnostics) and every diagnostic, as [`crate::load`] would give them.
#[derive(Debug)]
pub struct Checked {
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

impl Validator {
    pub fn new() -> Self {
        Validator::default()
    }

    /// The diagnostics of `sources`, exactly those of [`crate::load`]; it
    /// does not build the catalog.
    pub fn check(&mut self, sources: Sources) -> Checked {
        let (_, diagnostics) = self.assemble(&sources);
        Checked {
            sources,
            diagnostics,
        }
    }

    /// What [`crate::load`] gives, catalog included, keeping the parses
    /// for the next check: a server loads the version it serves this way,
    /// so the first validation after an edit re-parses only that edit.
    pub fn load(&mut self, sources: Sources) -> Loaded {
        let (draft, diagnostics) = self.assemble(&sources);
        finish(sources, draft, diagnostics, Prose::Resolved)
    }

    /// [`Validator::load`] for lint: the same diagnostics, and the catalog
    /// as its files write it, prose references unresolved (its
    /// [`Catalog::roles`](crate::Catalog::roles) are its written roles).
    /// Lint reads nothing else, and this catalog shares every role with
    /// the kept parses instead of copying it: what keeps linting an edit in
    /// a large catalog quick. Views need [`Validator::load`].
    pub fn load_as_written(&mut self, sources: Sources) -> Loaded {
        let (draft, diagnostics) = self.assemble(&sources);
        finish(sources, draft, diagnostics, Prose::AsWritten)
    }

    fn assemble(&mut self, sources: &Sources) -> (Draft, Vec<Diagnostic>) {
        let parsed = &mut self.parsed;
        let mut seen = HashSet::new();
        let assembled = assemble(sources, |file, source| {
            seen.insert(source.path.as_str());
            // A file that could not be read has no text to compare.
            if source.problem().is_some() {
                parsed.remove(&source.path);
                return parse_part(file, source);
            }
            match parsed.get(&source.path) {
                Some((text, part)) if *text == source.text => part.clone(),
                _ => {
                    let part = parse_part(file, source);
                    parsed.insert(source.path.clone(), (source.text.clone(), part.clone()));
                    part
                }
            }
        });
        // Files gone from the catalog are forgotten.
        parsed.retain(|path, _| seen.contains(path.as_str()));
        assembled
    }
}
