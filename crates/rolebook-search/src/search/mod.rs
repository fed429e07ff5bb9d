//! Full-text search over a catalog's roles, skills and KPIs: a tantivy
//! index built in memory from the catalog snapshot, queried with field
//! boosts, prefix and typo tolerance, and highlighted snippets.
//!
//! Every field is indexed twice ([`analysis`]): stemmed (English), for
//! ranking, and folded but not stemmed, for expanding the query; a word
//! longer than [`MAX_WORD_BYTES`] is cut to that length, not dropped. A
//! query word that no document contains is corrected against the folded
//! term dictionary (Levenshtein automaton, one edit for words of 4 to 7
//! letters, two from 8 letters); the last word of a query is also a prefix
//! ("platf" finds "platform"), as is any word ending in `*`. Expansions become ordinary
//! BM25 term queries on the stemmed fields, a little weaker than the words
//! typed, so corrected and completed words rank like real ones, and the
//! highlighter knows exactly which words to mark. Quoted words are a
//! phrase. All words must match (in any field); when that finds nothing,
//! any word may.

mod analysis;
mod document;
mod snippet;

use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::path::PathBuf;

use rolebook_core::Catalog;
use serde::{Serialize, Serializer};
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::Directory;
use tantivy::query::{
    BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, TantivyDocument, Term};

use analysis::{folded_analyzer, stem, stemmed_analyzer, tokens, word_stemmer};
use document::{Doc, TextField, documents};

pub use analysis::MAX_WORD_BYTES;
pub use document::IndexedDocument;
pub use snippet::{Snippet, mark, mark_html};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most words a query may have.
pub const MAX_QUERY_WORDS: usize = 16;
/// Most results one query returns.
pub const MAX_LIMIT: usize = 100;

const STEMMED: &str = "en_stem";
const FOLDED: &str = "en_folded";
/// Budget for the single indexing thread; the whole built-in catalog takes
/// a fraction of it, an ESCO-sized one fits.
const WRITER_MEMORY: usize = 50_000_000;
const MAX_FUZZY_EXPANSIONS: usize = 8;
const MAX_PREFIX_EXPANSIONS: usize = 24;
const CORRECTION_BOOST: f32 = 0.6;
const COMPLETION_BOOST: f32 = 0.8;

/// What a search can fail on.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("the query is empty; type one or more words")]
    EmptyQuery,
    #[error("the query is {chars} characters long; the limit is {MAX_QUERY_CHARS}")]
    QueryTooLong { chars: usize },
    #[error("the query has {words} words; the limit is {MAX_QUERY_WORDS}")]
    TooManyWords { words: usize },
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
}

impl SearchError {
    /// Whether the caller sent a bad query (an HTTP 400) rather than the
    /// index failing (a 500).
    pub fn is_client_error(&self) -> bool {
        !matches!(self, SearchError::Index(_))
    }
}

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Role,
    Skill,
    Kpi,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Role => "role",
            Kind::Skill => "skill",
            Kind::Kpi => "kpi",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        match text.trim().to_ascii_lowercase().as_str() {
            "role" | "roles" => Some(Kind::Role),
            "skill" | "skills" => Some(Kind::Skill),
            "kpi" | "kpis" => Some(Kind::Kpi),
            _ => None,
        }
    }
}

/// A search request.
#[derive(Debug, Clone)]
pub struct SearchQuery {
    pub text: String,
    /// At most [`MAX_LIMIT`].
    pub limit: usize,
    /// Only these kinds; empty means all.
    pub kinds: Vec<Kind>,
}

impl SearchQuery {
    pub fn new(text: impl Into<String>) -> SearchQuery {
        SearchQuery {
            text: text.into(),
            limit: 10,
            kinds: Vec::new(),
        }
    }

    pub fn limit(mut self, limit: usize) -> SearchQuery {
        self.limit = limit;
        self
    }

