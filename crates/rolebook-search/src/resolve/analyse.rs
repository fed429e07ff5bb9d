//! Words → meaning: abbreviations, phrases (concepts and levels), and the
//! split of a title into its core (what the role is) and qualifiers (team,
//! product, region, employer).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::LazyLock;

use super::lexicon;
use super::words::{Word, lemma};

/// A topic token, interned by the vocabulary.
pub(crate) type Sym = u32;

#[derive(Debug, Clone)]
enum Action {
    Concept(String),
    Level(Option<f32>, Option<f32>, &'static str),
    IcPhrase,
    Support,
    Relation,
}

/// The lexicon tables, compiled once with their words in lemma form.
pub(crate) struct Lexicon {
    abbreviations: HashMap<&'static str, Vec<String>>,
    /// Phrases by first word, longest first.
    phrases: HashMap<String, Vec<(Vec<String>, Action)>>,
    modifiers: HashMap<String, f32>,
    ic_seniority: HashMap<String, f32>,
    ic_nouns: HashMap<String, Option<String>>,
    support: HashSet<String>,
    /// As written, not lemmatised: "supports" is not "support".
    relations: HashSet<String>,
    org_nouns: HashSet<String>,
    foreign: HashSet<String>,
    stop: HashSet<String>,
    noise: HashSet<String>,
    /// Every word the tables know, for typo correction.
    words: HashSet<String>,
}

fn lemmatise(phrase: &str) -> Vec<String> {
    phrase
        .split_whitespace()
        .map(|w| lemma(w).into_owned())
        .collect()
}

pub(crate) static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let mut phrases: HashMap<String, Vec<(Vec<String>, Action)>> = HashMap::default();
    let mut add = |phrase: &str, action: Action| {
        let words = lemmatise(phrase);
        phrases
            .entry(words[0].clone())
            .or_default()
            .push((words, action));
    };
    for (phrase, concept) in lexicon::CONCEPTS {
        add(phrase, Action::Concept(lemma(concept).into_owned()));
    }
    for (phrase, value, base, label) in lexicon::LEVELS {
        add(phrase, Action::Level(*value, *base, label));
    }
    for phrase in lexicon::IC_PHRASES {
        add(phrase, Action::IcPhrase);
    }
    let is_phrase = |p: &&&str| p.contains(' ');
    for phrase in lexicon::SUPPORT_JOBS.iter().filter(is_phrase) {
        add(phrase, Action::Support);
    }
    for phrase in lexicon::RELATIONS.iter().filter(is_phrase) {
        add(phrase, Action::Relation);
    }
    for list in phrases.values_mut() {
        list.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
    }
    let set = |list: &[&str]| list.iter().map(|w| lemma(w).into_owned()).collect();
    let abbreviations: HashMap<&'static str, Vec<String>> = lexicon::ABBREVIATIONS
        .iter()
        .map(|(short, long)| (*short, lemmatise(long)))
        .collect();
    let modifiers: HashMap<String, f32> = lexicon::LEVEL_MODIFIERS
        .iter()
        .map(|(w, v)| (w.to_string(), *v))
        .collect();
    let ic_seniority: HashMap<String, f32> = lexicon::IC_SENIORITY
        .iter()
        .map(|(w, v)| (w.to_string(), *v))
        .collect();
    let ic_nouns: HashMap<String, Option<String>> = lexicon::IC_NOUNS
        .iter()
        .map(|(w, topic)| (lemma(w).into_owned(), topic.map(|t| lemma(t).into_owned())))
        .collect();
    let single = |list: &[&'static str]| -> Vec<&'static str> {
        list.iter().copied().filter(|p| !p.contains(' ')).collect()
    };
    let support: HashSet<String> = set(&single(lexicon::SUPPORT_JOBS));
    let relations: HashSet<String> = single(lexicon::RELATIONS)
        .into_iter()
        .map(str::to_string)
        .collect();
    let org_nouns: HashSet<String> = set(lexicon::ORG_NOUNS);
    let foreign: HashSet<String> = set(lexicon::FOREIGN_FIELDS);
    let stop: HashSet<String> = set(lexicon::STOP_WORDS);
    let noise: HashSet<String> = set(lexicon::NOISE_WORDS);
    let mut words: HashSet<String> = HashSet::default();
    for list in phrases.values() {
        for (phrase, action) in list {
            words.extend(phrase.iter().cloned());
            if let Action::Concept(concept) = action {
                words.insert(concept.clone());
            }
        }
    }
    for expansion in abbreviations.values() {
        words.extend(expansion.iter().cloned());
    }
    words.extend(modifiers.keys().cloned());
    words.extend(ic_seniority.keys().cloned());
    words.extend(ic_nouns.keys().cloned());
    // Not relations: a typo read as one would change what the title says
    // about whom it works for.
    words.extend(support.iter().cloned());
    words.extend(org_nouns.iter().cloned());
    words.extend(foreign.iter().cloned());
    words.extend(noise.iter().cloned());
    Lexicon {
        abbreviations,
        phrases,
        modifiers,
        ic_seniority,
        ic_nouns,
        support,
        relations,
        org_nouns,
        foreign,
        stop,
        noise,
        words,
    }
});

