//! Title resolution: a messy job title ("Sr. Dir., Site Reliability",
//! "CDO", "SRE Manager, Payments") → the catalog role it names, with a
//! calibrated confidence, the runner-up, and an explanation.
//!
//! Matching does not use the full-text index. A title is split into words
//! ([`words`]); abbreviations are expanded, unknown words corrected
//! ([`typo`]) and every acronym read each way the catalog spells it out,
//! here; phrases are folded into concepts and the title's core (what the
//! role is) set apart from its qualifiers ([`analyse`]). A role the title
//! only works for is set aside with the employer: after "to" or "for the
//! VP", in "Office of the CTO" or "CTO org", or beside a support job
//! ("Executive Assistant, CTO"); the answer notes it. The core is
//! compared with every catalog title and alias ([`scoring`]) on topic
//! tokens weighted by how rare they are across roles, and on level; the
//! ranking becomes a [`Resolution`] ([`answer`], types in [`resolution`]).
//! The vocabulary, the acronyms (single-word aliases such as "CTO", and the
//! initials of every "Chief … Officer" name) and the levels all come from
//! the catalog ([`vocabulary`]); only English title conventions live in
//! [`lexicon`].
//!
//! Scoring, for a title T and a role name N:
//! - topic similarity: weighted Dice overlap, 2·w(T∩N) / (w(T) + w(N)),
//!   where w(t) = ln(1 + roles / roles-using-t); a word the catalog never
//!   uses counts [`UNKNOWN_WEIGHT`] against, a foreign field (sales,
//!   nursing) [`FOREIGN_WEIGHT`]; a qualifier (team, product, region) only
//!   counts [`QUALIFIER_FACTOR`] of its weight when the role does not share
//!   it;
//! - level factor: 1 − 0.15 per step between the title's level and the
//!   role's on a common scale (manager 4, director 6, head 7, VP 8, C-level
//!   9; senior director 6.5), a little more for the role at the level the
//!   title named before "senior" or "deputy", never below 0.1; 0.45 when
//!   the title names no level; 0.15 when one of the two is an individual
//!   contributor's level and the other a management level;
//! - a name may also match on the words of its role's family name
//!   ("Software engineering"), at four fifths of their weight, so "VP,
//!   Software Engineering" reaches the VP of Engineering; a name must share
//!   at least one word with the title's core;
//! - raw score = similarity × level factor, mapped to a confidence by
//!   [`calibration`]: the share of titles with that score whose top
//!   candidate was right on the evaluation set.
//!
//! Two roles within [`AMBIGUITY_MARGIN`] of each other are both returned,
//! flagged ambiguous: "CDO" reads as Chief Data Officer and as Chief Digital
//! Officer, and nothing in the title says which. So are two roles at the
//! same level that each take one side of an "and" ("Chief Product &
//! Technology Officer"). The status says how the answer relates to the
//! title (exact, match, nearby level); the confidence says how likely it is
//! to be right, so a "nearby" answer can be confident.

mod analyse;
mod answer;
pub mod calibration;
pub mod eval;
pub mod lexicon;
mod resolution;
mod scoring;
mod typo;
mod vocabulary;
mod words;

use rustc_hash::FxHashMap as HashMap;
use std::cell::RefCell;

use analyse::{Analysis, LEXICON, Sym};
use scoring::Scored;
use typo::TypoIndex;
use vocabulary::Vocabulary;
use words::{Word, split};

pub use resolution::{Candidate, Explanation, MatchStatus, Resolution, ResolveError};

/// Tells resolvers apart in the per-thread typo cache.
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Weight of a core word the catalog never uses.
pub const UNKNOWN_WEIGHT: f32 = 2.0;
/// Weight of a word naming a field outside the catalog.
pub const FOREIGN_WEIGHT: f32 = 5.0;
/// Share of its weight that a qualifier counts when the role lacks it.
pub const QUALIFIER_FACTOR: f32 = 0.15;
/// Raw-score distance under which two roles are a tie.
pub const AMBIGUITY_MARGIN: f32 = 0.03;
/// Longest title accepted, in characters.
pub const MAX_TITLE_CHARS: usize = 300;