    pub fn kinds(mut self, kinds: impl IntoIterator<Item = Kind>) -> SearchQuery {
        self.kinds = kinds.into_iter().collect();
        self
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    pub kind: Kind,
    pub id: String,
    pub title: String,
    /// Family and level of a role, category of a skill or KPI.
    pub context: String,
    pub score: f32,
    /// Byte ranges of `title` that match the query.
    #[serde(serialize_with = "serialize_ranges")]
    pub title_highlights: Vec<Range<usize>>,
    /// The best passage of the document's text, with its matches marked.
    pub snippet: Option<Snippet>,
}

/// The results of one search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    pub query: String,
    /// How many documents matched in all (hits holds at most the limit).
    pub total: usize,
    pub hits: Vec<SearchHit>,
    /// Query words read as other words ("reliabilty" → "reliability").
    pub corrections: Vec<Correction>,
    /// Whether the results only match some of the words, because no
    /// document matched all of them.
    pub partial: bool,
}

/// A query word and the indexed words it was read as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    pub word: String,
    pub read_as: Vec<String>,
}

pub(crate) fn serialize_ranges<S: Serializer>(
    ranges: &[Range<usize>],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let pairs: Vec<[usize; 2]> = ranges.iter().map(|r| [r.start, r.end]).collect();
    pairs.serialize(serializer)
}

/// The index's schema fields: text fields in [`TextField::ALL`] order.
#[derive(Debug, Clone, Copy)]
struct Fields {
    kind: Field,
    ord: Field,
    stemmed: [Field; 5],
    folded: [Field; 5],
}

/// A searchable snapshot of one catalog. Build it once at load; it is
/// immutable, `Send + Sync`, and cheap to query from many threads.
pub struct FullTextIndex {
    reader: IndexReader,
    fields: Fields,
    docs: Vec<Doc>,
    /// [`read_ords`]: a hit's document, by segment and document id.
    ords: Vec<Vec<u32>>,
}

impl std::fmt::Debug for FullTextIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FullTextIndex")
            .field("documents", &self.docs.len())
            .finish()
    }
}

/// One word of a query.
#[derive(Debug, Clone)]
enum QueryPart {
    Word { folded: String, prefix: bool },
    Phrase(Vec<String>),
}

/// An index's files by name: what [`FullTextIndex::files`] gives and
/// [`Prepared::open`] reads (borrowed), so that a caller can keep an index between
/// runs (the CLI keeps the built-in catalog's in its cache directory).
pub type IndexFiles = Vec<(String, Vec<u8>)>;

/// What a catalog's index holds, before it is indexed: built, or opened
/// from files kept from an earlier run with the same [`Prepared::key`].
#[derive(Debug)]
pub struct Prepared {
    docs: Vec<Doc>,
}

impl Prepared {
    /// The same for the same indexed text, schema and version of this
    /// crate; different otherwise. Files kept under another key are of
    /// another index. Computed on request: only a caller that keeps
    /// indexes needs it.
    pub fn key(&self) -> u64 {
        let mut hasher = rustc_hash::FxHasher::default();
        // Bumped when the analyzers change what a text indexes as.
        const ANALYSIS: u32 = 1;
        (ANALYSIS, env!("CARGO_PKG_VERSION")).hash(&mut hasher);
        // Everything `Doc::field_text` makes the indexed fields of.
        for doc in &self.docs {
            (doc.kind.label(), &doc.id, &doc.title, &doc.aliases).hash(&mut hasher);
            for (_, passage) in &doc.passages {
                passage.hash(&mut hasher);
            }
        }
        hasher.finish()
    }

    /// Indexes the documents in memory.
    pub fn build(self) -> Result<FullTextIndex, SearchError> {
        FullTextIndex::from_docs(self.docs)
    }

    /// The index kept in `files`, which [`FullTextIndex::files`] gave for
    /// an index of this key; `self` back when they are not a whole index of
    /// this schema or fail tantivy's checksums (the caller then builds it).
    pub fn open(self, files: &[(&str, &[u8])]) -> Result<FullTextIndex, Prepared> {
        let Some(index) = kept_index(files) else {
            return Err(self);
        };
        let (_, fields) = schema();
        match open_reader(&index) {
            Ok((reader, ords)) => Ok(FullTextIndex {
                reader,
                fields,
                docs: self.docs,
                ords,
            }),
            Err(_) => Err(self),
        }
    }
}

/// The last of an index's files: [`checksum`] of the others.
const SUM_FILE: &str = "rolebook.sum";

