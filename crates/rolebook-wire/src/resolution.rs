//! A job title resolved to the catalog role it names: the same JSON from
//! `rolebook resolve --format json` and `GET /api/v1/resolve`.

use serde::Serialize;
use utoipa::ToSchema;

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
