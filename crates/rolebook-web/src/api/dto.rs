//! The API's own wire types: search hits, errors and health. Roles,
//! skills, KPIs, career reports and title resolutions have one shape for
//! every front end and live in `rolebook-wire`.

use serde::Serialize;
use utoipa::ToSchema;

/// `role`, `skill` or `kpi`.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum HitKindDto {
    Role,
    Skill,
    Kpi,
}

impl From<rolebook_search::Kind> for HitKindDto {
    fn from(kind: rolebook_search::Kind) -> Self {
        match kind {
            rolebook_search::Kind::Role => HitKindDto::Role,
            rolebook_search::Kind::Skill => HitKindDto::Skill,
            rolebook_search::Kind::Kpi => HitKindDto::Kpi,
        }
    }
}

fn ranges(ranges: &[std::ops::Range<usize>]) -> Vec<[usize; 2]> {
    ranges.iter().map(|r| [r.start, r.end]).collect()
}

/// The passage of a document that holds the most query words.
#[derive(Debug, Serialize, ToSchema)]
pub struct SnippetDto {
    /// Which part of the document: `summary`, `responsibilities`,
    /// `definition`, `levels`…
    #[schema(example = "summary")]
    pub field: String,
    /// The passage, cut at about 200 bytes with `…` where it was cut.
    pub text: String,
    /// Matches in `text` as `[start, end)` UTF-8 byte offsets, in order.
    #[schema(example = json!([[4, 12]]))]
    pub highlights: Vec<[usize; 2]>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHit {
    pub kind: HitKindDto,
    pub id: String,
    pub title: String,
    /// Matches in `title` as `[start, end)` UTF-8 byte offsets.
    pub title_highlights: Vec<[usize; 2]>,
    /// Family and level of a role, category of a skill or KPI.
    #[schema(example = "Reliability · Manager")]
    pub context: String,
    /// BM25 relevance; only comparable within one result set.
    pub score: f32,
    /// The best passage, when a query word is in the document's text.
    pub snippet: Option<SnippetDto>,
    /// The page for people.
    pub href: String,
}

impl SearchHit {
    pub fn of(hit: &rolebook_search::SearchHit, href: String) -> Self {
        SearchHit {
            kind: hit.kind.into(),
            id: hit.id.clone(),
            title: hit.title.clone(),
            title_highlights: ranges(&hit.title_highlights),
            context: hit.context.clone(),
            score: hit.score,
            snippet: hit.snippet.as_ref().map(|s| SnippetDto {
                field: s.field.clone(),
                text: s.text.clone(),
                highlights: ranges(&s.highlights),
            }),
            href,
        }
    }
}

/// A query word the engine also read as other words: a typo corrected
/// against the catalog's vocabulary.
#[derive(Debug, Serialize, ToSchema)]
pub struct CorrectionDto {
    #[schema(example = "reliabilty")]
    pub word: String,
    #[schema(example = json!(["reliability"]))]
    pub read_as: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResults {
    pub query: String,
    /// How many documents matched in all; `hits` holds at most `limit`.
    pub total: usize,
    /// True when no document matched every word, so these match some.
    pub partial: bool,
    pub corrections: Vec<CorrectionDto>,
    pub hits: Vec<SearchHit>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionDto {
    pub id: String,
    pub title: String,
    pub href: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    pub status: u16,
    /// What was wrong with the request, for people.
    pub message: String,
    /// Close matches when something was not found.
    pub suggestions: Vec<SuggestionDto>,
}

/// Every 4xx and 5xx answer of the API.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CatalogHealth {
    pub source: String,
    /// Increases on every reload.
    pub generation: u64,
    pub roles: usize,
    pub skills: usize,
    pub kpis: usize,
    /// Set while the catalog files have errors and the last valid catalog
    /// is served (`status` is then `degraded`), for requests from the
    /// server's own machine only.
    pub problem: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`, or `degraded` while serving an older catalog.
    pub status: String,
    pub catalog: CatalogHealth,
}