/// A hash of the files' names and contents, in order.
fn checksum<N: AsRef<str>, B: AsRef<[u8]>>(files: &[(N, B)]) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    files.len().hash(&mut hasher);
    for (name, bytes) in files {
        name.as_ref().hash(&mut hasher);
        bytes.as_ref().hash(&mut hasher);
    }
    hasher.finish()
}

/// `files` as an index of this schema whose files pass tantivy's
/// checksums.
fn kept_index(files: &[(&str, &[u8])]) -> Option<Index> {
    let (sum, files) = files.split_last()?;
    if sum.0 != SUM_FILE || sum.1 != checksum(files).to_le_bytes().as_slice() {
        return None;
    }
    let directory = tantivy::directory::RamDirectory::create();
    for (name, bytes) in files {
        directory
            .atomic_write(std::path::Path::new(name), bytes)
            .ok()?;
    }
    let index = Index::open(directory).ok()?;
    // Every segment file ends with a checksum of its contents; the JSON
    // files are checked by being parsed.
    for (name, _) in files {
        let path = std::path::Path::new(name);
        if path.extension().is_none_or(|e| e != "json")
            && !index.directory().validate_checksum(path).ok()?
        {
            return None;
        }
    }
    // And every file of a segment is there: tantivy reads some only when
    // a query needs them. Deletes and temporary stores are optional.
    let given: std::collections::HashSet<&std::path::Path> = files
        .iter()
        .map(|(name, _)| std::path::Path::new(name))
        .collect();
    for path in index.load_metas().ok()?.list_segment_files() {
        let optional = path.extension().is_some_and(|e| e == "del" || e == "temp");
        if !optional && !given.contains(path.as_path()) {
            return None;
        }
    }
    (index.schema() == schema().0).then_some(index)
}

/// The schema of every index, and its fields.
fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text_options = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let kind = builder.add_text_field("kind", STRING);
    let ord = builder.add_u64_field("ord", FAST);
    let stemmed = TextField::ALL.map(|f| builder.add_text_field(f.name(), text_options(STEMMED)));
    let folded = TextField::ALL
        .map(|f| builder.add_text_field(&format!("{}_folded", f.name()), text_options(FOLDED)));
    let fields = Fields {
        kind,
        ord,
        stemmed,
        folded,
    };
    (builder.build(), fields)
}

impl FullTextIndex {
    /// Indexes every role, skill and KPI of the catalog in memory.
    pub fn build(catalog: &Catalog) -> Result<FullTextIndex, SearchError> {
        Self::prepare(catalog).build()
    }

    /// What the catalog's index holds; [`Prepared::key`] names it.
    pub fn prepare(catalog: &Catalog) -> Prepared {
        Prepared {
            docs: documents(catalog),
        }
    }

    /// The index's files, to keep and [`Prepared::open`] in a later run.
    pub fn files(&self) -> Result<IndexFiles, SearchError> {
        let searcher = self.reader.searcher();
        let index = searcher.index();
        let directory = index.directory();
        let mut names: Vec<PathBuf> = index
            .load_metas()?
            .list_segment_files()
            .into_iter()
            .collect();
        names.push(PathBuf::from("meta.json"));
        names.sort();
        let mut files = Vec::new();
        for name in names {
            match directory.atomic_read(&name) {
                Ok(bytes) => files.push((name.to_string_lossy().into_owned(), bytes)),
                // Listed as possible, never written (a segment with no deletes).
                Err(tantivy::directory::error::OpenReadError::FileDoesNotExist(_)) => {}
                Err(error) => return Err(SearchError::Index(error.into())),
            }
        }
        // Last, a checksum of them all: tantivy checks its segment files,
        // not its `meta.json`.
        let sum = checksum(&files).to_le_bytes().to_vec();
        files.push((SUM_FILE.to_string(), sum));
        Ok(files)
    }

