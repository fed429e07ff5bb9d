//! Title resolution: a messy job title ("Sr. Dir., Site Reliability",
//! "CDO", "SRE Manager, Payments") → the catalog role it names, with a
//! calibrated confidence, the runner-up, and an explanation.
//!
//! Matching does not use the full-text index. A title is split into words
//! ([`words`]), abbreviations and acronyms are expanded, typos corrected and
//! phrases folded into concepts ([`analyse`]); its core (what the role is)
//! is compared with every catalog title and alias on topic tokens weighted
//! by how rare they are across roles, and on level. The vocabulary, the
//! acronyms (single-word aliases such as "CTO", and the initials of every
//! "Chief … Officer" name) and the levels all come from the catalog; only
//! English title conventions live in [`lexicon`].
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
//!   9; senior director 6.5), 0.45 when the title names no level, 0.15 for
//!   an individual contributor's title against a management role;
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
pub mod calibration;
pub mod eval;
pub mod lexicon;
mod typo;
mod words;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::cell::RefCell;

use rolebook_core::Catalog;
use rolebook_core::model::Track;
use serde::Serialize;

use analyse::{Analysis, InputLevel, LEXICON, Meaning, Piece, Sym, Topics};
use typo::TypoIndex;
use words::{Word, literal_key, looks_like_acronym, split};

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

#[derive(Debug)]
struct RoleInfo {
    id: String,
    title: String,
    family: String,
    level: String,
    seniority: f32,
    individual: bool,
}

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
    syms: HashMap<String, Sym>,
    sym_text: Vec<String>,
    weights: Vec<f32>,
    postings: Vec<Vec<u32>>,
    family_ids: Vec<String>,
    family_share: Vec<Vec<(u16, f32)>>,
    acronyms: HashMap<String, Vec<AcronymReading>>,
    typos: TypoIndex,
    /// Tells resolvers apart in the per-thread typo cache.
    id: u64,
}

/// Interns every word a catalog name uses as a topic.
struct Collector {
    syms: RefCell<HashMap<String, Sym>>,
    texts: RefCell<Vec<String>>,
}

impl Topics for Collector {
    fn sym(&self, word: &str) -> Option<Sym> {
        if LEXICON.is_structural(word) {
            return None;
        }
        let mut syms = self.syms.borrow_mut();
        if let Some(&sym) = syms.get(word) {
            return Some(sym);
        }
        let mut texts = self.texts.borrow_mut();
        let sym = texts.len() as Sym;
        texts.push(word.to_string());
        syms.insert(word.to_string(), sym);
        Some(sym)
    }
}

struct Vocabulary<'a>(&'a HashMap<String, Sym>);

impl Topics for Vocabulary<'_> {
    fn sym(&self, word: &str) -> Option<Sym> {
        self.0.get(word).copied()
    }
}

fn topic_syms(pieces: &[Piece]) -> Vec<Sym> {
    let mut syms: Vec<Sym> = pieces
        .iter()
        .filter_map(|p| match p.meaning {
            Meaning::Topic(sym) | Meaning::IcNoun(Some(sym)) => Some(sym),
            _ => None,
        })
        .collect();
    syms.sort_unstable();
    syms.dedup();
    syms
}

/// The words of a name without acronym or typo handling, as the catalog
/// wrote them.
fn name_words(name: &str) -> Vec<Word> {
    analyse::expand_abbreviations(split(name), &mut Vec::new())
}

/// Initials of a "Chief … Officer" name ("Chief AI Officer" → "caio"): a
/// word written as an acronym contributes all its letters.
fn initialism(name: &str) -> Option<String> {
    let words: Vec<Word> = split(name)
        .into_iter()
        .filter(|w| {
            let lemma = words::lemma(&w.text);
            !LEXICON.is_structural(&lemma) && !matches!(w.text.as_str(), "and" | "of" | "the")
        })
        .collect();
    if words.len() < 3 || words[0].text != "chief" || words[words.len() - 1].text != "officer" {
        return None;
    }
    let mut out = String::new();
    for word in &words {
        if looks_like_acronym(&word.raw) {
            out.push_str(&word.text);
        } else {
            out.extend(word.text.chars().next());
        }
    }
    Some(out)
}

