//! How well each catalog name fits one reading of a title: weighted topic
//! overlap times a level factor (the formulas are in the [`super`] docs).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::analyse::{Analysis, InputLevel, Meaning, Piece, Sym, topic_syms};
use super::{
    BASE_LEVEL_BONUS, CORRECTED_FACTOR, FAMILY_WORD_FACTOR, FOREIGN_WEIGHT, LEVEL_STEP_PENALTY,
    NO_LEVEL_FACTOR, QUALIFIER_FACTOR, RoleInfo, TRACK_MISMATCH_FACTOR, TitleResolver,
    UNKNOWN_WEIGHT,
};

/// The best way a role matched a title.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scored<'a> {
    pub(super) score: f32,
    /// Index into `names`, or `usize::MAX` for an exact match on a name
    /// without topics (an acronym alias such as "CTO").
    pub(super) name: usize,
    pub(super) reading: usize,
    /// The title names a level and the role is at another.
    pub(super) other_level: bool,
    /// The catalog name the title equals, up to case and punctuation.
    pub(super) exact: Option<&'a str>,
}

impl TitleResolver {
    pub(super) fn score<'a>(
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
}