impl Lexicon {
    /// Whether a word has a meaning of its own in the tables, so that a
    /// catalog name using it does not make it a topic.
    pub(crate) fn is_structural(&self, word: &str) -> bool {
        self.ic_nouns.contains_key(word)
            || self.noise.contains(word)
            || self.org_nouns.contains(word)
            || is_grade(word)
    }

    pub(crate) fn abbreviation(&self, word: &str) -> Option<&[String]> {
        self.abbreviations.get(word).map(Vec::as_slice)
    }

    pub(crate) fn knows(&self, word: &str) -> bool {
        self.words.contains(word) || self.stop.contains(word) || self.relations.contains(word)
    }

    pub(crate) fn words(&self) -> impl Iterator<Item = &str> {
        self.words.iter().map(String::as_str)
    }
}

/// What one word or phrase of a title means.
#[derive(Debug, Clone)]
pub(crate) enum Meaning {
    Topic(Sym),
    /// A word the catalog does not use: it counts against every role.
    Unknown,
    /// A field of work outside the catalog ("sales"): counts heavily
    /// against every role.
    Foreign,
    /// Place on the scale, plain level it varies, label.
    Level(Option<f32>, Option<f32>, &'static str),
    /// "senior", "deputy", "staff"…
    Modifier,
    /// "engineer", "analyst": an individual contributor, with its topic.
    IcNoun(Option<Sym>),
    /// "product manager": an individual job named with a management word.
    IcPhrase,
    /// "executive assistant", "recruiter": a job serving another role (see
    /// [`lexicon::SUPPORT_JOBS`]).
    Support,
    /// "for", "office of": may introduce the role the title works for.
    /// Resolved by [`Analysis::new`], which drops it.
    Relation,
    /// "office", "org": may make the role before it an organisation.
    /// Resolved by [`Analysis::new`], which makes it noise.
    Org,
    Noise,
}

#[derive(Debug, Clone)]
pub(crate) struct Piece {
    pub meaning: Meaning,
    /// The words as written (joined for phrases).
    pub raw: String,
    /// The normalised words (joined for phrases).
    pub text: String,
    pub segment: u16,
    /// Part of what the title works for, not of what it is: the employer,
    /// or the role served ("to the CTO", "Office of the CTO").
    pub employer: bool,
    pub corrected: bool,
}

/// Looks words up in the catalog's vocabulary.
pub(crate) trait Topics {
    fn sym(&self, word: &str) -> Option<Sym>;
}

/// Rewrites abbreviations in place ("Sr." → "senior"; "VP" → "vice
/// president"), keeping the written form on the first word.
pub(crate) fn expand_abbreviations(words: Vec<Word>, notes: &mut Vec<String>) -> Vec<Word> {
    let mut out = Vec::with_capacity(words.len() + 2);
    for word in words {
        match LEXICON.abbreviation(&word.text) {
            Some(expansion) => {
                if matches!(word.text.as_str(), "svp" | "evp" | "avp" | "gvp") {
                    notes.push(format!(
                        "{} read as {} (a vice president level)",
                        word.raw,
                        expansion.join(" ")
                    ));
                }
                out.extend(word.expanded(expansion));
            }
            None => out.push(word),
        }
    }
    out
}

/// Applies lemmas and phrases, and gives every word or phrase a meaning.
pub(crate) fn pieces(words: &[Word], topics: &dyn Topics) -> Vec<Piece> {
    let lex = &*LEXICON;
    let lemmas: Vec<std::borrow::Cow<'_, str>> = words.iter().map(|w| lemma(&w.text)).collect();
    // The longest phrase of the tables starting at word `i`.
    let phrase_at = |i: usize| {
        let word = &words[i];
        lex.phrases.get(lemmas[i].as_ref()).and_then(|list| {
            list.iter().find(|(phrase, _)| {
                phrase.len() <= words.len() - i
                    && phrase
                        .iter()
                        .zip(words[i..].iter().zip(&lemmas[i..]))
                        .all(|(p, (w, l))| {
                            *p == *l && w.segment == word.segment && w.employer == word.employer
                        })
            })
        })
    };
    // Whether a level word comes right after word `i`, in its part of the
    // title ("Assistant CTO", read as "assistant chief technology officer").
    let level_follows = |i: usize| {
        words.get(i + 1).is_some_and(|next| {
            next.segment == words[i].segment
                && next.employer == words[i].employer
                && phrase_at(i + 1).is_some_and(|(_, a)| matches!(a, Action::Level(Some(_), ..)))
        })
    };
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        if let Some((phrase, action)) = phrase_at(i) {
            let span = &words[i..i + phrase.len()];
            let raw = join(span.iter().map(|w| w.raw.as_str()));
            let corrected = span.iter().any(|w| w.corrected);
            let (meaning, text) = match action {
                Action::Concept(concept) => match topics.sym(concept) {
                    Some(sym) => (Meaning::Topic(sym), concept.clone()),
                    None => (Meaning::Unknown, concept.clone()),
                },
                Action::Level(value, base, label) => {
                    (Meaning::Level(*value, *base, label), label.to_string())
                }
                Action::IcPhrase => (Meaning::IcPhrase, phrase.join(" ")),
                Action::Support => (Meaning::Support, phrase.join(" ")),
                Action::Relation => (Meaning::Relation, phrase.join(" ")),
            };
            out.push(Piece {
                meaning,
                raw,
                text,
                segment: word.segment,
                employer: word.employer,
                corrected,
            });
            i += phrase.len();
            continue;
        }
        let text = lemmas[i].as_ref();
        let meaning = if lex.relations.contains(&word.text) {
            Some(Meaning::Relation)
        } else if lex.stop.contains(text) {
            None
        } else if lex.support.contains(text)
            && !(lex.modifiers.contains_key(text) && level_follows(i))
        {
            // A catalog that has the job as a role of its own wins.
            Some(topics.sym(text).map_or(Meaning::Support, Meaning::Topic))
        } else if lex.modifiers.contains_key(text) || lex.ic_seniority.contains_key(text) {
            Some(Meaning::Modifier)
        } else if let Some(sym) = topics.sym(text) {
            Some(Meaning::Topic(sym))
        } else if let Some(topic) = lex.ic_nouns.get(text) {
            Some(Meaning::IcNoun(
                topic.as_deref().and_then(|t| topics.sym(t)),
            ))
        } else if lex.noise.contains(text) || is_grade(text) {
            Some(Meaning::Noise)
        } else if lex.org_nouns.contains(text) {
            Some(Meaning::Org)
        } else if lex.foreign.contains(text) {
            Some(Meaning::Foreign)
        } else {
            Some(Meaning::Unknown)
        };
        if let Some(meaning) = meaning {
            out.push(Piece {
                meaning,
                raw: word.raw.clone(),
                text: text.to_string(),
                segment: word.segment,
                employer: word.employer,
                corrected: word.corrected,
            });
        }
        i += 1;
    }
    out
}

