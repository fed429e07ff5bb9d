//! The skill gap of a move between two roles, and the [`Career`] context
//! every analysis starts from.
//!
//! The gap of a move A → B is
//!
//! ```text
//! gap(A→B) = Σ over B's required skills s of w(s) × max(0, required_B(s) − level_A(s))
//! ```
//!
//! where `level_A(s)` is the level A requires of `s` (0 when A does not
//! require it) and `w(s)` is 2 for B's core skills and 1 for its supporting
//! ones. Skills A requires and B does not cost nothing: the gap measures what
//! has to be learned, not what is left behind.

use rolebook_core::Catalog;
use rolebook_core::model::{Importance, Role};
use serde::Serialize;

use crate::index::{Index, Req};

/// Weight of a core skill in gaps and readiness.
pub const CORE_WEIGHT: u32 = 2;
/// Weight of a supporting skill in gaps and readiness.
pub const SUPPORTING_WEIGHT: u32 = 1;

/// The gap formula, as stated in every report that shows a gap.
pub const GAP_FORMULA: &str = "gap(A→B) = Σ over B's required skills s of w(s) × max(0, required_B(s) − level_A(s)), where level_A(s) is 0 when A does not require s and w(s) is 2 for core skills, 1 for supporting";

pub fn weight(importance: Importance) -> u32 {
    match importance {
        Importance::Core => CORE_WEIGHT,
        Importance::Supporting => SUPPORTING_WEIGHT,
    }
}

/// A role as reports show it: id, title, and where it sits in the framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleInfo {
    pub id: String,
    pub title: String,
    pub family: String,
    pub family_name: String,
    pub level: String,
    pub level_name: String,
    pub rank: u8,
    pub track: &'static str,
    pub sfia_level: u8,
}

/// One required skill compared with the level someone (a role or a person)
/// has: what is missing and what it weighs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkillLine {
    pub skill: String,
    pub name: String,
    pub importance: Importance,
    pub weight: u32,
    /// The level held: required by the source role, or self-assessed.
    pub current: u8,
    pub current_name: String,
    pub required: u8,
    pub required_name: String,
    /// `max(0, required − current)`.
    pub shortfall: u8,
    /// `weight × shortfall`: this skill's share of the gap.
    pub weighted_shortfall: u32,
    /// A second rating of a person's level, by their manager, when the
    /// profile has one: shown beside the person's own, never counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manager: Option<u8>,
}

/// The gap of a move: its total and the skills that make it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub total: u32,
    pub formula: &'static str,
    /// Skills with a shortfall, biggest weighted shortfall first.
    pub skills: Vec<SkillLine>,
}

/// A catalog prepared for career analysis. Build it once; every report is
/// computed from it.
#[derive(Debug)]
pub struct Career<'c> {
    catalog: &'c Catalog,
    pub(crate) index: Index,
}

impl<'c> Career<'c> {
    pub fn new(catalog: &'c Catalog) -> Self {
        Career {
            catalog,
            index: Index::new(catalog),
        }
    }