impl TitleResolver {
    /// Builds the resolver's vocabulary from a catalog's titles, aliases,
    /// ids, levels and families.
    pub fn new(catalog: &Catalog) -> TitleResolver {
        let collector = Collector {
            syms: RefCell::new(HashMap::default()),
            texts: RefCell::new(Vec::new()),
        };
        let family_ids: Vec<String> = catalog
            .families()
            .iter()
            .map(|f| f.id.to_string())
            .collect();
        let mut roles = Vec::new();
        let mut raw_names: Vec<(usize, String)> = Vec::new();
        let mut family_names: Vec<(usize, String)> = Vec::new();
        for role in catalog.roles() {
            let index = roles.len();
            let (seniority, individual, level_name) = match catalog.level(&role.level) {
                Some(level) => {
                    let from_name = analyse::level_of_name(&level.name, &collector);
                    let from_id = analyse::level_of_name(&level.id.replace('-', " "), &collector);
                    let seniority = match (from_name, from_id) {
                        (InputLevel::Management(v, _) | InputLevel::Individual(v, _), _)
                        | (_, InputLevel::Management(v, _) | InputLevel::Individual(v, _)) => v,
                        _ => f32::from(level.rank),
                    };
                    (
                        seniority,
                        level.track == Track::IndividualContributor,
                        level.name.clone(),
                    )
                }
                None => (0.0, false, role.level.to_string()),
            };
            roles.push(RoleInfo {
                id: role.id.to_string(),
                title: role.title.to_string(),
                family: role.family.to_string(),
                level: level_name,
                seniority,
                individual,
            });
            if let Some(family) = catalog.family(&role.family) {
                family_names.push((index, family.name.clone()));
            }
            raw_names.push((index, role.title.to_string()));
            raw_names.push((index, role.id.replace('-', " ")));
            for alias in &role.aliases {
                raw_names.push((index, alias.to_string()));
            }
        }

        // Pass 1: every word the names use becomes vocabulary.
        for (_, name) in raw_names.iter().chain(&family_names) {
            analyse::pieces(&name_words(name), &collector);
        }
        let syms = collector.syms.into_inner();
        let sym_text = collector.texts.into_inner();
        let vocabulary = Vocabulary(&syms);

        // Pass 2: names as sets of topics; acronyms.
        let mut names: Vec<NameInfo> = Vec::new();
        let mut literal = HashMap::default();
        let mut acronyms: HashMap<String, Vec<AcronymReading>> = HashMap::default();
        let mut acronym_roles: HashMap<String, HashSet<usize>> = HashMap::default();
        for (role, name) in &raw_names {
            let pieces = analyse::pieces(&name_words(name), &vocabulary);
            let analysis = Analysis::new(pieces);
            let topics = topic_syms(&analysis.core);
            literal
                .entry(literal_key(name))
                .or_insert((*role, name.clone()));
            let single = split(name);
            let mut add_acronym = |key: String, expansion: &str| {
                if acronym_roles.entry(key.clone()).or_default().insert(*role) {
                    acronyms.entry(key).or_default().push(AcronymReading {
                        words: split(expansion).into_iter().map(|w| w.text).collect(),
                        name: expansion.to_string(),
                    });
                }
            };
            if single.len() == 1 && looks_like_acronym(&single[0].raw) {
                add_acronym(single[0].text.clone(), &roles[*role].title);
            } else if let Some(key) = initialism(name) {
                add_acronym(key, name);
            }
            if topics.is_empty() {
                continue;
            }
            names.push(NameInfo {
                role: *role,
                text: name.clone(),
                topics,
                weight: 0.0,
                family_topics: Vec::new(),
                family_weight: 0.0,
            });
        }
        let mut family_topics: Vec<Vec<Sym>> = vec![Vec::new(); roles.len()];
        for (role, name) in &family_names {
            let analysis = Analysis::new(analyse::pieces(&name_words(name), &vocabulary));
            family_topics[*role] = topic_syms(&analysis.core);
        }
        for name in &mut names {
            name.family_topics = family_topics[name.role]
                .iter()
                .copied()
                .filter(|t| name.topics.binary_search(t).is_err())
                .collect();
        }

        // Weights: rare across roles → heavy. A role uses the words of its
        // names and of its family's name.
        let mut role_topics: Vec<HashSet<Sym>> = vec![HashSet::default(); roles.len()];
        for name in &names {
            role_topics[name.role].extend(name.topics.iter().copied());
        }
        for (role, topics) in family_topics.iter().enumerate() {
            role_topics[role].extend(topics.iter().copied());
        }
        let mut document_frequency = vec![0u32; sym_text.len()];
        let mut family_counts: Vec<HashMap<u16, u32>> = vec![HashMap::default(); sym_text.len()];
        for (role, topics) in role_topics.iter().enumerate() {
            let family = family_ids
                .iter()
                .position(|f| *f == roles[role].family)
                .unwrap_or(0) as u16;
            for &sym in topics {
                document_frequency[sym as usize] += 1;
                *family_counts[sym as usize].entry(family).or_default() += 1;
            }
        }
        let role_count = roles.len().max(1) as f32;
        let weights: Vec<f32> = document_frequency
            .iter()
            .map(|&df| (1.0 + role_count / df.max(1) as f32).ln())
            .collect();
        let family_share = family_counts
            .into_iter()
            .zip(&document_frequency)
            .map(|(counts, &df)| {
                let mut shares: Vec<(u16, f32)> = counts
                    .into_iter()
                    .map(|(f, n)| (f, n as f32 / df.max(1) as f32))
                    .collect();
                shares.sort_by_key(|(f, _)| *f);
                shares
            })
            .collect();
        let mut postings = vec![Vec::new(); sym_text.len()];
        for (i, name) in names.iter_mut().enumerate() {
            name.weight = name.topics.iter().map(|&t| weights[t as usize]).sum();
            name.family_weight = FAMILY_WORD_FACTOR
                * name
                    .family_topics
                    .iter()
                    .map(|&t| weights[t as usize])
                    .sum::<f32>();
            for &t in name.topics.iter().chain(&name.family_topics) {
                postings[t as usize].push(i as u32);
            }
        }
        let known: Vec<&str> = LEXICON
            .words()
            .chain(sym_text.iter().map(String::as_str))
            .collect();
        let typos = TypoIndex::new(known);
        TitleResolver {
            roles,
            names,
            literal,
            syms,
            sym_text,
            weights,
            postings,
            family_ids,
            family_share,
            acronyms,
            typos,
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

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
                            for (i, part) in meaning.words.iter().enumerate() {
                                extended.push(Word {
                                    text: part.clone(),
                                    raw: if i == 0 {
                                        word.raw.clone()
                                    } else {
                                        String::new()
                                    },
                                    ..word.clone()
                                });
                            }
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

    fn score<'a>(
        &'a self,
        analysis: &Analysis,
        reading: usize,
        best: &mut HashMap<usize, Scored<'a>>,
    ) {
        let core = topic_syms(&analysis.core);
        let qualifiers: Vec<Sym> = topic_syms(&analysis.qualifiers)
            .into_iter()
            .filter(|s| !core.contains(s))
            .collect();
        if core.is_empty() && qualifiers.is_empty() {
            return;
        }
        let corrected: HashSet<Sym> = analysis
            .core
            .iter()
            .filter(|p| p.corrected)
            .filter_map(|p| match p.meaning {
                Meaning::Topic(s) => Some(s),
                _ => None,
            })
            .collect();
        let extra = |pieces: &[Piece]| -> f32 {
            pieces
                .iter()
                .map(|p| match p.meaning {
                    Meaning::Unknown => UNKNOWN_WEIGHT,
                    Meaning::Foreign => FOREIGN_WEIGHT,
                    _ => 0.0,
                })
                .sum()
        };
        let core_weight: f32 =
            core.iter().map(|&t| self.weights[t as usize]).sum::<f32>() + extra(&analysis.core);
        let qualifier_extra = QUALIFIER_FACTOR * extra(&analysis.qualifiers);

        let mut candidates: Vec<u32> = core
            .iter()
            .chain(&qualifiers)
            .flat_map(|&t| self.postings[t as usize].iter().copied())
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        for name_index in candidates {
            let name = &self.names[name_index as usize];
            // The name alone, and the name with its family's words; the
            // better of the two counts.
            let similarity = [false, true]
                .into_iter()
                .map(|with_family| {
                    let name_weight = |t: Sym| -> f32 {
                        let w = self.weights[t as usize];
                        if name.topics.binary_search(&t).is_ok() {
                            w
                        } else if with_family && name.family_topics.binary_search(&t).is_ok() {
                            w * FAMILY_WORD_FACTOR
                        } else {
                            0.0
                        }
                    };
                    let mut matched = 0.0;
                    for &t in &core {
                        let mut w = self.weights[t as usize];
                        if corrected.contains(&t) {
                            w *= CORRECTED_FACTOR;
                        }
                        matched += w.min(name_weight(t));
                    }
                    if matched <= 0.0 {
                        // A name must share something with what the role
                        // is, not only with its qualifiers.
                        return 0.0;
                    }
                    let mut input_weight = core_weight + qualifier_extra;
                    for &t in &qualifiers {
                        let w = self.weights[t as usize];
                        let shared = w.min(name_weight(t));
                        if shared > 0.0 {
                            matched += shared;
                            input_weight += w;
                        } else {
                            input_weight += QUALIFIER_FACTOR * w;
                        }
                    }
                    let own = name.weight + if with_family { name.family_weight } else { 0.0 };
                    2.0 * matched / (input_weight + own)
                })
                .fold(0.0, f32::max);
            if similarity <= 0.0 {
                continue;
            }
            let role = &self.roles[name.role];
            let level_factor = self.level_factor(analysis, role);
            let other_level = match analysis.level {
                InputLevel::Management(v, _) | InputLevel::Individual(v, _) => v != role.seniority,
                InputLevel::None | InputLevel::Unclear(_) => false,
            };
            let score = similarity * level_factor;
            let entry = best.entry(name.role).or_insert(Scored {
                score: -1.0,
                name: name_index as usize,
                reading,
                other_level,
                exact: None,
            });
            if score > entry.score {
                *entry = Scored {
                    score,
                    name: name_index as usize,
                    reading,
                    other_level,
                    exact: None,
                };
            }
        }
    }

    fn level_factor(&self, analysis: &Analysis, role: &RoleInfo) -> f32 {
        let level = &analysis.level;
        match level {
            InputLevel::None | InputLevel::Unclear(_) => NO_LEVEL_FACTOR,
            InputLevel::Management(value, _) | InputLevel::Individual(value, _) => {
                let individual = matches!(level, InputLevel::Individual(..));
                if individual != role.individual {
                    return TRACK_MISMATCH_FACTOR;
                }
                let distance = (value - role.seniority).abs();
                let bonus = if analysis.base_level == Some(role.seniority) {
                    BASE_LEVEL_BONUS
                } else {
                    0.0
                };
                (1.0 - LEVEL_STEP_PENALTY * distance + bonus).clamp(0.1, 1.0)
            }
        }
    }

    fn candidate(&self, role: usize, scored: &Scored) -> Candidate {
        let info = &self.roles[role];
        Candidate {
            role_id: info.id.clone(),
            title: info.title.clone(),
            family: info.family.clone(),
            level: info.level.clone(),
            confidence: round(calibration::confidence(scored.score), 100.0),
            score: round(scored.score, 1000.0),
            matched_name: match scored.exact {
                Some(name) => name.to_string(),
                None => self
                    .names
                    .get(scored.name)
                    .filter(|n| n.role == role)
                    .map_or_else(|| info.title.clone(), |n| n.text.clone()),
            },
        }
    }

    fn assemble(
        &self,
        title: &str,
        ranked: &[(usize, Scored)],
        analyses: &[Analysis],
        conjoined: bool,
        mut notes: Vec<String>,
    ) -> Resolution {
        let candidates: Vec<Candidate> = ranked
            .iter()
            .take(MAX_CANDIDATES)
            .map(|(role, scored)| self.candidate(*role, scored))
            .collect();
        let reading = ranked.first().map_or(0, |(_, s)| s.reading);
        let analysis = analyses.get(reading).or(analyses.first());
        let Some(((best_role, best), _)) = ranked.first().zip(analysis) else {
            // No reading had any known topic.
            notes.push("no word of the title names anything this catalog covers".to_string());
            let explanation = match analysis {
                Some(a) => self.explain(a, None, notes),
                None => Explanation {
                    notes,
                    ..Explanation::default()
                },
            };
            return Resolution {
                title: title.to_string(),
                status: MatchStatus::None,
                role: None,
                confidence: 0.0,
                ambiguous: false,
                candidates,
                runner_up: None,
                explanation,
            };
        };
        let confidence = calibration::confidence(best.score);
        let mut tied: Vec<&(usize, Scored)> = ranked
            .iter()
            .take_while(|(_, s)| best.score - s.score <= AMBIGUITY_MARGIN)
            .collect();
        if tied.len() == 1
            && conjoined
            && let (Some(analysis), Some(second)) = (analysis, ranked.get(1))
            && calibration::confidence(second.1.score) >= calibration::THRESHOLD
            && self.complementary(analysis, best, &second.1)
        {
            // "Chief Product & Technology Officer": two roles, each naming
            // one side of the "and", at the same level.
            notes.push("the title joins two roles with 'and'".to_string());
            tied.push(second);
        }
        let name = self.names.get(best.name).filter(|n| n.role == *best_role);
        if best.other_level
            && confidence >= calibration::THRESHOLD
            && let (Some(level), Some(_)) = (analysis.and_then(|a| a.level.label()), name)
        {
            let role = &self.roles[*best_role];
            notes.push(format!(
                "level differs: the title says {level}, the nearest catalog role is {} ({})",
                role.level.to_lowercase(),
                role.title
            ));
        }
        let mut explanation = self.explain(analysis.expect("checked above"), name, notes);
        let (status, role, runner_up, candidates) = if confidence < calibration::THRESHOLD {
            explanation.notes.push(format!(
                "no confident match: the nearest role is {} at confidence {:.2}",
                self.roles[*best_role].id, confidence
            ));
            (MatchStatus::None, None, None, candidates)
        } else if tied.len() > 1 {
            explanation.notes.push(format!(
                "ambiguous between {}",
                tied.iter()
                    .map(|(r, _)| self.roles[*r].id.as_str())
                    .collect::<Vec<_>>()
                    .join(" and ")
            ));
            let tied_candidates = tied
                .iter()
                .map(|(role, scored)| self.candidate(*role, scored))
                .collect();
            (MatchStatus::Ambiguous, None, None, tied_candidates)
        } else {
            let status = if best.exact.is_some() {
                MatchStatus::Exact
            } else if best.other_level {
                MatchStatus::Nearby
            } else {
                MatchStatus::Match
            };
            let answer = candidates.first().cloned();
            let runner_up = candidates.get(1).cloned();
            (status, answer, runner_up, candidates)
        };
        Resolution {
            title: title.to_string(),
            status,
            ambiguous: status == MatchStatus::Ambiguous,
            role,
            confidence: round(confidence, 100.0),
            candidates,
            runner_up,
            explanation,
        }
    }

    /// Whether two matches share no topic of the title, cover all of its
    /// core topics together, and sit at the same level.
    fn complementary(&self, analysis: &Analysis, a: &Scored, b: &Scored) -> bool {
        let (Some(name_a), Some(name_b)) = (self.names.get(a.name), self.names.get(b.name)) else {
            return false;
        };
        if a.other_level != b.other_level
            || self.roles[name_a.role].seniority != self.roles[name_b.role].seniority
        {
            return false;
        }
        let core = topic_syms(&analysis.core);
        let own = |n: &NameInfo, t: &Sym| n.topics.binary_search(t).is_ok();
        let covered_a: Vec<&Sym> = core.iter().filter(|t| own(name_a, t)).collect();
        let covered_b: Vec<&Sym> = core.iter().filter(|t| own(name_b, t)).collect();
        !covered_a.is_empty()
            && !covered_b.is_empty()
            && covered_a.iter().all(|t| !covered_b.contains(t))
            && core.iter().all(|t| own(name_a, t) || own(name_b, t))
    }

    fn explain(
        &self,
        analysis: &Analysis,
        name: Option<&NameInfo>,
        notes: Vec<String>,
    ) -> Explanation {
        let in_name = |sym: Sym| {
            name.is_some_and(|n| {
                n.topics.binary_search(&sym).is_ok() || n.family_topics.binary_search(&sym).is_ok()
            })
        };
        let mut explanation = Explanation {
            notes,
            ..Explanation::default()
        };
        let shown = |p: &Piece| {
            if p.raw.is_empty() {
                p.text.clone()
            } else {
                p.raw.clone()
            }
        };
        let mut input_syms = HashSet::default();
        for piece in &analysis.core {
            match piece.meaning {
                Meaning::Topic(sym) | Meaning::IcNoun(Some(sym)) => {
                    if !input_syms.insert(sym) {
                        continue;
                    }
                    if in_name(sym) {
                        explanation.matched.push(shown(piece));
                    } else {
                        explanation.unmatched.push(shown(piece));
                    }
                }
                Meaning::Unknown | Meaning::Foreign => explanation.unmatched.push(shown(piece)),
                _ => {}
            }
        }
        for piece in &analysis.qualifiers {
            match piece.meaning {
                Meaning::Topic(sym) if in_name(sym) && input_syms.insert(sym) => {
                    explanation.matched.push(shown(piece));
                }
                Meaning::Topic(sym) if in_name(sym) => {}
                Meaning::Topic(sym) if input_syms.contains(&sym) => {}
                Meaning::Topic(_) | Meaning::Unknown | Meaning::Foreign | Meaning::IcNoun(_) => {
                    explanation.ignored.push(shown(piece))
                }
                _ => {}
            }
        }
        if let Some(name) = name {
            explanation.missing = name
                .topics
                .iter()
                .filter(|s| !input_syms.contains(s))
                .map(|&s| self.sym_text[s as usize].clone())
                .collect();
        }
        explanation.normalised = analysis
            .core
            .iter()
            .filter(|p| !matches!(p.meaning, Meaning::Noise))
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        explanation.family = self.family_of(analysis);
        explanation.level = match &analysis.level {
            InputLevel::None => None,
            InputLevel::Unclear(label) => Some(format!("{label} (level unclear)")),
            InputLevel::Management(value, label) => Some(format!("{label} ({value})")),
            InputLevel::Individual(value, label) => Some(format!("{label} ({value})")),
        };
        explanation
    }

    /// The family the title's topic words point to: each word votes with
    /// its weight, split across the families of the roles whose names use
    /// it.
    fn family_of(&self, analysis: &Analysis) -> Option<String> {
        let mut votes: HashMap<u16, f32> = HashMap::default();
        let mut total = 0.0;
        for sym in topic_syms(&analysis.core) {
            let weight = self.weights[sym as usize];
            total += weight;
            for &(family, share) in &self.family_share[sym as usize] {
                *votes.entry(family).or_default() += weight * share;
            }
        }
        let mut votes: Vec<(u16, f32)> = votes.into_iter().collect();
        votes.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let (family, vote) = *votes.first()?;
        let second = votes.get(1).map_or(0.0, |v| v.1);
        // A clear plurality: at least 40% of the weight and a quarter more
        // than the next family.
        (vote >= 0.4 * total && vote >= 1.25 * second)
            .then(|| self.family_ids[family as usize].clone())
    }
}

/// The best way a role matched a title.
#[derive(Debug, Clone, Copy)]
struct Scored<'a> {
    score: f32,
    /// Index into `names`, or `usize::MAX` for an exact match on a name
    /// without topics (an acronym alias such as "CTO").
    name: usize,
    reading: usize,
    /// The title names a level and the role is at another.
    other_level: bool,
    /// The catalog name the title equals, up to case and punctuation.
    exact: Option<&'a str>,
}

fn round(value: f32, scale: f32) -> f32 {
    (value * scale).round() / scale
}