fn join<'a>(parts: impl Iterator<Item = &'a str>) -> String {
    parts
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Grade numbers and roman numerals ("Manager II", "Level 3").
fn is_grade(word: &str) -> bool {
    word.chars().all(|c| c.is_ascii_digit())
        || matches!(word, "i" | "ii" | "iii" | "iv" | "vi" | "vii")
}

/// Where a title sits: a management level, an individual contributor's
/// level, or not said.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum InputLevel {
    None,
    /// "Officer" without "Chief": a level word that fixes no level.
    Unclear(String),
    Management(f32, String),
    Individual(f32, String),
}

impl InputLevel {
    pub(crate) fn label(&self) -> Option<&str> {
        match self {
            InputLevel::None => None,
            InputLevel::Unclear(label)
            | InputLevel::Management(_, label)
            | InputLevel::Individual(_, label) => Some(label),
        }
    }
}

/// A title taken apart: the core that says what the role is, and the
/// qualifiers around it.
#[derive(Debug, Clone)]
pub(crate) struct Analysis {
    pub core: Vec<Piece>,
    pub qualifiers: Vec<Piece>,
    pub level: InputLevel,
    /// The level before "senior", "deputy" and the like: "Senior Director"
    /// is nearer a director than a head of function when both are one
    /// half-step away.
    pub base_level: Option<f32>,
    /// The role the title works for, as written, when it names one ("CTO"
    /// in "Executive Assistant to the CTO"): set aside, it is not the
    /// title's role.
    pub serves: Option<String>,
}