    fn from_docs(docs: Vec<Doc>) -> Result<FullTextIndex, SearchError> {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        register_analyzers(&index);
        let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, WRITER_MEMORY)?;
        for (i, doc) in docs.iter().enumerate() {
            let mut document = TantivyDocument::default();
            document.add_text(fields.kind, doc.kind.label());
            document.add_u64(fields.ord, i as u64);
            for (j, field) in TextField::ALL.iter().enumerate() {
                let text = doc.field_text(*field);
                document.add_text(fields.stemmed[j], &text);
                document.add_text(fields.folded[j], &text);
            }
            writer.add_document(document)?;
        }
        writer.commit()?;
        let (reader, ords) = open_reader(&index)?;
        Ok(FullTextIndex {
            reader,
            fields,
            docs,
            ords,
        })
    }

    /// What is indexed, document by document, field by field: for tools
    /// that compare this index with another engine on the same text.
    pub fn documents(&self) -> impl Iterator<Item = IndexedDocument> + '_ {
        self.docs.iter().map(|doc| IndexedDocument {
            kind: doc.kind,
            id: doc.id.clone(),
            title: doc.field_text(TextField::Title),
            aliases: doc.field_text(TextField::Aliases),
            summary: doc.field_text(TextField::Summary),
            body: doc.field_text(TextField::Body),
        })
    }

    /// How many documents are indexed.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Words of the folded dictionaries within typo distance of `word`,
    /// closest and most frequent first, when the word itself is in none.
    fn corrections(
        &self,
        searcher: &tantivy::Searcher,
        word: &str,
    ) -> Result<Vec<String>, SearchError> {
        let chars = word.chars().count();
        let distance = match chars {
            0..4 => return Ok(Vec::new()),
            4..8 => 1,
            _ => 2,
        };
        for &field in &self.fields.folded {
            if searcher.doc_freq(&Term::from_field_text(field, word))? > 0 {
                return Ok(Vec::new());
            }
        }
        // The automaton depends on the word alone: build it once, not per
        // field and segment (a long word makes a big one).
        let term = Term::from_field_text(self.fields.folded[0], word);
        let automaton = FuzzyTermQuery::new(term, distance, true).automaton()?;
        let mut found: Vec<(usize, u32, String)> = Vec::new();
        for &field in &self.fields.folded {
            for segment in searcher.segment_readers() {
                let inverted = segment.inverted_index(field)?;
                let mut stream = inverted
                    .terms()
                    .search(&automaton)
                    .into_stream()
                    .map_err(tantivy::TantivyError::from)?;
                while stream.advance() {
                    if let Ok(text) = std::str::from_utf8(stream.key()) {
                        let d = strsim::damerau_levenshtein(word, text);
                        found.push((d, stream.value().doc_freq, text.to_string()));
                    }
                }
            }
        }
        found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let mut words: Vec<String> = Vec::new();
        for (_, _, text) in found {
            if !words.contains(&text) {
                words.push(text);
            }
            if words.len() == MAX_FUZZY_EXPANSIONS {
                break;
            }
        }
        Ok(words)
    }

    /// Words of the folded dictionaries that start with `prefix`, most
    /// frequent first.
    fn completions(
        &self,
        searcher: &tantivy::Searcher,
        prefix: &str,
    ) -> Result<Vec<String>, SearchError> {
        let mut found: Vec<(u32, String)> = Vec::new();
        for &field in &self.fields.folded {
            for segment in searcher.segment_readers() {
                let inverted = segment.inverted_index(field)?;
                let mut stream = inverted
                    .terms()
                    .range()
                    .ge(prefix.as_bytes())
                    .into_stream()
                    .map_err(tantivy::TantivyError::from)?;
                while stream.advance() {
                    let key = stream.key();
                    if !key.starts_with(prefix.as_bytes()) {
                        break;
                    }
                    if let Ok(text) = std::str::from_utf8(key)
                        && text != prefix
                    {
                        found.push((stream.value().doc_freq, text.to_string()));
                    }
                }
            }
        }
        found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut words: Vec<String> = Vec::new();
        for (_, text) in found {
            if !words.contains(&text) {
                words.push(text);
            }
            if words.len() == MAX_PREFIX_EXPANSIONS {
                break;
            }
        }
        Ok(words)
    }

    /// BM25 term queries across the stemmed fields for the alternatives of
    /// one word of the query: (stem, boost) pairs, one stem once.
    fn word_clauses(
        &self,
        alternatives: &Alternatives,
        clauses: &mut Vec<(Occur, Box<dyn Query>)>,
    ) {
        for (stem, boost) in &alternatives.0 {
            for (i, field) in TextField::ALL.iter().enumerate() {
                let term = Term::from_field_text(self.fields.stemmed[i], stem);
                let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(query), field.boost() * boost)),
                ));
            }
        }
    }

    /// Runs a query.
    pub fn search(&self, request: &SearchQuery) -> Result<SearchResults, SearchError> {
        let parts = parse_query(&request.text)?;
        let searcher = self.reader.searcher();
        let mut stemmer = word_stemmer();
        let mut corrections = Vec::new();
        // Every word or phrase becomes one group of alternatives; the stems
        // they may match are what the hits highlight.
        let mut groups: Vec<Box<dyn Query>> = Vec::new();
        let mut marked = snippet::QueryStems::default();
        for part in &parts {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            match part {
                QueryPart::Word { folded, prefix } => {
                    let mut alternatives = Alternatives::default();
                    alternatives.add(&mut stemmer, folded, 1.0);
                    let fixed = self.corrections(&searcher, folded)?;
                    if !fixed.is_empty() {
                        corrections.push(Correction {
                            word: folded.clone(),
                            read_as: fixed.clone(),
                        });
                    }
                    for word in fixed {
                        alternatives.add(&mut stemmer, &word, CORRECTION_BOOST);
                    }
                    if *prefix && folded.chars().count() >= 2 {
                        for word in self.completions(&searcher, folded)? {
                            alternatives.add(&mut stemmer, &word, COMPLETION_BOOST);
                        }
                    }
                    self.word_clauses(&alternatives, &mut clauses);
                    for (stem, _) in &alternatives.0 {
                        marked.add(stem);
                    }
                }
                QueryPart::Phrase(words) => {
                    let stems: Vec<String> =
                        words.iter().filter_map(|w| stem(&mut stemmer, w)).collect();
                    for (i, field) in TextField::ALL.iter().enumerate() {
                        let terms: Vec<Term> = stems
                            .iter()
                            .map(|s| Term::from_field_text(self.fields.stemmed[i], s))
                            .collect();
                        clauses.push((
                            Occur::Should,
                            Box::new(BoostQuery::new(
                                Box::new(PhraseQuery::new(terms)),
                                field.boost(),
                            )),
                        ));
                    }
                    for stem in &stems {
                        marked.add(stem);
                    }
                }
            }
            groups.push(Box::new(BooleanQuery::new(clauses)));
        }
        let kind_filter: Option<Box<dyn Query>> = if request.kinds.is_empty() {
            None
        } else {
            Some(Box::new(BooleanQuery::new(
                request
                    .kinds
                    .iter()
                    .map(|k| {
                        let term = Term::from_field_text(self.fields.kind, k.label());
                        (
                            Occur::Should,
                            Box::new(TermQuery::new(term, IndexRecordOption::Basic))
                                as Box<dyn Query>,
                        )
                    })
                    .collect(),
            )))
        };
        let combine = |occur: Occur| -> Box<dyn Query> {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                groups.iter().map(|g| (occur, g.box_clone())).collect();
            if let Some(filter) = &kind_filter {
                clauses.push((Occur::Must, filter.box_clone()));
            }
            Box::new(BooleanQuery::new(clauses))
        };
        let limit = request.limit.clamp(1, MAX_LIMIT);
        let collector = (TopDocs::with_limit(limit).order_by_score(), Count);
        let mut partial = false;
        let (mut top, mut total) = searcher.search(&*combine(Occur::Must), &collector)?;
        if total == 0 && groups.len() > 1 {
            partial = true;
            (top, total) = searcher.search(&*combine(Occur::Should), &collector)?;
        }
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc = &self.docs[self.ord_of(address)?];
            let words = doc.words();
            hits.push(SearchHit {
                kind: doc.kind,
                id: doc.id.clone(),
                title: doc.title.clone(),
                context: doc.context.clone(),
                score: (score * 1000.0).round() / 1000.0,
                title_highlights: words.title_highlights(&marked),
                snippet: words.best(&marked, &doc.passages),
            });
        }
        Ok(SearchResults {
            query: request.text.clone(),
            total,
            hits,
            corrections,
            partial,
        })
    }

    /// Which of [`FullTextIndex::docs`] a hit is.
    fn ord_of(&self, address: DocAddress) -> Result<usize, SearchError> {
        self.ords
            .get(address.segment_ord as usize)
            .and_then(|segment| segment.get(address.doc_id as usize))
            .map(|&ord| ord as usize)
            .filter(|&ord| ord < self.docs.len())
            .ok_or_else(|| {
                SearchError::Index(tantivy::TantivyError::InternalError(format!(
                    "document {address:?} has no ordinal"
                )))
            })
    }
}

