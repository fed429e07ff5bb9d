//! What a resolver learns from its catalog: every word the catalog's
//! titles, aliases, ids and family names use, each name as a set of topic
//! words, how rare each word is across roles, and the acronyms.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::cell::RefCell;

use rolebook_core::Catalog;
use rolebook_core::model::Track;

use super::analyse::{self, Analysis, InputLevel, LEXICON, Sym, Topics, topic_syms};
use super::typo::TypoIndex;
use super::words::{self, Word, literal_key, looks_like_acronym, split};
use super::{AcronymReading, FAMILY_WORD_FACTOR, NEXT_ID, NameInfo, RoleInfo, TitleResolver};

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

/// Looks words up in a built vocabulary; unknown words have no topic.
pub(super) struct Vocabulary<'a>(pub(super) &'a HashMap<String, Sym>);

impl Topics for Vocabulary<'_> {
    fn sym(&self, word: &str) -> Option<Sym> {
        self.0.get(word).copied()
    }
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
}
