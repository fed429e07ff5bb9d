//! Dense, index-based views of a catalog's skill requirements, so that gap
//! and readiness sums over thousands of roles are array walks rather than
//! string look-ups.

use std::collections::HashMap;

use rolebook_core::Catalog;
use rolebook_core::model::Importance;

use crate::gap::weight;

/// One required skill of a role, by skill index.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Req {
    pub skill: usize,
    pub level: u8,
    pub weight: u32,
    pub importance: Importance,
}

#[derive(Debug)]
pub(crate) struct Index {
    skill_count: usize,
    skill_pos: HashMap<String, usize>,
    role_pos: HashMap<String, usize>,
    /// Per role (in catalog order), its requirements in file order.
    reqs: Vec<Vec<Req>>,
    /// Role-major matrix of required levels (0 = not required).
    levels: Vec<u8>,
    /// Per skill, its lightest weight in any role that requires it.
    lightest: Vec<u32>,
}

impl Index {
    pub fn new(catalog: &Catalog) -> Self {
        let skill_count = catalog.skills().len();
        let skill_pos: HashMap<String, usize> = catalog
            .skills()
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.to_string(), i))
            .collect();
        let role_pos = catalog
            .roles()
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.to_string(), i))
            .collect();
        let mut levels = vec![0u8; skill_count * catalog.roles().len()];
        let mut reqs = Vec::with_capacity(catalog.roles().len());
        for (r, role) in catalog.roles().iter().enumerate() {
            let mut role_reqs = Vec::with_capacity(role.skills.len());
            for req in &role.skills {
                // A valid catalog only references known skills; skip rather
                // than panic should that ever not hold.
                let Some(&skill) = skill_pos.get(req.skill.as_str()) else {
                    continue;
                };
                levels[r * skill_count + skill] = *req.level;
                role_reqs.push(Req {
                    skill,
                    level: *req.level,
                    weight: weight(req.importance),
                    importance: req.importance,
                });
            }
            reqs.push(role_reqs);
        }
        let mut lightest = vec![u32::MAX; skill_count];
        for req in reqs.iter().flatten() {
            lightest[req.skill] = lightest[req.skill].min(req.weight);
        }
        Index {
            skill_count,
            skill_pos,
            role_pos,
            reqs,
            levels,
            lightest,
        }
    }

    pub fn skill_count(&self) -> usize {
        self.skill_count
    }

    pub fn skill(&self, id: &str) -> Option<usize> {
        self.skill_pos.get(id).copied()
    }

    pub fn role(&self, id: &str) -> Option<usize> {
        self.role_pos.get(id).copied()
    }

    pub fn reqs(&self, role: usize) -> &[Req] {
        &self.reqs[role]
    }

    /// The levels a role requires, indexed by skill (0 = not required).
    pub fn role_levels(&self, role: usize) -> &[u8] {
        &self.levels[role * self.skill_count..(role + 1) * self.skill_count]
    }

    /// Weighted gap from `have` (levels by skill index) to `target`.
    pub fn gap_total(&self, have: &[u8], target: usize) -> u32 {
        self.reqs[target]
            .iter()
            .map(|r| r.weight * u32::from(r.level.saturating_sub(have[r.skill])))
            .sum()
    }

    /// The least any path can cost from `have` to `target`: each level
    /// `target` requires beyond `have` is charged by whichever role on the
    /// path first requires it, at that role's weight, which is at least the
    /// skill's lightest weight in any role.
    pub fn least_cost(&self, have: &[u8], target: usize) -> u32 {
        self.reqs[target]
            .iter()
            .map(|r| self.lightest[r.skill] * u32::from(r.level.saturating_sub(have[r.skill])))
            .sum()
    }

    /// [`Index::least_cost`] from `have` once `role` is taken, without
    /// building the levels held then.
    pub fn least_cost_after(&self, have: &[u8], role: usize, target: usize) -> u32 {
        let taken = self.role_levels(role);
        self.reqs[target]
            .iter()
            .map(|r| {
                let held = have[r.skill].max(taken[r.skill]);
                self.lightest[r.skill] * u32::from(r.level.saturating_sub(held))
            })
            .sum()
    }

    /// (weighted levels met, weighted levels required) for readiness.
    pub fn readiness_parts(&self, have: &[u8], target: usize) -> (u32, u32) {
        self.reqs[target].iter().fold((0, 0), |(met, required), r| {
            (
                met + r.weight * u32::from(r.level.min(have[r.skill])),
                required + r.weight * u32::from(r.level),
            )
        })
    }
}