/// Every segment's `ord` column, read once: which document each of its
/// documents is. The reader is never reloaded, so its segments stay.
fn register_analyzers(index: &Index) {
    index.tokenizers().register(STEMMED, stemmed_analyzer());
    index.tokenizers().register(FOLDED, folded_analyzer());
}

/// A reader of `index` with this crate's analyzers, and its documents'
/// ordinals ([`read_ords`]).
fn open_reader(index: &Index) -> Result<(IndexReader, Vec<Vec<u32>>), SearchError> {
    register_analyzers(index);
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    let ords = read_ords(&reader)?;
    Ok((reader, ords))
}

fn read_ords(reader: &IndexReader) -> Result<Vec<Vec<u32>>, SearchError> {
    let searcher = reader.searcher();
    let mut ords = Vec::new();
    for segment in searcher.segment_readers() {
        let column = segment.fast_fields().u64("ord")?;
        let mut segment_ords = Vec::with_capacity(segment.max_doc() as usize);
        for doc_id in 0..segment.max_doc() {
            let ord = column
                .first(doc_id)
                .and_then(|ord| u32::try_from(ord).ok())
                .unwrap_or(u32::MAX);
            segment_ords.push(ord);
        }
        ords.push(segment_ords);
    }
    Ok(ords)
}

