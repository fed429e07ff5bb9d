//! The API's own wire types: search hits, title resolutions, errors and
//! health. Roles, skills, KPIs and career reports have one shape for
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

/// How a title was resolved.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum MatchStatusDto {
    /// The title is a catalog title, alias or id, up to case and
    /// punctuation.
    Exact,
    /// A confident match on topic and level.
    Match,
    /// The right family and topic at a different level: the nearest role.
    Nearby,
    /// Two or more roles fit equally well; none is picked.
    Ambiguous,
    /// No role is more likely right than wrong.
    None,
}

impl From<rolebook_search::MatchStatus> for MatchStatusDto {
    fn from(status: rolebook_search::MatchStatus) -> Self {
        use rolebook_search::MatchStatus as S;
        match status {
            S::Exact => MatchStatusDto::Exact,
            S::Match => MatchStatusDto::Match,
            S::Nearby => MatchStatusDto::Nearby,
            S::Ambiguous => MatchStatusDto::Ambiguous,
            S::None => MatchStatusDto::None,
        }
    }
}

/// A catalog role considered for a title.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateDto {
    #[schema(example = "sre-manager")]
    pub role: String,
    pub title: String,
    /// Family id.
    pub family: String,
    /// Level name.
    pub level: String,
    /// Calibrated: how often a title with this score has this role as its
    /// right answer, 0 to 1.
    pub confidence: f32,
    /// The raw match score, 0 to 1.
    pub score: f32,
    /// The catalog title or alias the title matched best.
    pub matched_name: String,
    pub href: String,
}

impl CandidateDto {
    pub fn of(candidate: &rolebook_search::Candidate) -> Self {
        CandidateDto {
            role: candidate.role_id.clone(),
            title: candidate.title.clone(),
            family: candidate.family.clone(),
            level: candidate.level.clone(),
            confidence: candidate.confidence,
            score: candidate.score,
            matched_name: candidate.matched_name.clone(),
            href: format!("/roles/{}", candidate.role_id),
        }
    }
}

/// What the resolver saw in a title.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExplanationDto {
    /// All of the below in one line.
    pub summary: String,
    /// The title's core after normalisation.
    #[schema(example = "site reliability manager")]
    pub normalised: String,
    /// Words shared with the matched name.
    pub matched: Vec<String>,
    /// Core words the matched name lacks.
    pub unmatched: Vec<String>,
    /// Words of the matched name the title lacks.
    pub missing: Vec<String>,
    /// Qualifiers set aside: team, product, region, employer.
    pub ignored: Vec<String>,
    /// The job family the title's words point to.
    pub family: Option<String>,
    /// The level words found, with their place on the common scale.
    pub level: Option<String>,
    /// Readings, corrections and level differences.
    pub notes: Vec<String>,
}

/// A job title resolved to the catalog role it names.
#[derive(Debug, Serialize, ToSchema)]
pub struct Resolution {
    pub title: String,
    pub status: MatchStatusDto,
    /// The answer: set for `exact`, `match` and `nearby`; never for
    /// `ambiguous` or `none`.
    pub role: Option<CandidateDto>,
    /// The answer's confidence; for `ambiguous` and `none`, the best
    /// candidate's.
    pub confidence: f32,
    pub ambiguous: bool,
    /// Best first. For `ambiguous`, every tied role; otherwise up to three.
    pub candidates: Vec<CandidateDto>,
    /// The best other role, when there is an answer.
    pub runner_up: Option<CandidateDto>,
    pub explanation: ExplanationDto,
}

impl From<&rolebook_search::Resolution> for Resolution {
    fn from(r: &rolebook_search::Resolution) -> Self {
        let e = &r.explanation;
        Resolution {
            title: r.title.clone(),
            status: r.status.into(),
            role: r.role.as_ref().map(CandidateDto::of),
            confidence: r.confidence,
            ambiguous: r.ambiguous,
            candidates: r.candidates.iter().map(CandidateDto::of).collect(),
            runner_up: r.runner_up.as_ref().map(CandidateDto::of),
            explanation: ExplanationDto {
                summary: e.summary(),
                normalised: e.normalised.clone(),
                matched: e.matched.clone(),
                unmatched: e.unmatched.clone(),
                missing: e.missing.clone(),
                ignored: e.ignored.clone(),
                family: e.family.clone(),
                level: e.level.clone(),
                notes: e.notes.clone(),
            },
        }
    }
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
    /// is served.
    pub problem: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`, or `degraded` while serving an older catalog.
    pub status: String,
    pub catalog: CatalogHealth,
}