/// What a word of the role's family name is worth, against a word of its
/// own title or alias.
const FAMILY_WORD_FACTOR: f32 = 0.8;
/// Preference, among roles equally far from a title's level, for the one
/// at the level the title named before "senior" or "deputy".
const BASE_LEVEL_BONUS: f32 = 0.05;
const NO_LEVEL_FACTOR: f32 = 0.45;
const TRACK_MISMATCH_FACTOR: f32 = 0.15;
const LEVEL_STEP_PENALTY: f32 = 0.15;
const CORRECTED_FACTOR: f32 = 0.9;
const MAX_READINGS: usize = 8;
const MAX_CANDIDATES: usize = 3;

/// What the resolver keeps of a catalog role.
#[derive(Debug)]
struct RoleInfo {
    id: String,
    title: String,
    family: String,
    level: String,
    /// The role's level on the common scale (see [`lexicon`]).
    seniority: f32,
    individual: bool,
}

/// A title, alias or id of a role, as a set of topic words.
#[derive(Debug)]
struct NameInfo {
    role: usize,
    text: String,
    /// Sorted.
    topics: Vec<Sym>,
    weight: f32,
    /// Topics of the role's family name ("Software engineering") that the
    /// name lacks, sorted: a name may also match on them, at
    /// [`FAMILY_WORD_FACTOR`] of their weight, so "VP, Software
    /// Engineering" finds the VP of Engineering.
    family_topics: Vec<Sym>,
    family_weight: f32,
}

/// One way the catalog spells an acronym out ("CDO" → Chief Data
/// Officer).
#[derive(Debug, Clone)]
struct AcronymReading {
    words: Vec<String>,
    name: String,
}

/// Resolves titles against one catalog. Immutable and cheap to share
/// between threads; build it once per catalog.
#[derive(Debug)]
pub struct TitleResolver {
    roles: Vec<RoleInfo>,
    names: Vec<NameInfo>,
    /// Literal key of every title, alias and id → (role, name as written).
    literal: HashMap<String, (usize, String)>,
    /// Every topic word → its symbol; `sym_text` is the reverse.
    syms: HashMap<String, Sym>,
    sym_text: Vec<String>,
    /// By symbol: how rare the word is across roles.
    weights: Vec<f32>,
    /// By symbol: the names that use the word, or whose family name does.
    postings: Vec<Vec<u32>>,
    family_ids: Vec<String>,
    /// By symbol: (index into `family_ids`, share of the roles using the
    /// word that are in that family).
    family_share: Vec<Vec<(u16, f32)>>,
    acronyms: HashMap<String, Vec<AcronymReading>>,
    typos: TypoIndex,
    /// Tells resolvers apart in the per-thread typo cache.
    id: u64,
}

impl TitleResolver {
    /// Resolves one title; errors only for empty or overlong input.
    pub fn resolve(&self, title: &str) -> Result<Resolution, ResolveError> {
        let chars = title.chars().count();
        if chars > MAX_TITLE_CHARS {
            return Err(ResolveError::TooLong { chars });
        }
        if split(title).is_empty() {
            return Err(ResolveError::Empty);
        }
        Ok(self.resolve_title(title))
    }

