//! The repeated-sentence rule: a sentence of a role that repeats, or
//! nearly repeats, one of a role before it (in catalog order). A finding is
//! reported at the later role, once per pair of roles.
//!
//! Two ways to the same findings, held equal by tests:
//! - the whole catalog indexes every sentence: exact repeats by their
//!   normalised words, near copies by an inverted index of word trigrams
//!   over the first occurrences;
//! - a scope (an editor's few roles) indexes only the scope's sentences,
//!   then passes over the roles up to the last of them once, comparing
//!   each sentence with that small index. What it reads of a role (word
//!   hashes and trigrams) is kept in a [`Memo`] while the role is the
//!   same, so a save in a catalog of thousands of roles reads only the
//!   roles that changed.
//!
//! Near copies keep, of equally similar earlier sentences, the first: a
//! later exact copy of a sentence is never a better match than the
//! sentence itself, which is what lets the scoped pass compare with every
//! earlier sentence instead of the first occurrences alone.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::sync::Arc;

use foldhash::fast::FixedState;

use super::{Scope, locate};
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Role;
use crate::source::Sources;

/// Sentences shorter than this are too generic to flag ("Owns the budget.").
const MIN_WORDS: usize = 7;
/// Jaccard similarity of word trigrams above which two sentences are near copies.
const NEAR_COPY: f64 = 0.7;

pub(super) fn repeated_sentences(
    catalog: &Catalog,
    sources: &Sources,
    scope: &Scope,
    memo: &mut Memo,
    out: &mut Vec<Diagnostic>,
) {
    match scope {
        Scope::All => whole(catalog, sources, out),
        Scope::Files(_) => scoped(catalog, sources, scope, memo, out),
    }
}

/// Text fields whose sentences must be unique to their role.
fn role_texts(role: &Role) -> Vec<&str> {
    let mut texts: Vec<&str> = vec![
        role.summary.as_str(),
        role.purpose.as_str(),
        role.scope.context.as_str(),
    ];
    texts.extend(role.responsibility_items().map(|(_, item)| item));
    for list in [
        &role.decisions.decides,
        &role.decisions.recommends,
        &role.decisions.consulted,
        &role.success.days_90,
        &role.success.months_12,
        &role.hiring_signals,
        &role.failure_modes,
    ] {
        texts.extend(list.iter().map(String::as_str));
    }
    texts.extend(role.kpis.iter().map(|k| k.why.as_str()));
    texts
}

/// A role's sentences, in the order both passes read them.
fn role_sentences(role: &Role) -> impl Iterator<Item = &str> {
    role_texts(role).into_iter().flat_map(|text| {
        text.split_inclusive(['.', '!', '?', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
    })
}

/// One sentence's words, lower-cased and joined by single spaces, and the
/// hash of each word, in buffers reused from sentence to sentence: every
/// sentence of thousands of roles passes through them.
#[derive(Default)]
struct Words {
    text: String,
    hashes: Vec<u64>,
}

impl Words {
    /// Reads `sentence`, returning how many words it has.
    fn read(&mut self, sentence: &str) -> usize {
        self.text.clear();
        self.hashes.clear();
        let state = hasher();
        let mut rest = sentence;
        while !rest.is_empty() {
            let start = rest.find(is_word_char).unwrap_or(rest.len());
            rest = &rest[start..];
            let end = rest.find(|c| !is_word_char(c)).unwrap_or(rest.len());
            if end == 0 {
                break;
            }
            let (word, after) = rest.split_at(end);
            rest = after;
            if !self.hashes.is_empty() {
                self.text.push(' ');
            }
            let at = self.text.len();
            if word.is_ascii() {
                // Most catalog text is ASCII: lower-case it in place,
                // without the Unicode tables.
                self.text.push_str(word);
                self.text[at..].make_ascii_lowercase();
            } else {
                self.text.extend(word.chars().flat_map(char::to_lowercase));
            }
            self.hashes.push(state.hash_one(&self.text[at..]));
        }
        self.hashes.len()
    }

    fn as_str(&self) -> &str {
        &self.text
    }

    /// The distinct word trigrams, hashed and sorted, into `out`.
    fn trigrams(&self, out: &mut Vec<u64>) {
        out.clear();
        out.extend(self.hashes.windows(3).map(|w| {
            // Order matters: "owns the budget" is not "the budget owns".
            (w[0].rotate_left(43) ^ w[1].rotate_left(21) ^ w[2]).wrapping_mul(0x9e37_79b9_7f4a_7c15)
        }));
        out.sort_unstable();
        out.dedup();
    }
}

/// A word is letters and digits; anything else separates words.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric()
    }
}

fn hasher() -> FixedState {
    FixedState::with_seed(0x5eed)
}

