//! What resolving a title gives back: the [`Resolution`] with its status,
//! [`Candidate`] roles and [`Explanation`], or a [`ResolveError`].

use serde::Serialize;

use super::MAX_TITLE_CHARS;

/// Why a title could not be resolved at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("the title is empty")]
    Empty,
    #[error("the title is {chars} characters long; the limit is {MAX_TITLE_CHARS}")]
    TooLong { chars: usize },
}

/// How a title was resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchStatus {
    /// The title is a catalog title, alias or id, up to case and punctuation.
    Exact,
    /// A confident match on topic and level.
    Match,
    /// The right family and topic, at a different level: the nearest role.
    Nearby,
    /// Two or more roles fit equally well; all are given, none is picked.
    Ambiguous,
    /// No role is more likely right than wrong.
    None,
}

impl MatchStatus {
    pub fn label(self) -> &'static str {
        match self {
            MatchStatus::Exact => "exact",
            MatchStatus::Match => "match",
            MatchStatus::Nearby => "nearby",
            MatchStatus::Ambiguous => "ambiguous",
            MatchStatus::None => "none",
        }
    }
}

/// A catalog role considered for a title.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub role_id: String,
    pub title: String,
    pub family: String,
    pub level: String,
    /// Calibrated: how often a title with this score has this role as its
    /// right answer (two decimals).
    pub confidence: f32,
    /// The raw match score, 0 to 1 (three decimals).
    pub score: f32,
    /// The catalog title or alias the title matched best.
    pub matched_name: String,
}

/// What the resolver saw in a title.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Explanation {
    /// The title's core after normalisation.
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

impl Explanation {
    /// One line for people and CSV cells.
    pub fn summary(&self) -> String {
        let mut out = String::with_capacity(160);
        let part = |out: &mut String, label: &str, words: &[String]| {
            if words.is_empty() {
                return;
            }
            if !out.is_empty() {
                out.push_str("; ");
            }
            out.push_str(label);
            for (i, word) in words.iter().enumerate() {
                out.push_str(if i == 0 { " '" } else { ", '" });
                out.push_str(word);
                out.push('\'');
            }
        };
        part(&mut out, "matched", &self.matched);
        part(&mut out, "unmatched", &self.unmatched);
        part(&mut out, "role also has", &self.missing);
        part(&mut out, "ignored", &self.ignored);
        let push = |out: &mut String, text: &str| {
            if !out.is_empty() {
                out.push_str("; ");
            }
            out.push_str(text);
        };
        if let Some(family) = &self.family {
            push(&mut out, "family ");
            out.push_str(family);
        }
        match &self.level {
            Some(level) => {
                push(&mut out, "level ");
                out.push_str(level);
            }
            None => push(&mut out, "no level word"),
        }
        for note in &self.notes {
            push(&mut out, note);
        }
        out
    }
}

/// The outcome of resolving one title.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolution {
    pub title: String,
    pub status: MatchStatus,
    /// The answer: set for exact, match and nearby; never for ambiguous or
    /// none.
    pub role: Option<Candidate>,
    /// The answer's confidence; for ambiguous and none, the best
    /// candidate's.
    pub confidence: f32,
    pub ambiguous: bool,
    /// Best first. For ambiguous: every tied role. Otherwise up to three.
    pub candidates: Vec<Candidate>,
    /// The best other role, when there is an answer.
    pub runner_up: Option<Candidate>,
    pub explanation: Explanation,
}