    /// Resolves a title of any length; an empty one is "no match".
    pub fn resolve_title(&self, title: &str) -> Resolution {
        let mut notes = Vec::new();
        let words = split(title);
        let exact = self.literal.get(&words::key_of(&words));
        let words = analyse::expand_abbreviations(words, &mut notes);
        let words = self.correct_typos(words, &mut notes);
        let conjoined = words.iter().any(|w| w.text == "and" && !w.employer);
        let readings = self.readings(words, &mut notes);

        let mut best: HashMap<usize, Scored> = HashMap::default();
        let mut analyses = Vec::with_capacity(readings.len());
        for (reading, words) in readings.iter().enumerate() {
            let pieces = analyse::pieces(words, &Vocabulary(&self.syms));
            let analysis = Analysis::new(pieces);
            self.score(&analysis, reading, &mut best);
            analyses.push(analysis);
        }
        if let Some((role, name)) = exact {
            let previous = best.get(role).map(|s| (s.name, s.reading));
            let (name_index, reading) = previous.unwrap_or((usize::MAX, 0));
            best.insert(
                *role,
                Scored {
                    score: 1.0,
                    name: name_index,
                    reading,
                    other_level: false,
                    exact: Some(name.as_str()),
                },
            );
        }
        let mut ranked: Vec<(usize, Scored)> = best.into_iter().collect();
        ranked.sort_by(|a, b| {
            b.1.score
                .total_cmp(&a.1.score)
                .then_with(|| self.roles[a.0].id.cmp(&self.roles[b.0].id))
        });
        self.assemble(title, &ranked, &analyses, conjoined, notes)
    }

    fn correct_typos(&self, words: Vec<Word>, notes: &mut Vec<String>) -> Vec<Word> {
        words
            .into_iter()
            .map(|mut word| {
                let lemma = words::lemma(&word.text).into_owned();
                if word.employer
                    || self.syms.contains_key(&lemma)
                    || LEXICON.knows(&lemma)
                    || LEXICON.knows(&word.text)
                    || self.acronyms.contains_key(&word.text)
                    || LEXICON.abbreviation(&word.text).is_some()
                {
                    return word;
                }
                if let Some(fixed) = self.corrected(&lemma) {
                    notes.push(format!("read '{}' as '{fixed}'", word.raw));
                    word.text = fixed.to_string();
                    word.corrected = true;
                }
                word
            })
            .collect()
    }

    /// The typo correction of an unknown word. Unknown words repeat a lot
    /// in a batch (team names, places, employers), so each thread keeps
    /// the last few thousand answers of each resolver.
    fn corrected(&self, word: &str) -> Option<String> {
        const CAPACITY: usize = 4096;
        thread_local! {
            static CACHE: RefCell<HashMap<(u64, String), Option<String>>> =
                RefCell::new(HashMap::default());
        }
        if word.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        let key = (self.id, word.to_string());
        if let Some(known) = CACHE.with(|c| c.borrow().get(&key).cloned()) {
            return known;
        }
        let answer = self.typos.correct(word).map(str::to_string);
        CACHE.with(|c| {
            let mut cache = c.borrow_mut();
            if cache.len() >= CAPACITY {
                cache.clear();
            }
            cache.insert(key, answer.clone());
        });
        answer
    }