/// A set of hashes that answers "certainly not in it" with one bit: the
/// scoped pass asks it about every trigram of the catalog, and nearly all
/// are in no sentence of the scope.
struct Filter {
    bits: Vec<u64>,
}

impl Filter {
    const BITS: usize = 1 << 16;

    fn new() -> Self {
        Filter {
            bits: vec![0; Self::BITS / 64],
        }
    }

    fn slot(hash: u64) -> (usize, u64) {
        let bit = (hash >> 48) as usize;
        (bit / 64, 1 << (bit % 64))
    }

    fn insert(&mut self, hash: u64) {
        let (word, mask) = Self::slot(hash);
        self.bits[word] |= mask;
    }

    fn may_contain(&self, hash: u64) -> bool {
        let (word, mask) = Self::slot(hash);
        self.bits[word] & mask != 0
    }
}

/// How alike two sentences are: the Jaccard similarity of their trigrams,
/// given how many they share.
fn similarity(common: usize, a: usize, b: usize) -> f64 {
    common as f64 / (a + b - common).max(1) as f64
}

/// A sentence kept by the whole-catalog pass.
struct Sentence<'a> {
    role: usize,
    text: &'a str,
    trigrams: Vec<u64>,
}

fn whole(catalog: &Catalog, sources: &Sources, out: &mut Vec<Diagnostic>) {
    let roles = catalog.written_roles();
    // Exact repeats are found by hashing the normalised words; only the
    // first occurrence of each sentence goes on to the near-copy
    // comparison, which keeps a catalog of many similar roles from going
    // quadratic.
    let mut words = Words::default();
    let mut first_seen: foldhash::HashMap<String, usize> = foldhash::HashMap::default();
    let mut unique: Vec<Sentence> = Vec::new();
    // (role, role it repeats) → (first repeated sentence, its original, count).
    let mut exact: HashMap<(usize, usize), (&str, usize, usize)> = HashMap::new();
    for (index, role) in roles.iter().enumerate() {
        for sentence in role_sentences(role) {
            if words.read(sentence) < MIN_WORDS {
                continue;
            }
            match first_seen.get(words.as_str()) {
                Some(&first) if unique[first].role != index => {
                    exact
                        .entry((index, unique[first].role))
                        .or_insert((sentence, first, 0))
                        .2 += 1;
                }
                Some(_) => {}
                None => {
                    let mut found = Vec::new();
                    words.trigrams(&mut found);
                    first_seen.insert(words.as_str().to_owned(), unique.len());
                    unique.push(Sentence {
                        role: index,
                        text: sentence,
                        trigrams: found,
                    });
                }
            }
        }
    }
    let mut exact: Vec<_> = exact.into_iter().collect();
    exact.sort_unstable_by_key(|(pair, _)| *pair);
    for ((role, _), (text, first, count)) in exact {
        let first = &unique[first];
        let repeat = Repeat {
            role,
            text,
            of_role: first.role,
            of_text: first.text,
            similarity: 1.0,
            more: count - 1,
        };
        repeat.report(catalog, sources, out);
    }
    // Inverted index from trigram to sentences, so only sentences sharing
    // a trigram are compared.
    let mut index: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, sentence) in unique.iter().enumerate() {
        for trigram in &sentence.trigrams {
            index.entry(*trigram).or_default().push(i);
        }
    }
    let mut reported: HashSet<(usize, usize)> = HashSet::new();
    for (i, sentence) in unique.iter().enumerate() {
        let mut shared: HashMap<usize, usize> = HashMap::new();
        for trigram in &sentence.trigrams {
            for &j in &index[trigram] {
                if j < i && unique[j].role != sentence.role {
                    *shared.entry(j).or_default() += 1;
                }
            }
        }
        // The most similar earlier sentence; of equals, the first.
        let best = shared
            .into_iter()
            .map(|(j, common)| {
                let alike = similarity(common, sentence.trigrams.len(), unique[j].trigrams.len());
                (j, alike)
            })
            .filter(|(_, alike)| *alike >= NEAR_COPY)
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        let Some((j, alike)) = best else {
            continue;
        };
        if reported.insert((sentence.role, unique[j].role)) {
            let repeat = Repeat {
                role: sentence.role,
                text: sentence.text,
                of_role: unique[j].role,
                of_text: unique[j].text,
                similarity: alike,
                more: 0,
            };
            repeat.report(catalog, sources, out);
        }
    }
}

/// What the scoped pass reads of each role, kept from one lint to the
/// next: a role whose parse a [`crate::Validator`] reused (the same `Arc`)
/// is not read again. An editor's save in a catalog of thousands of roles
/// then reads only the roles that changed.
#[derive(Debug, Default)]
pub struct Memo {
    /// Role id → the role read (held, so its address is not reused) and
    /// its sentences.
    roles: foldhash::HashMap<String, (Arc<Role>, Arc<[Digest]>)>,
}