impl Analysis {
    pub(crate) fn new(pieces: Vec<Piece>) -> Analysis {
        let pieces = set_aside_served(pieces);
        let (mut core, mut qualifiers) = split_core(pieces);
        set_aside_served_by_support(&mut core, &mut qualifiers);
        let serves = served_role(&qualifiers);
        let (level, base_level) = level_of(&core);
        Analysis {
            core,
            qualifiers,
            level,
            base_level,
            serves,
        }
    }
}

/// The words of the role a title works for: the first run of role words
/// set aside that has a level ("VP Engineering" in "Recruiter for the VP of
/// Engineering, Payments"; "CTO" in "EA to the CTO at Acme").
fn served_role(qualifiers: &[Piece]) -> Option<String> {
    let is_role_word = |p: &Piece| {
        p.employer
            && matches!(
                p.meaning,
                Meaning::Level(..) | Meaning::Modifier | Meaning::Topic(_) | Meaning::IcNoun(_)
            )
    };
    qualifiers
        .split(|p| !is_role_word(p))
        .find(|run| run.iter().any(is_management_level))
        .map(|run| join(run.iter().map(|p| p.raw.as_str())))
}

fn is_management_level(piece: &Piece) -> bool {
    matches!(piece.meaning, Meaning::Level(Some(_), ..))
}

/// Marks what a title works for, so that it is not read as the title's
/// role: what follows a relation word when a level word comes first
/// ("Recruiter for the VP of Engineering", "Office of the CTO"), and a role
/// named with its organisation ("CTO Office", "(CISO org)", "VP org").
/// Relation words are then dropped and organisation nouns are noise.
fn set_aside_served(mut pieces: Vec<Piece>) -> Vec<Piece> {
    let relation = (0..pieces.len()).find(|&i| {
        matches!(pieces[i].meaning, Meaning::Relation)
            && pieces[i + 1..]
                .iter()
                .find(|p| !matches!(p.meaning, Meaning::Noise | Meaning::Modifier))
                .is_some_and(is_management_level)
    });
    if let Some(at) = relation {
        for piece in &mut pieces[at + 1..] {
            piece.employer = true;
        }
    }
    let mut start = 0;
    for i in 0..pieces.len() {
        if pieces[i].segment != pieces[start].segment
            || pieces[i].employer != pieces[start].employer
        {
            start = i;
        }
        // Right after a whole role, ending in its level word: "Head of
        // Engineering Office", "Director of the Project Management Office"
        // and "Head of Office" head an office.
        if matches!(pieces[i].meaning, Meaning::Org)
            && i > start
            && matches!(pieces[i - 1].meaning, Meaning::Level(..))
            && pieces[start..i].iter().any(is_management_level)
            && pieces[start..i]
                .iter()
                .any(|p| matches!(p.meaning, Meaning::Topic(_)))
        {
            for piece in &mut pieces[start..=i] {
                piece.employer = true;
            }
            start = i + 1;
        }
    }
    pieces.retain(|p| !matches!(p.meaning, Meaning::Relation));
    for piece in &mut pieces {
        if matches!(piece.meaning, Meaning::Org) {
            piece.meaning = Meaning::Noise;
        }
    }
    pieces
}