/// The stems one word of a query may match, each with its boost. Words
/// with the same stem ("budgets" and "budgeting", completing "budget") add
/// their boosts to one stem: BM25 scores a term the same in every clause,
/// so one clause boosted by the sum scores as the clauses would, with a
/// fraction of the term lookups.
#[derive(Debug, Default)]
struct Alternatives(Vec<(String, f32)>);

impl Alternatives {
    fn add(&mut self, stemmer: &mut TextAnalyzer, word: &str, boost: f32) {
        let Some(stem) = stem(stemmer, word) else {
            return;
        };
        match self.0.iter_mut().find(|(s, _)| *s == stem) {
            Some((_, sum)) => *sum += boost,
            None => self.0.push((stem, boost)),
        }
    }
}

/// Byte ranges of `text` that hold a word of `query`, as a hit's title is
/// marked: words match by stem. Without an index there are no typo
/// corrections or completions, so only the words typed are marked. The
/// errors are those of [`FullTextIndex::search`] for a bad query.
pub fn highlights(text: &str, query: &str) -> Result<Vec<Range<usize>>, SearchError> {
    Ok(query_matcher(query)?.highlights(text))
}

/// The snippet a search for `query` shows of a document whose only passage
/// is `text` (its field is "text"); `None` for a blank text. Words match as
/// in [`highlights`].
pub fn snippet(text: &str, query: &str) -> Result<Option<Snippet>, SearchError> {
    let passages = [("text", text.to_string())];
    Ok(snippet::best(&mut query_matcher(query)?, &passages))
}

/// A highlighter for the words of a query as typed.
fn query_matcher(query: &str) -> Result<snippet::Matcher, SearchError> {
    let parts = parse_query(query)?;
    let words: Vec<String> = parts
        .iter()
        .filter_map(|p| match p {
            QueryPart::Word { folded, .. } => Some(folded.clone()),
            QueryPart::Phrase(_) => None,
        })
        .collect();
    Ok(snippet::Matcher::new(&words, parts_phrases(&parts)))
}