/// One sentence of a role, long enough to compare.
#[derive(Debug)]
struct Digest {
    /// Its place among the role's sentences ([`role_sentences`]).
    order: usize,
    /// The hash of its normalised words.
    words: u64,
    /// Its distinct word trigrams, hashed and sorted.
    trigrams: Box<[u64]>,
}

impl Memo {
    pub fn new() -> Self {
        Memo::default()
    }

    /// The sentences of `role`, read now or earlier.
    fn digest(&mut self, role: &Arc<Role>, words: &mut Words) -> Arc<[Digest]> {
        if let Some((kept, digest)) = self.roles.get(role.id.as_str())
            && Arc::ptr_eq(kept, role)
        {
            return digest.clone();
        }
        let state = hasher();
        let mut found = Vec::new();
        let mut digest = Vec::new();
        for (order, text) in role_sentences(role).enumerate() {
            if words.read(text) < MIN_WORDS {
                continue;
            }
            words.trigrams(&mut found);
            digest.push(Digest {
                order,
                words: state.hash_one(words.as_str()),
                trigrams: found.as_slice().into(),
            });
        }
        let digest: Arc<[Digest]> = digest.into();
        self.roles
            .insert(role.id.to_string(), (role.clone(), digest.clone()));
        digest
    }
}

/// Where a sentence is: its role's index and its order there.
type Place = (usize, usize);

/// A sentence of a role in scope, as the scoped pass learns about it.
struct Probe<'a> {
    role: usize,
    order: usize,
    words: String,
    digest: &'a Digest,
    /// Where its words first occur in the catalog.
    first: Option<Place>,
    /// The most similar sentence of an earlier role: (similarity, place).
    nearest: Option<(f64, Place)>,
}

fn scoped(
    catalog: &Catalog,
    sources: &Sources,
    scope: &Scope,
    memo: &mut Memo,
    out: &mut Vec<Diagnostic>,
) {
    let roles = catalog.written_roles();
    let in_scope: Vec<usize> = (0..roles.len())
        .filter(|&i| {
            catalog
                .role_file(&roles[i].id)
                .is_some_and(|f| scope.covers(f))
        })
        .collect();
    let Some(&last) = in_scope.last() else {
        return;
    };
    let mut words = Words::default();
    let sentence = |(role, order): Place| {
        role_sentences(&roles[role])
            .nth(order)
            .expect("a digest's sentence is in its role")
    };
    let digests: Vec<Arc<[Digest]>> = roles[..=last]
        .iter()
        .map(|role| memo.digest(role, &mut words))
        .collect();
    let mut probes: Vec<Probe> = Vec::new();
    for &role in &in_scope {
        let texts: Vec<&str> = role_sentences(&roles[role]).collect();
        for digest in digests[role].iter() {
            words.read(texts[digest.order]);
            probes.push(Probe {
                role,
                order: digest.order,
                words: words.as_str().to_owned(),
                digest,
                first: None,
                nearest: None,
            });
        }
    }
    let mut by_words: foldhash::HashMap<u64, Vec<usize>> = foldhash::HashMap::default();
    let mut by_trigram: foldhash::HashMap<u64, Vec<usize>> = foldhash::HashMap::default();
    let mut filter = Filter::new();
    for (p, probe) in probes.iter().enumerate() {
        by_words.entry(probe.digest.words).or_default().push(p);
        for trigram in &probe.digest.trigrams {
            by_trigram.entry(*trigram).or_default().push(p);
            filter.insert(*trigram);
        }
    }

    // Every sentence up to the last role in scope passes once.
    let mut shared: Vec<usize> = vec![0; probes.len()];
    let mut touched: Vec<usize> = Vec::new();
    for (index, digest) in digests.iter().enumerate() {
        for passing in digest.iter() {
            let here = (index, passing.order);
            if let Some(same) = by_words.get(&passing.words) {
                // Hashes can collide: the words are compared, read again.
                let mut text = None;
                for &p in same {
                    if probes[p].first.is_some() {
                        continue;
                    }
                    let words = text.get_or_insert_with(|| {
                        let mut read = Words::default();
                        read.read(sentence(here));
                        read.text
                    });
                    if probes[p].words == *words {
                        // The pass is in catalog order: the first match is
                        // the first occurrence, at the latest the probe.
                        probes[p].first = Some(here);
                    }
                }
            }
            if !passing.trigrams.iter().any(|t| filter.may_contain(*t)) {
                continue;
            }
            for trigram in passing.trigrams.iter() {
                for &p in by_trigram.get(trigram).into_iter().flatten() {
                    if shared[p] == 0 {
                        touched.push(p);
                    }
                    shared[p] += 1;
                }
            }
            for p in touched.drain(..) {
                let common = std::mem::take(&mut shared[p]);
                let probe = &mut probes[p];
                // Only a role before the probe's counts.
                if index >= probe.role {
                    continue;
                }
                let alike = similarity(common, probe.digest.trigrams.len(), passing.trigrams.len());
                if alike >= NEAR_COPY && probe.nearest.is_none_or(|(best, _)| alike > best) {
                    probe.nearest = Some((alike, here));
                }
            }
        }
    }
    memo.roles.retain(|id, _| catalog.role(id).is_some());

    // Reported as the whole pass reports them: exact repeats by pair of
    // roles, then near copies in catalog order.
    // (role, role it repeats) → (order of its first repeat there, the
    // original's place, count).
    let mut exact: HashMap<(usize, usize), (usize, Place, usize)> = HashMap::new();
    for probe in &probes {
        if let Some(first) = probe.first.filter(|(role, _)| *role != probe.role) {
            exact
                .entry((probe.role, first.0))
                .or_insert((probe.order, first, 0))
                .2 += 1;
        }
    }
    let mut exact: Vec<_> = exact.into_iter().collect();
    exact.sort_unstable_by_key(|(pair, _)| *pair);
    for ((role, of_role), (order, first, count)) in exact {
        let repeat = Repeat {
            role,
            text: sentence((role, order)),
            of_role,
            of_text: sentence(first),
            similarity: 1.0,
            more: count - 1,
        };
        repeat.report(catalog, sources, out);
    }
    let mut reported: HashSet<(usize, usize)> = HashSet::new();
    for probe in &probes {
        // A sentence that repeats an earlier one is not compared again.
        let is_first = probe.first == Some((probe.role, probe.order));
        let Some((alike, nearest)) = probe.nearest.filter(|_| is_first) else {
            continue;
        };
        if reported.insert((probe.role, nearest.0)) {
            let repeat = Repeat {
                role: probe.role,
                text: sentence((probe.role, probe.order)),
                of_role: nearest.0,
                of_text: sentence(nearest),
                similarity: alike,
                more: 0,
            };
            repeat.report(catalog, sources, out);
        }
    }
}

