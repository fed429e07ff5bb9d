//! From ranked matches to a [`Resolution`]: the status, ties and joined
//! roles, confidence, notes, and the explanation of what was read.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::analyse::{Analysis, InputLevel, Meaning, Piece, Sym, topic_syms};
use super::scoring::Scored;
use super::{
    AMBIGUITY_MARGIN, Candidate, Explanation, MAX_CANDIDATES, MatchStatus, NameInfo, Resolution,
    TitleResolver, calibration,
};

impl TitleResolver {
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

    pub(super) fn assemble(
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
        let serves = analysis.and_then(|a| a.serves.as_deref());
        if let Some(serves) = serves {
            notes.push(format!("works for {serves}, not as {serves}"));
        }
        let Some(((best_role, best), _)) = ranked.first().zip(analysis) else {
            // No reading had any known topic outside what the title works
            // for.
            if serves.is_none() {
                notes.push("no word of the title names anything this catalog covers".to_string());
            }
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

/// Rounds to the nearest `1 / scale`, so the numbers shown are stable.
fn round(value: f32, scale: f32) -> f32 {
    (value * scale).round() / scale
}