/// A query's words and phrases, folded as the index folds them.
fn parse_query(text: &str) -> Result<Vec<QueryPart>, SearchError> {
    let chars = text.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(SearchError::QueryTooLong { chars });
    }
    let mut folded = folded_analyzer();
    let mut parts = Vec::new();
    let ends_in_space = text.ends_with(char::is_whitespace);
    for (i, chunk) in text.split('"').enumerate() {
        if i % 2 == 1 {
            let words: Vec<String> = tokens(&mut folded, chunk)
                .into_iter()
                .map(|(w, _)| w)
                .collect();
            match words.len() {
                0 => {}
                1 => parts.push(QueryPart::Word {
                    folded: words[0].clone(),
                    prefix: false,
                }),
                _ => parts.push(QueryPart::Phrase(words)),
            }
            continue;
        }
        for raw in chunk.split_whitespace() {
            let starred = raw.ends_with('*');
            for (word, _) in tokens(&mut folded, raw) {
                parts.push(QueryPart::Word {
                    folded: word,
                    prefix: starred,
                });
            }
        }
    }
    // The last word is still being typed, unless a space or a quote
    // closed it.
    if !ends_in_space
        && !text.trim_end().ends_with('"')
        && let Some(QueryPart::Word { folded, prefix }) = parts.last_mut()
        && folded.chars().count() >= 2
    {
        *prefix = true;
    }
    if parts.is_empty() {
        return Err(SearchError::EmptyQuery);
    }
    let words = parts
        .iter()
        .map(|p| match p {
            QueryPart::Word { .. } => 1,
            QueryPart::Phrase(w) => w.len(),
        })
        .sum::<usize>();
    if words > MAX_QUERY_WORDS {
        return Err(SearchError::TooManyWords { words });
    }
    Ok(parts)
}