/// A finding: `text` of role `role` repeats `of_text` of role `of_role`
/// (indices into the catalog's roles), with `more` further exact repeats
/// between the two.
struct Repeat<'a> {
    role: usize,
    text: &'a str,
    of_role: usize,
    of_text: &'a str,
    similarity: f64,
    more: usize,
}

impl Repeat<'_> {
    fn report(&self, catalog: &Catalog, sources: &Sources, out: &mut Vec<Diagnostic>) {
        let roles = catalog.roles();
        let (role, first_role) = (&roles[self.role], &roles[self.of_role]);
        let (Some(file), Some(first_file)) = (
            catalog.role_file(&role.id),
            catalog.role_file(&first_role.id),
        ) else {
            return;
        };
        let kind = if self.similarity >= 1.0 {
            "repeats"
        } else {
            "nearly repeats"
        };
        out.push(
            Diagnostic::warning(
                "repeated-sentence",
                format!(
                    "this sentence {kind} one in `{}` ({:.0}% similar){}",
                    first_role.id.as_str(),
                    self.similarity * 100.0,
                    match self.more {
                        0 => String::new(),
                        1 => "; 1 more sentence of this role repeats that role".to_string(),
                        n => format!("; {n} more sentences of this role repeat that role"),
                    }
                ),
            )
            .at(file, locate(&sources.file(file).text, self.text))
            .related(
                first_file,
                locate(&sources.file(first_file).text, self.of_text),
                "similar sentence here",
            )
            .hint("say what is specific to this role: its scope, horizon, decisions or numbers"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_cased_and_joined_by_one_space() {
        let mut words = Words::default();
        assert_eq!(words.read("Owns the  SLO-budget, Ärger too."), 6);
        assert_eq!(words.as_str(), "owns the slo budget ärger too");
        assert_eq!(words.read(""), 0);
        assert_eq!(words.as_str(), "");
    }

    #[test]
    fn trigrams_are_distinct_ordered_and_need_three_words() {
        let mut words = Words::default();
        let mut found = vec![7];
        words.read("a b");
        words.trigrams(&mut found);
        assert!(found.is_empty());
        words.read("a b c a b c");
        words.trigrams(&mut found);
        // abc, bca, cab, abc again
        assert_eq!(found.len(), 3);
        words.read("c b a");
        let mut reversed = Vec::new();
        words.trigrams(&mut reversed);
        assert!(!found.contains(&reversed[0]));
    }
}