/// A title naming a support job is that job: any role named beside it
/// ("Executive Assistant, CTO", "VP Engineering Recruiter") is the one it
/// serves.
fn set_aside_served_by_support(core: &mut Vec<Piece>, qualifiers: &mut Vec<Piece>) {
    if !core.iter().any(|p| matches!(p.meaning, Meaning::Support))
        || !core.iter().any(is_management_level)
    {
        return;
    }
    let (job, served): (Vec<Piece>, Vec<Piece>) = std::mem::take(core).into_iter().partition(|p| {
        matches!(
            p.meaning,
            Meaning::Support | Meaning::Modifier | Meaning::Noise
        )
    });
    *core = job;
    qualifiers.extend(served.into_iter().map(|p| Piece {
        employer: true,
        ..p
    }));
}

fn says_level(piece: &Piece) -> bool {
    matches!(
        piece.meaning,
        Meaning::Level(..) | Meaning::IcNoun(_) | Meaning::IcPhrase | Meaning::Support
    )
}

/// A word in the place of a topic, known or not: in "Chief Diversity
/// Officer (CDO)" the core is complete before the bracket, whose acronym
/// then cannot make the title a Chief Data Officer.
fn says_topic(piece: &Piece) -> bool {
    matches!(
        piece.meaning,
        Meaning::Topic(_) | Meaning::IcNoun(Some(_)) | Meaning::Unknown | Meaning::Foreign
    )
}

fn says_anything(piece: &Piece) -> bool {
    !matches!(piece.meaning, Meaning::Unknown | Meaning::Noise)
}

/// Segments join the core until it names both a level and a topic
/// ("Director" + "Site Reliability"); later segments are qualifiers ("SRE
/// Manager" + "Payments"), except one that only adds level words or names
/// a support job ("CTO, Executive Assistant"). A segment with nothing the
/// catalog or the tables know is a qualifier wherever it stands, and so is
/// everything after "at".
fn split_core(pieces: Vec<Piece>) -> (Vec<Piece>, Vec<Piece>) {
    let mut segments: Vec<Vec<Piece>> = Vec::new();
    for piece in pieces {
        match segments.last_mut() {
            Some(last)
                if last[0].segment == piece.segment && last[0].employer == piece.employer =>
            {
                last.push(piece)
            }
            _ => segments.push(vec![piece]),
        }
    }
    let mut core: Vec<Piece> = Vec::new();
    let mut qualifiers = Vec::new();
    for segment in segments {
        let employer = segment[0].employer;
        let known = segment.iter().any(says_anything);
        let complete = core.iter().any(says_level) && core.iter().any(says_topic);
        let only_level = segment.iter().all(|p| {
            matches!(
                p.meaning,
                Meaning::Level(..) | Meaning::Modifier | Meaning::Noise
            )
        });
        let support = segment
            .iter()
            .any(|p| matches!(p.meaning, Meaning::Support));
        if employer || !known || (complete && !only_level && !support) {
            qualifiers.extend(segment);
        } else {
            core.extend(segment);
        }
    }
    if core.is_empty() {
        // Nothing known anywhere: judge the title on all its words.
        let (inner, outer): (Vec<Piece>, Vec<Piece>) = std::mem::take(&mut qualifiers)
            .into_iter()
            .partition(|p| !p.employer);
        core = inner;
        qualifiers = outer;
    }
    (core, qualifiers)
}