    /// One reading per combination of acronym meanings ("CDO" → Chief Data
    /// Officer, Chief Digital Officer).
    fn readings(&self, words: Vec<Word>, notes: &mut Vec<String>) -> Vec<Vec<Word>> {
        if !words.iter().any(|w| self.acronyms.contains_key(&w.text)) {
            return vec![words];
        }
        let mut readings: Vec<Vec<Word>> = vec![Vec::with_capacity(words.len() + 4)];
        for word in words {
            match self.acronyms.get(&word.text) {
                Some(meanings) => {
                    if meanings.len() > 1 {
                        notes.push(format!(
                            "{} has {} readings in this catalog: {}",
                            word.raw,
                            meanings.len(),
                            meanings
                                .iter()
                                .map(|m| m.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ));
                    } else {
                        notes.push(format!("{} read as {}", word.raw, meanings[0].name));
                    }
                    let mut next = Vec::new();
                    for reading in &readings {
                        for meaning in meanings {
                            if next.len() == MAX_READINGS {
                                break;
                            }
                            let mut extended = reading.clone();
                            extended.extend(word.expanded(&meaning.words));
                            next.push(extended);
                        }
                    }
                    readings = next;
                }
                None => {
                    for reading in &mut readings {
                        reading.push(word.clone());
                    }
                }
            }
        }
        readings
    }
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use proptest::prelude::*;
    use proptest::sample::select;

    use super::*;
    use crate::testing::{WHITESPACE, builtin_catalog, config, tricky_text};

    static BUILTIN: LazyLock<TitleResolver> =
        LazyLock::new(|| TitleResolver::new(builtin_catalog()));

    /// What a resolution promises, whatever the title.
    fn check(resolution: &Resolution) -> Result<(), TestCaseError> {
        prop_assert!((0.0..=1.0).contains(&resolution.confidence));
        prop_assert!(resolution.candidates.len() <= MAX_CANDIDATES);
        for pair in resolution.candidates.windows(2) {
            prop_assert!(
                pair[0].score >= pair[1].score,
                "{:?}",
                resolution.candidates
            );
        }
        for candidate in &resolution.candidates {
            prop_assert!((0.0..=1.0).contains(&candidate.confidence));
            prop_assert!(BUILTIN.roles.iter().any(|r| r.id == candidate.role_id));
        }
        prop_assert_eq!(
            resolution.ambiguous,
            resolution.status == MatchStatus::Ambiguous
        );
        match resolution.status {
            MatchStatus::None => prop_assert!(resolution.role.is_none()),
            MatchStatus::Ambiguous => {
                prop_assert!(resolution.role.is_none());
                prop_assert!(resolution.candidates.len() >= 2);
            }
            MatchStatus::Exact | MatchStatus::Match | MatchStatus::Nearby => {
                prop_assert!(resolution.confidence >= calibration::THRESHOLD);
                prop_assert_eq!(resolution.role.as_ref(), resolution.candidates.first());
            }
        }
        let _ = resolution.explanation.summary();
        Ok(())
    }

    /// Titles of every kind the resolver answers: exact, matched, nearby,
    /// ambiguous, works-for and none.
    const TITLES: &[&str] = &[
        "CTO",
        "Sr. Director, Site Reliability",
        "VP - Infrastructure",
        "Head of Engineering",
        "CDO",
        "Chief Product & Technology Officer",
        "Executive Assistant to the CTO",
        "Recruiter for the VP of Engineering",
        "Office of the CTO",
        "SRE Manager, Payments",
        "Registered Nurse",
        "Vice President for Information Technology",
    ];

    proptest! {
        #![proptest_config(config(512))]

        /// Any title resolves without panicking, to a well-formed answer;
        /// `resolve` refuses exactly the empty and the overlong.
        #[test]
        fn any_title_resolves(title in tricky_text(40)) {
            let resolution = BUILTIN.resolve_title(&title);
            check(&resolution)?;
            match BUILTIN.resolve(&title) {
                Ok(checked) => prop_assert_eq!(checked, resolution),
                Err(ResolveError::Empty) => prop_assert!(split(&title).is_empty()),
                Err(ResolveError::TooLong { chars }) => prop_assert!(chars > MAX_TITLE_CHARS),
            }
        }

        /// Every whitespace character separates words as a space does,
        /// around any known title.
        #[test]
        fn any_whitespace_is_a_space(
            title in select(TITLES),
            spaces in proptest::collection::vec(select(WHITESPACE), 8),
            around in (select(WHITESPACE), select(WHITESPACE)),
        ) {
            let mut spaces = spaces.into_iter().cycle();
            let odd: String = title
                .chars()
                .map(|c| if c == ' ' { spaces.next().unwrap_or(' ') } else { c })
                .collect();
            let odd = format!("{}{odd}{}", around.0, around.1);
            let expected = BUILTIN.resolve_title(title);
            let mut found = BUILTIN.resolve_title(&odd);
            found.title = expected.title.clone();
            let (a, b) = (&mut found.explanation.notes, &expected.explanation.notes);
            // Notes quote words as written, which are the same words.
            prop_assert_eq!(a.len(), b.len());
            a.clone_from(b);
            prop_assert_eq!(found, expected);
        }
    }
}