    pub fn catalog(&self) -> &'c Catalog {
        self.catalog
    }

    pub fn role_info(&self, role: &Role) -> RoleInfo {
        let level = self.catalog.level(&role.level);
        RoleInfo {
            id: role.id.to_string(),
            title: role.title.to_string(),
            family: role.family.to_string(),
            family_name: self
                .catalog
                .family(&role.family)
                .map_or_else(|| role.family.to_string(), |f| f.name.clone()),
            level: role.level.to_string(),
            level_name: level.map_or_else(|| role.level.to_string(), |l| l.name.clone()),
            rank: level.map_or(0, |l| l.rank),
            track: level.map_or("", |l| l.track.label()),
            sfia_level: level.map_or(0, |l| *l.sfia_level),
        }
    }

    /// The name of a proficiency level; "none" for 0.
    pub fn level_name(&self, level: u8) -> String {
        if level == 0 {
            return "none".to_string();
        }
        self.catalog
            .proficiency_level(level)
            .map_or_else(|| format!("level {level}"), |p| p.name.clone())
    }

    pub(crate) fn role_index(&self, role: &Role) -> Option<usize> {
        self.index.role(&role.id)
    }

    /// Every required skill of `target` against `have` (levels by skill
    /// index), in the target's file order.
    pub(crate) fn skill_lines(&self, have: &[u8], target: &Role) -> Vec<SkillLine> {
        target
            .skills
            .iter()
            .map(|req| {
                let current = self.index.skill(&req.skill).map_or(0, |i| have[i]);
                let required = *req.level;
                let shortfall = required.saturating_sub(current);
                let w = weight(req.importance);
                SkillLine {
                    skill: req.skill.to_string(),
                    name: self
                        .catalog
                        .skill(&req.skill)
                        .map_or_else(|| req.skill.to_string(), |s| s.name.clone()),
                    importance: req.importance,
                    weight: w,
                    current,
                    current_name: self.level_name(current),
                    required,
                    required_name: self.level_name(required),
                    shortfall,
                    weighted_shortfall: w * u32::from(shortfall),
                    manager: None,
                }
            })
            .collect()
    }

    /// How many of role `target`'s skills `have` meets, and its `n` biggest
    /// shortfalls. Only those `n` lines are built, which keeps ranking
    /// thousands of roles cheap.
    pub(crate) fn biggest_shortfalls(
        &self,
        have: &[u8],
        target: usize,
        n: usize,
    ) -> (usize, Vec<SkillLine>) {
        let skills = self.catalog.skills();
        let mut short: Vec<(u32, u8, &str, &Req)> = Vec::new();
        let mut met = 0;
        for req in self.index.reqs(target) {
            let shortfall = req.level.saturating_sub(have[req.skill]);
            if shortfall == 0 {
                met += 1;
            } else {
                short.push((
                    req.weight * u32::from(shortfall),
                    shortfall,
                    skills[req.skill].name.as_str(),
                    req,
                ));
            }
        }
        // The order of `sort_biggest_first`.
        short.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then_with(|| a.2.cmp(b.2)));
        let lines = short
            .into_iter()
            .take(n)
            .map(|(weighted, shortfall, name, req)| {
                let current = have[req.skill];
                SkillLine {
                    skill: skills[req.skill].id.to_string(),
                    name: name.to_string(),
                    importance: req.importance,
                    weight: req.weight,
                    current,
                    current_name: self.level_name(current),
                    required: req.level,
                    required_name: self.level_name(req.level),
                    shortfall,
                    weighted_shortfall: weighted,
                    manager: None,
                }
            })
            .collect();
        (met, lines)
    }

    /// The gap of reaching `target` from `have`, with its skills.
    pub(crate) fn gap_from_levels(&self, have: &[u8], target: &Role) -> Gap {
        let mut skills: Vec<SkillLine> = self
            .skill_lines(have, target)
            .into_iter()
            .filter(|line| line.shortfall > 0)
            .collect();
        sort_biggest_first(&mut skills);
        Gap {
            total: skills.iter().map(|s| s.weighted_shortfall).sum(),
            formula: GAP_FORMULA,
            skills,
        }
    }

    /// The skill gap of moving from `from` to `to` (see the module docs).
    pub fn move_gap(&self, from: &Role, to: &Role) -> Gap {
        match self.role_index(from) {
            Some(i) => self.gap_from_levels(self.index.role_levels(i), to),
            None => self.gap_from_levels(&vec![0; self.index.skill_count()], to),
        }
    }

    /// Just the total of [`Career::move_gap`], by role index.
    pub(crate) fn gap_total(&self, from: usize, to: usize) -> u32 {
        self.index.gap_total(self.index.role_levels(from), to)
    }
}

/// Biggest weighted shortfall first, then the larger raw shortfall, then
/// by name so output is stable.
pub(crate) fn sort_biggest_first(lines: &mut [SkillLine]) {
    lines.sort_by(|a, b| {
        b.weighted_shortfall
            .cmp(&a.weighted_shortfall)
            .then(b.shortfall.cmp(&a.shortfall))
            .then_with(|| a.name.cmp(&b.name))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::catalog;

    #[test]
    fn gap_counts_only_the_targets_skills_weighted_by_importance() {
        // junior: a=2 (core), b=3 (supporting)
        // senior: a=4 (core), c=2 (supporting), b=1 (supporting)
        // gap(junior→senior) = 2×(4−2) + 1×(2−0) + 1×max(0, 1−3) = 6
        let catalog = catalog(&[
            (
                "junior",
                "fam",
                "manager",
                &[("a", 2, true), ("b", 3, false)],
            ),
            (
                "senior",
                "fam",
                "director",
                &[("a", 4, true), ("c", 2, false), ("b", 1, false)],
            ),
        ]);
        let career = Career::new(&catalog);
        let junior = catalog.role("junior").expect("junior");
        let senior = catalog.role("senior").expect("senior");
        let gap = career.move_gap(junior, senior);
        assert_eq!(gap.total, 6);
        let parts: Vec<(&str, u8, u32)> = gap
            .skills
            .iter()
            .map(|s| (s.skill.as_str(), s.shortfall, s.weighted_shortfall))
            .collect();
        assert_eq!(parts, [("a", 2, 4), ("c", 2, 2)]);
        assert_eq!(gap.skills[1].current_name, "none");
        assert_eq!(gap.skills[0].required_name, "Advanced");
        // Going down costs only what the junior role needs that the senior
        // one does not: b at 3 against the senior's 1 → 1×2.
        assert_eq!(career.move_gap(senior, junior).total, 2);
        assert_eq!(career.move_gap(senior, senior).total, 0);
        assert_eq!(career.gap_total(0, 1), 6);
    }
}