fn level_of(core: &[Piece]) -> (InputLevel, Option<f32>) {
    let lex = &*LEXICON;
    let mut base: Option<(f32, Option<f32>, &str)> = None;
    let mut unclear = None;
    let mut individual = false;
    let mut modifiers: Vec<&str> = Vec::new();
    for piece in core {
        match &piece.meaning {
            Meaning::Level(Some(value), plain, label)
                if base.is_none_or(|(v, _, _)| *value > v) =>
            {
                base = Some((*value, *plain, label));
            }
            Meaning::Level(None, _, label) => unclear = Some(*label),
            Meaning::IcNoun(_) | Meaning::IcPhrase | Meaning::Support => individual = true,
            Meaning::Modifier => modifiers.push(&piece.text),
            _ => {}
        }
    }
    // "Lead Engineer" is an individual contributor; "Engineering Lead" and
    // "Engineering Manager" are not.
    if let Some((named, plain, label)) = base
        && !(individual && named <= 3.5)
    {
        let mut value = named;
        let mut words: Vec<&str> = Vec::new();
        for modifier in &modifiers {
            if let Some(step) = lex.modifiers.get(*modifier) {
                // Whole steps up to senior manager and from C-level down
                // (a deputy CISO is a vice president); half steps between,
                // where ladders have senior directors and senior VPs.
                let size = if (lexicon::SENIOR_MANAGER..lexicon::C_LEVEL).contains(&value) {
                    0.5
                } else {
                    1.0
                };
                if *step > 0.0 && value >= lexicon::C_LEVEL {
                    continue;
                }
                value += step.signum() * size;
                words.push(modifier);
            }
        }
        words.push(label);
        let plain = plain.unwrap_or(named);
        return (
            InputLevel::Management(value, words.join(" ")),
            (plain != value).then_some(plain),
        );
    }
    if individual {
        let lead = base.is_some();
        let seniority = modifiers
            .iter()
            .filter_map(|m| lex.ic_seniority.get(*m).copied())
            .fold(if lead { 4.0 } else { 2.0 }, f32::max);
        let mut label: Vec<&str> = modifiers.clone();
        label.push("individual contributor");
        return (InputLevel::Individual(seniority, label.join(" ")), None);
    }
    match unclear {
        Some(label) => (InputLevel::Unclear(label.to_string()), None),
        None => (InputLevel::None, None),
    }
}

/// The place of a catalog level on the common seniority scale, read from
/// its name or id ("Vice President", "head", "Senior Engineer"), and its
/// track.
pub(crate) fn level_of_name(name: &str, topics: &dyn Topics) -> InputLevel {
    let mut notes = Vec::new();
    let words = expand_abbreviations(super::words::split(name), &mut notes);
    let analysis = Analysis::new(pieces(&words, topics));
    analysis.level
}