fn parts_phrases(parts: &[QueryPart]) -> Vec<Vec<String>> {
    parts
        .iter()
        .filter_map(|p| match p {
            QueryPart::Phrase(words) => Some(words.clone()),
            QueryPart::Word { .. } => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use proptest::prelude::*;
    use proptest::sample::select;

    use super::*;
    use crate::testing::{
        WHITESPACE, builtin_catalog, check_highlights, check_snippet, config, tricky_text,
    };

    static BUILTIN: LazyLock<FullTextIndex> =
        LazyLock::new(|| FullTextIndex::build(builtin_catalog()).expect("the index builds"));

    /// Every hit's highlights and snippet are well formed.
    fn check_results(index: &FullTextIndex, results: &SearchResults) -> Result<(), TestCaseError> {
        prop_assert!(results.hits.len() <= results.total.min(MAX_LIMIT));
        for hit in &results.hits {
            check_highlights(&hit.title, &hit.title_highlights)?;
            let doc = index
                .docs
                .iter()
                .find(|d| d.id == hit.id && d.kind == hit.kind)
                .expect("a hit is a document");
            if let Some(snippet) = &hit.snippet {
                let passages: Vec<&str> = doc.passages.iter().map(|(_, t)| t.as_str()).collect();
                check_snippet(snippet, &passages)?;
            }
        }
        Ok(())
    }

    /// The words of a text as typed: runs of letters and digits.
    fn typed_words(text: &str) -> Vec<&str> {
        tokens(&mut folded_analyzer(), text)
            .into_iter()
            .map(|(_, span)| &text[span])
            .collect()
    }

    fn one_document(text: &str) -> FullTextIndex {
        FullTextIndex::from_docs(vec![Doc {
            kind: Kind::Role,
            id: "the-role".to_string(),
            title: "The role".to_string(),
            context: String::new(),
            aliases: String::new(),
            passages: vec![("summary", text.to_string())],
            words: Default::default(),
        }])
        .expect("the index builds")
    }

    #[test]
    fn a_phrase_of_one_word_is_that_word() {
        let parts = parse_query("\"budget\" ").expect("parses");
        assert!(
            matches!(&parts[..], [QueryPart::Word { folded, prefix: false }] if folded == "budget")
        );
    }

    const QUERY_WORDS: &[&str] = &[
        "error",
        "budget",
        "incident",
        "platform",
        "reliabilty",
        "kubernetes",
        "CISO",
        "slo",
        "\"error budget\"",
        "platf",
        "Über",
    ];

    proptest! {
        #![proptest_config(config(256))]

        /// A query is empty only when it has no letter or digit: no word,
        /// however long or odd, is dropped.
        #[test]
        fn queries_keep_every_word(text in tricky_text(30)) {
            let has_word = text.chars().any(char::is_alphanumeric);
            match parse_query(&text) {
                Ok(parts) => {
                    prop_assert!(has_word);
                    let mut words = 0;
                    for part in &parts {
                        let list = match part {
                            QueryPart::Word { folded, .. } => std::slice::from_ref(folded),
                            QueryPart::Phrase(list) => &list[..],
                        };
                        for word in list {
                            prop_assert!(!word.is_empty() && word.len() <= MAX_WORD_BYTES, "{word:?}");
                            words += 1;
                        }
                    }
                    prop_assert!((1..=MAX_QUERY_WORDS).contains(&words));
                }
                Err(SearchError::EmptyQuery) => prop_assert!(!has_word, "{text:?} lost its words"),
                Err(SearchError::QueryTooLong { chars }) => prop_assert!(chars > MAX_QUERY_CHARS),
                Err(SearchError::TooManyWords { words }) => prop_assert!(words > MAX_QUERY_WORDS),
                Err(error) => prop_assert!(false, "{error}"),
            }
        }

        /// Any query over the built-in catalog: results or a client error,
        /// never a panic, and well-formed highlights and snippets.
        #[test]
        fn any_query_searches_the_catalog(text in tricky_text(12), limit in 0..40usize) {
            match BUILTIN.search(&SearchQuery::new(text).limit(limit)) {
                Ok(results) => {
                    prop_assert!(results.hits.len() <= limit.max(1));
                    check_results(&BUILTIN, &results)?;
                }
                Err(error) => prop_assert!(error.is_client_error(), "{error}"),
            }
        }

        /// Every whitespace character separates words as a space does.
        #[test]
        fn any_whitespace_is_a_space(
            words in proptest::collection::vec(select(QUERY_WORDS), 1..4),
            spaces in proptest::collection::vec(
                proptest::collection::vec(select(WHITESPACE), 1..3), 4),
            closed in any::<bool>(),
        ) {
            let join = |space: &dyn Fn(usize) -> String| {
                let mut text = String::new();
                for (i, word) in words.iter().enumerate() {
                    if i > 0 {
                        text.push_str(&space(i));
                    }
                    text.push_str(word);
                }
                if closed {
                    text.push_str(&space(0));
                }
                text
            };
            let plain = join(&|_| " ".to_string());
            let odd = join(&|i| spaces[i].iter().collect());
            let mut expected = BUILTIN.search(&SearchQuery::new(plain)).expect("searches");
            let mut found = BUILTIN.search(&SearchQuery::new(odd)).expect("searches");
            expected.query.clear();
            found.query.clear();
            prop_assert_eq!(found, expected);
        }

    }

    proptest! {
        // An index per case, or long texts through the analyzers: slower.
        #![proptest_config(config(128))]

        /// Any text is found by any of its words, which its snippet marks.
        #[test]
        fn any_text_is_found_by_its_words(
            text in tricky_text(30),
            pick in any::<proptest::sample::Index>(),
        ) {
            let words: Vec<&str> = typed_words(&text)
                .into_iter()
                .filter(|w| w.chars().count() < MAX_QUERY_CHARS)
                .collect();
            prop_assume!(!words.is_empty());
            let word = pick.get(&words);
            let index = one_document(&text);
            let results = index
                .search(&SearchQuery::new(format!("{word} ")))
                .map_err(|e| TestCaseError::fail(format!("{word:?}: {e}")))?;
            prop_assert_eq!(results.total, 1, "{:?} in {:?}", word, text);
            check_results(&index, &results)?;
            let snippet = results.hits[0].snippet.as_ref().expect("a snippet");
            prop_assert!(!snippet.highlights.is_empty(), "{:?} in {:?}", word, snippet);
        }

        /// The index-free entry points take any text and any query.
        #[test]
        fn snippets_and_highlights_of_any_text_and_query(
            text in tricky_text(30),
            query in tricky_text(8),
        ) {
            match (snippet(&text, &query), highlights(&text, &query)) {
                (Ok(shown), Ok(marked)) => {
                    check_highlights(&text, &marked)?;
                    match shown {
                        Some(shown) => check_snippet(&shown, &[&text])?,
                        None => prop_assert!(text.trim().is_empty()),
                    }
                }
                (Err(a), Err(b)) => {
                    prop_assert!(a.is_client_error());
                    prop_assert_eq!(a.to_string(), b.to_string());
                }
                (a, b) => prop_assert!(false, "{a:?} but {b:?}"),
            }
        }
    }
}