/// The distinct topics of some pieces, sorted (for binary search).
pub(crate) fn topic_syms(pieces: &[Piece]) -> Vec<Sym> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::words::split;

    struct NoTopics;
    impl Topics for NoTopics {
        fn sym(&self, word: &str) -> Option<Sym> {
            ["sre", "platform", "engineering", "it", "security"]
                .iter()
                .position(|w| *w == word)
                .map(|i| i as Sym)
        }
    }

    fn analyse(title: &str) -> Analysis {
        let mut notes = Vec::new();
        let words = expand_abbreviations(split(title), &mut notes);
        Analysis::new(pieces(&words, &NoTopics))
    }

    fn level(title: &str) -> InputLevel {
        analyse(title).level
    }

    #[test]
    fn levels_and_modifiers() {
        assert_eq!(
            level("Senior Director, Platform Engineering"),
            InputLevel::Management(6.5, "senior director".into())
        );
        assert_eq!(
            level("Sr. Engineering Mgr"),
            InputLevel::Management(5.0, "senior manager".into())
        );
        assert_eq!(
            level("SVP Engineering"),
            InputLevel::Management(8.3, "senior vice president".into())
        );
        assert_eq!(
            level("Deputy Chief Security Officer"),
            InputLevel::Management(8.0, "deputy C-level".into())
        );
        assert_eq!(
            level("Site Reliability Engineer"),
            InputLevel::Individual(2.0, "individual contributor".into())
        );
        assert_eq!(
            level("Staff Software Engineer"),
            InputLevel::Individual(4.0, "staff individual contributor".into())
        );
        assert_eq!(
            level("Senior Product Manager"),
            InputLevel::Individual(3.0, "senior individual contributor".into())
        );
        assert_eq!(
            level("Security Officer"),
            InputLevel::Unclear("officer".into())
        );
        assert_eq!(level("Platform Engineering"), InputLevel::None);
    }

    #[test]
    fn core_and_qualifiers() {
        let a = analyse("SRE Manager, Payments");
        assert_eq!(a.core.len(), 2);
        assert_eq!(a.qualifiers.len(), 1);
        let a = analyse("Director, Site Reliability");
        assert_eq!(a.core.len(), 2, "{a:?}");
        assert!(a.qualifiers.is_empty());
        let a = analyse("Site Reliability Engineering – Manager");
        assert!(a.qualifiers.is_empty());
        let a = analyse("Payments - SRE Manager");
        assert_eq!(a.qualifiers.len(), 1, "an unknown segment is a qualifier");
        let a = analyse("Head of IT at Acme Platform");
        assert_eq!(a.core.len(), 2, "{a:?}");
        assert_eq!(a.qualifiers.len(), 2, "{a:?}");
        let a = analyse("Acme Payments");
        assert_eq!(a.core.len(), 2, "all unknown: judged on every word");
    }

    fn core_texts(a: &Analysis) -> Vec<&str> {
        a.core.iter().map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn a_role_the_title_works_for_is_set_aside() {
        for (title, core, serves) in [
            (
                "Recruiter for the VP of Engineering",
                vec!["recruiter"],
                "VP Engineering",
            ),
            (
                "Executive Assistant to the Head of IT",
                vec!["executive assistant"],
                "Head IT",
            ),
            (
                "Executive Assistant, Head of IT",
                vec!["executive assistant"],
                "Head IT",
            ),
            (
                "Head of IT – Executive Assistant",
                vec!["executive assistant"],
                "Head IT",
            ),
            (
                "Chief of Staff, Office of the Head of IT",
                vec!["chief of staff"],
                "Head IT",
            ),
            ("Office of the Head of Security", vec![], "Head Security"),
            (
                "Analyst, IT Director Office",
                vec!["analyst"],
                "IT Director",
            ),
            (
                "Analyst (Chief Security Officer org)",
                vec!["analyst"],
                "Chief Security Officer",
            ),
            (
                "Engineer supporting the Director of SRE",
                vec!["engineer"],
                "Director SRE",
            ),
        ] {
            let a = analyse(title);
            assert_eq!(core_texts(&a), core, "{title}: {a:?}");
            assert_eq!(a.serves.as_deref(), Some(serves), "{title}");
            assert!(a.qualifiers.iter().all(|p| p.employer), "{title}: {a:?}");
        }
    }

    #[test]
    fn relation_words_before_a_field_mean_nothing() {
        let a = analyse("Vice President for IT");
        assert_eq!(core_texts(&a), vec!["vice president", "it"]);
        assert_eq!(a.serves, None);
        let a = analyse("Director, Office of Information Technology");
        assert_eq!(core_texts(&a), vec!["director", "it"]);
        assert_eq!(a.serves, None);
        let a = analyse("Head of IT at Acme");
        assert_eq!(a.serves, None, "an employer is not a role served");
        let a = analyse("Head of Security Office");
        assert_eq!(core_texts(&a), vec!["head", "security", "office"]);
        assert_eq!(a.serves, None);
        assert_eq!(analyse("Head of Office").serves, None);
    }

    #[test]
    fn assistant_before_a_level_is_a_rank() {
        assert_eq!(
            level("Assistant Head of IT"),
            InputLevel::Management(6.5, "assistant head".into())
        );
        assert_eq!(
            level("Assistant Director, IT"),
            InputLevel::Management(5.5, "assistant director".into())
        );
        let a = analyse("Assistant, Head of IT");
        assert_eq!(core_texts(&a), vec!["assistant"]);
        assert_eq!(a.serves.as_deref(), Some("Head IT"));
    }

    #[test]
    fn concepts_become_one_topic() {
        let a = analyse("Site Reliability Engineering Manager");
        let topics: Vec<&str> = a.core.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(topics, vec!["sre", "manager"]);
        let a = analyse("Reliability Engineering Manager");
        let topics: Vec<&str> = a.core.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(topics, vec!["sre", "manager"]);
    }
}
