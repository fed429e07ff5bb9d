//! The k paths between two roles with the smallest total skill gap, for a
//! role or for a person.
//!
//! A path's gap is cumulative: a person keeps what they learn. Before each
//! move they hold, per skill, the highest of where they started (the levels
//! the starting role requires, or a person's own ratings) and the levels
//! every earlier role on the path required; a move costs only what its role
//! requires beyond that (the gap formula of [`crate::gap`], from the levels
//! held). So a path never costs more than the sum of its moves' own gaps,
//! and a path of one move costs exactly that move's gap.
//!
//! Because a move's cost depends on the path before it, the search is a
//! best-first search over partial paths (A*) rather than Dijkstra over
//! moves. Its estimate of what is left never overestimates: each level the
//! target still needs is charged by the first role on the way that requires
//! it, at that role's weight, so at least at the skill's lightest weight in
//! any role. A partial
//! path is dropped when k others ending at the same role are at least as
//! good for every continuation: they cost no more, hold every skill at no
//! lower a level and visited no role it did not. Results are exact; ties on
//! gap go to the path with fewer moves, then to the one whose roles come
//! first in the catalog, so they are stable.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

use serde::Serialize;

use crate::gap::{GAP_FORMULA, RoleInfo};
use crate::graph::{CareerGraph, Move};
use crate::profile::Profile;

pub const PATH_FORMULA: &str = "total gap of a path = Σ over its moves of the gap from the levels held so far: before each move a person holds, for each skill, the highest of their starting level and the levels every earlier role on the path required";

#[derive(Debug, Clone, Serialize)]
pub struct PathReport {
    pub from: RoleInfo,
    pub to: RoleInfo,
    /// Set when the paths start from a person's ratings rather than from
    /// the levels `from` requires: the profile's name, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<Person>,
    /// How many paths were asked for; `paths` may hold fewer.
    pub k: usize,
    pub gap_formula: &'static str,
    pub path_formula: &'static str,
    /// Smallest total gap first.
    pub paths: Vec<CareerPath>,
}

/// Who a path starts from, when it is a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub name: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CareerPath {
    /// Σ of the steps' gaps, each from the levels held by then.
    pub total_gap: u32,
    /// Proficiency levels to gain along the path, unweighted: the sum of
    /// the steps' shortfalls.
    pub levels_to_gain: u32,
    /// How many different skills those levels are in.
    pub skills_to_grow: usize,
    /// Each move's `gap` is what it requires beyond the levels held by
    /// then, not the gap between its two roles.
    pub steps: Vec<Move>,
}

impl CareerPath {
    /// "7 levels to gain across 4 skills", or "nothing to gain".
    pub fn summary(&self) -> String {
        if self.levels_to_gain == 0 {
            return "nothing to gain".to_string();
        }
        format!(
            "{} to gain across {}",
            count(self.levels_to_gain as usize, "level", "levels"),
            count(self.skills_to_grow, "skill", "skills")
        )
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Why a path between `from` and `to` is not worth asking for, said the
/// same way by the CLI (`rolebook path`) and the API (400): a role to
/// itself is a mistake in the request, not a path of no moves.
pub fn same_ends(
    from: &rolebook_core::model::Role,
    to: &rolebook_core::model::Role,
) -> Option<String> {
    (from.id == to.id).then(|| {
        format!(
            "both ends are {} ({}); give two different roles",
            from.title.as_str(),
            from.id.as_str()
        )
    })
}

/// A complete path as edge ids, with its cost.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Found {
    gap: u32,
    hops: usize,
    /// Role indexes along the path, for a stable order among equal costs.
    key: Vec<usize>,
    edges: Vec<usize>,
}

/// A partial path of the search.
#[derive(Debug)]
struct Partial {
    gap: u32,
    /// Role indexes from the start; the last is where the path stands.
    key: Vec<usize>,
    edges: Vec<usize>,
    /// Levels held, by skill index.
    have: Vec<u8>,
    /// Roles visited, as a bit set.
    visited: Vec<u64>,
}

impl Partial {
    fn node(&self) -> usize {
        self.key[self.key.len() - 1]
    }

    fn has_visited(&self, node: usize) -> bool {
        self.visited[node / 64] & (1 << (node % 64)) != 0
    }

    /// True when every continuation of `other` is beaten by the same
    /// continuation of `self`: `self` costs no more (then has no more
    /// moves, then comes first), holds at least as much of every skill
    /// (so no later move costs it more) and visited only roles `other`
    /// visited too (so no continuation of `other` revisits one of its
    /// roles).
    fn dominates(&self, other: &Partial) -> bool {
        (self.gap, self.key.len(), &self.key) < (other.gap, other.key.len(), &other.key)
            && self.have.iter().zip(&other.have).all(|(a, b)| a >= b)
            && self
                .visited
                .iter()
                .zip(&other.visited)
                .all(|(a, b)| a & !b == 0)
    }
}

impl CareerGraph<'_> {
    /// Up to `k` loopless paths from `from` to `to`, smallest total gap
    /// first, starting from the levels `from` requires. Empty when `to`
    /// cannot be reached; one path of no moves when `from` is `to`.
    pub fn paths(
        &self,
        from: &rolebook_core::model::Role,
        to: &rolebook_core::model::Role,
        k: usize,
    ) -> PathReport {
        let have = self
            .node(from)
            .map(|n| self.career().index.role_levels(n).to_vec());
        self.report(from, to, k, have, None)
    }

    /// Like [`CareerGraph::paths`], for a person who holds `from` but whose
    /// levels are their own ratings: a skill they rate above what `from`
    /// requires costs nothing to reach, and one they rate below costs what
    /// is missing, even on the first move. A skill the profile does not
    /// rate counts at the level `from` requires (0 when it requires none):
    /// a person rating only a target's skills still holds their role.
    pub fn paths_for(
        &self,
        profile: &Profile,
        from: &rolebook_core::model::Role,
        to: &rolebook_core::model::Role,
        k: usize,
    ) -> PathReport {
        let career = self.career();
        let mut have = match self.node(from) {
            Some(n) => career.index.role_levels(n).to_vec(),
            None => vec![0; career.index.skill_count()],
        };
        for rated in &profile.skills {
            if let Some(i) = career.index.skill(&rated.skill) {
                have[i] = rated.level;
            }
        }
        let person = Person {
            name: profile.name.clone(),
        };
        self.report(from, to, k, Some(have), Some(person))
    }

    fn report(
        &self,
        from: &rolebook_core::model::Role,
        to: &rolebook_core::model::Role,
        k: usize,
        have: Option<Vec<u8>>,
        person: Option<Person>,
    ) -> PathReport {
        let career = self.career();
        let found = match (self.node(from), self.node(to), have) {
            (Some(s), Some(t), Some(have)) => self
                .cheapest(s, t, k, &have)
                .into_iter()
                .map(|f| self.career_path(&have, &f.edges))
                .collect(),
            _ => Vec::new(),
        };
        PathReport {
            from: career.role_info(from),
            to: career.role_info(to),
            person,
            k,
            gap_formula: GAP_FORMULA,
            path_formula: PATH_FORMULA,
            paths: found,
        }
    }

    /// A path's moves, each explained with the gap from the levels held
    /// when it is made.
    fn career_path(&self, start: &[u8], edges: &[usize]) -> CareerPath {
        let career = self.career();
        let mut have = start.to_vec();
        let mut grown = vec![false; have.len()];
        let mut steps = Vec::with_capacity(edges.len());
        for &e in edges {
            let to = self.edge(e).to;
            let mut step = self.explain(e);
            step.gap = career.gap_from_levels(&have, self.role(to));
            for line in &step.gap.skills {
                if let Some(i) = career.index.skill(&line.skill) {
                    grown[i] = true;
                }
            }
            hold(&mut have, career.index.role_levels(to));
            steps.push(step);
        }
        CareerPath {
            total_gap: steps.iter().map(|s| s.gap.total).sum(),
            levels_to_gain: steps
                .iter()
                .flat_map(|s| &s.gap.skills)
                .map(|line| u32::from(line.shortfall))
                .sum(),
            skills_to_grow: grown.iter().filter(|&&g| g).count(),
            steps,
        }
    }

    /// The `k` cheapest loopless paths from `source` to `target` for
    /// someone holding `start`, by (gap, moves, roles).
    fn cheapest(&self, source: usize, target: usize, k: usize, start: &[u8]) -> Vec<Found> {
        if k == 0 {
            return Vec::new();
        }
        let index = &self.career().index;
        let n = self.node_count();
        // Roles from which the target can be reached at all: nothing else
        // is worth extending a path to.
        let useful = self.reaches(target);
        if !useful[source] {
            return Vec::new();
        }
        let mut visited = vec![0u64; n.div_ceil(64)];
        visited[source / 64] |= 1 << (source % 64);
        let mut partials = vec![Partial {
            gap: 0,
            key: vec![source],
            edges: Vec::new(),
            have: start.to_vec(),
            visited,
        }];
        // Ordered by estimated total, then moves, then roles.
        let mut heap = BinaryHeap::new();
        heap.push(Reverse((
            index.least_cost(start, target),
            1usize,
            vec![source],
            0usize,
        )));
        // Partial paths extended from each role, for dominance.
        let mut extended: Vec<Vec<usize>> = vec![Vec::new(); n];
        // The k paths cheapest by the sum of their moves' own gaps, costed
        // cumulatively: real paths, so the k-th of them bounds the search
        // before it finds any path of its own.
        let mut complete: Vec<Found> = self
            .k_shortest(source, target, k)
            .into_iter()
            .map(|seed| self.costed(source, start, seed.edges))
            .collect();
        complete.sort();
        let bound = |complete: &[Found]| (complete.len() >= k).then(|| complete[k - 1].gap);
        while let Some(Reverse((estimate, _, _, id))) = heap.pop() {
            if bound(&complete).is_some_and(|b| estimate > b) {
                break;
            }
            let partial = &partials[id];
            let node = partial.node();
            if node == target {
                if !complete.iter().any(|c| c.edges == partial.edges) {
                    complete.push(Found {
                        gap: partial.gap,
                        hops: partial.edges.len(),
                        key: partial.key.clone(),
                        edges: partial.edges.clone(),
                    });
                    complete.sort();
                    complete.truncate(k);
                }
                continue;
            }
            let beaten_by = extended[node]
                .iter()
                .filter(|&&other| partials[other].dominates(partial))
                .take(k)
                .count();
            if beaten_by >= k {
                continue;
            }
            extended[node].push(id);
            for &e in self.out_edges(node) {
                let partial = &partials[id];
                let to = self.edge(e).to;
                if !useful[to] || partial.has_visited(to) {
                    continue;
                }
                // Costed before anything is copied: most moves fall
                // outside the bound.
                let gap = partial.gap + index.gap_total(&partial.have, to);
                let estimate = gap + index.least_cost_after(&partial.have, to, target);
                if bound(&complete).is_some_and(|b| estimate > b) {
                    continue;
                }
                let mut have = partial.have.clone();
                hold(&mut have, index.role_levels(to));
                let mut key = partial.key.clone();
                key.push(to);
                let mut edges = partial.edges.clone();
                edges.push(e);
                let mut visited = partial.visited.clone();
                visited[to / 64] |= 1 << (to % 64);
                heap.push(Reverse((estimate, key.len(), key.clone(), partials.len())));
                partials.push(Partial {
                    gap,
                    key,
                    edges,
                    have,
                    visited,
                });
            }
        }
        complete
    }

    /// A path by the sum of its moves' own gaps (for [`Self::k_shortest`]).
    fn found(&self, source: usize, edges: Vec<usize>) -> Found {
        let key = std::iter::once(source)
            .chain(edges.iter().map(|&e| self.edge(e).to))
            .collect();
        Found {
            gap: edges.iter().map(|&e| self.edge(e).gap).sum(),
            hops: edges.len(),
            key,
            edges,
        }
    }
    /// Yen's k shortest loopless paths by the sum of the moves' own
    /// gaps (not the cumulative gap): quick, and each a real path whose
    /// cumulative gap bounds the search from its start.
    fn k_shortest(&self, source: usize, target: usize, k: usize) -> Vec<Found> {
        if k == 0 {
            return Vec::new();
        }
        let none = vec![false; self.node_count()];
        let Some(first) = self.dijkstra(source, target, &none, &[]) else {
            return Vec::new();
        };
        let mut accepted = vec![self.found(source, first)];
        let mut candidates: BTreeSet<Found> = BTreeSet::new();
        while accepted.len() < k {
            let last = accepted[accepted.len() - 1].clone();
            for i in 0..last.edges.len() {
                let spur = last.key[i];
                let root = &last.edges[..i];
                // Moves already used from this root are off limits, so the
                // spur search finds something new.
                let banned_edges: Vec<usize> = accepted
                    .iter()
                    .filter(|p| p.edges.len() > i && p.edges[..i] == *root)
                    .map(|p| p.edges[i])
                    .collect();
                // The root's roles (before the spur) may not be revisited.
                let mut banned_nodes = none.clone();
                for &n in &last.key[..i] {
                    banned_nodes[n] = true;
                }
                if let Some(tail) = self.dijkstra(spur, target, &banned_nodes, &banned_edges) {
                    let edges: Vec<usize> = root.iter().copied().chain(tail).collect();
                    let candidate = self.found(source, edges);
                    if !accepted.iter().any(|p| p.edges == candidate.edges) {
                        candidates.insert(candidate);
                    }
                }
            }
            match candidates.pop_first() {
                Some(best) => accepted.push(best),
                None => break,
            }
        }
        accepted
    }

    /// Cheapest path by (gap, moves) avoiding `banned_nodes` and
    /// `banned_edges`, as edge ids.
    fn dijkstra(
        &self,
        source: usize,
        target: usize,
        banned_nodes: &[bool],
        banned_edges: &[usize],
    ) -> Option<Vec<usize>> {
        let n = self.node_count();
        let mut best: Vec<Option<(u32, usize)>> = vec![None; n];
        let mut via: Vec<Option<usize>> = vec![None; n];
        let mut done = vec![false; n];
        let mut heap = BinaryHeap::new();
        best[source] = Some((0, 0));
        heap.push(Reverse((0u32, 0usize, source)));
        while let Some(Reverse((gap, hops, node))) = heap.pop() {
            if done[node] {
                continue;
            }
            done[node] = true;
            if node == target {
                break;
            }
            for &e in self.out_edges(node) {
                let edge = self.edge(e);
                if banned_nodes[edge.to] || done[edge.to] || banned_edges.contains(&e) {
                    continue;
                }
                let cost = (gap + edge.gap, hops + 1);
                if best[edge.to].is_none_or(|b| cost < b) {
                    best[edge.to] = Some(cost);
                    via[edge.to] = Some(e);
                    heap.push(Reverse((cost.0, cost.1, edge.to)));
                }
            }
        }
        if !done[target] {
            return None;
        }
        let mut edges = Vec::new();
        let mut node = target;
        while node != source {
            let e = via[node]?;
            edges.push(e);
            node = self.edge(e).from;
        }
        edges.reverse();
        Some(edges)
    }

    /// A path (edge ids from `source`) with its cumulative gap for someone
    /// holding `start`.
    fn costed(&self, source: usize, start: &[u8], edges: Vec<usize>) -> Found {
        let index = &self.career().index;
        let mut have = start.to_vec();
        let mut gap = 0;
        let mut key = vec![source];
        for &e in &edges {
            let to = self.edge(e).to;
            gap += index.gap_total(&have, to);
            hold(&mut have, index.role_levels(to));
            key.push(to);
        }
        Found {
            gap,
            hops: edges.len(),
            key,
            edges,
        }
    }

    /// Which roles have a path to `target` (the target included).
    fn reaches(&self, target: usize) -> Vec<bool> {
        let mut seen = vec![false; self.node_count()];
        seen[target] = true;
        let mut stack = vec![target];
        while let Some(node) = stack.pop() {
            for m in self.incoming_nodes(node) {
                if !seen[m] {
                    seen[m] = true;
                    stack.push(m);
                }
            }
        }
        seen
    }
}

/// After taking a role, a person holds the higher of each level.
fn hold(have: &mut [u8], required: &[u8]) {
    for (held, &needed) in have.iter_mut().zip(required) {
        *held = (*held).max(needed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gap::Career;
    use crate::profile::AssessedSkill;
    use crate::testing::{Spec, catalog_of};

    /// A diamond with a shortcut. Every role is at the same level, so the
    /// framework implies no moves:
    ///
    /// ```text
    ///   start ─(4)──────────────────► goal         total 4, 1 move
    ///   start ─(2)─► easy ─(2)──────► goal         total 4, 2 moves
    ///   start ─(1)─► mid ─(1)─► step ─(2)─► goal   total 4, 3 moves
    ///   start ─(6)─► hard ─(0)──────► goal         total 6
    /// ```
    fn diamond() -> rolebook_core::Catalog {
        let role = |id, skills, next| Spec {
            id,
            family: "fam",
            level: "manager",
            skills,
            next,
            ..Spec::default()
        };
        catalog_of(&[
            role(
                "start",
                &[("base", 2, true)],
                &["goal", "easy", "mid", "hard"],
            ),
            role("easy", &[("base", 2, true), ("x", 1, true)], &["goal"]),
            role("mid", &[("base", 2, true), ("x", 1, false)], &["step"]),
            role(
                "step",
                &[("base", 2, true), ("x", 1, false), ("w", 1, false)],
                &["goal"],
            ),
            role(
                "hard",
                &[("base", 2, true), ("x", 2, true), ("y", 1, true)],
                &["goal"],
            ),
            role("goal", &[("base", 2, true), ("x", 2, true)], &[]),
        ])
    }

    fn routes(report: &PathReport) -> Vec<(u32, Vec<String>)> {
        report
            .paths
            .iter()
            .map(|p| {
                let mut ids = vec![report.from.id.clone()];
                ids.extend(p.steps.iter().map(|s| s.to.id.clone()));
                (p.total_gap, ids)
            })
            .collect()
    }

    fn ids(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn finds_the_k_smallest_total_gaps_in_order() {
        let catalog = diamond();
        let career = Career::new(&catalog);
        let graph = CareerGraph::new(&career);
        let role = |id: &str| catalog.role(id).expect("role");
        // Sanity: the edge gaps the diagram claims.
        let gap = |a: &str, b: &str| career.move_gap(role(a), role(b)).total;
        assert_eq!(
            [
                gap("start", "goal"),
                gap("start", "easy"),
                gap("easy", "goal"),
                gap("start", "mid"),
                gap("mid", "step"),
                gap("step", "goal"),
                gap("start", "hard"),
                gap("hard", "goal")
            ],
            [4, 2, 2, 1, 1, 2, 6, 0]
        );
        let report = graph.paths(role("start"), role("goal"), 5);
        assert_eq!(
            routes(&report),
            [
                (4, ids(&["start", "goal"])),
                (4, ids(&["start", "easy", "goal"])),
                (4, ids(&["start", "mid", "step", "goal"])),
                (6, ids(&["start", "hard", "goal"])),
            ]
        );
        // The step explanation carries the move's gap and evidence.
        let step = &report.paths[1].steps[0];
        assert_eq!(step.gap.total, 2);
        assert_eq!(step.evidence[0].location(), "roles/start.toml career.next");
        // x from 0 to 2 and y from 0 to 1 on the way through `hard`.
        assert_eq!(
            report.paths[3].summary(),
            "3 levels to gain across 2 skills"
        );
        assert_eq!(report.paths[0].summary(), "2 levels to gain across 1 skill");

        assert_eq!(
            routes(&graph.paths(role("start"), role("goal"), 1)).len(),
            1
        );
        assert!(graph.paths(role("goal"), role("start"), 3).paths.is_empty());
        let same = graph.paths(role("mid"), role("mid"), 3);
        assert_eq!(routes(&same), [(0, ids(&["mid"]))]);
        assert_eq!(same.paths[0].summary(), "nothing to gain");
    }

    /// A ladder where the middle role does not use a skill the first one
    /// built: `ops` at 4 from `lead` still counts at `head`.
    fn ladder() -> rolebook_core::Catalog {
        catalog_of(&[
            Spec {
                id: "lead",
                family: "fam",
                level: "manager",
                skills: &[("ops", 4, true), ("people", 2, true)],
                next: &["bridge"],
                ..Spec::default()
            },
            Spec {
                id: "bridge",
                family: "other",
                level: "senior-manager",
                skills: &[("people", 3, true), ("money", 2, false)],
                next: &["head"],
                ..Spec::default()
            },
            Spec {
                id: "head",
                family: "other",
                level: "director",
                skills: &[("ops", 4, true), ("people", 4, true), ("money", 3, false)],
                ..Spec::default()
            },
        ])
    }

    #[test]
    fn a_person_keeps_what_earlier_roles_required() {
        let catalog = ladder();
        let career = Career::new(&catalog);
        let graph = CareerGraph::new(&career);
        let role = |id: &str| catalog.role(id).expect("role");
        // Role to role, `bridge → head` needs ops from 0: 2×4 + 2×1 + 1×1.
        assert_eq!(career.move_gap(role("bridge"), role("head")).total, 11);
        let report = graph.paths(role("lead"), role("head"), 3);
        // people 2×1 + money 1×2, then people 2×1 + money 1×1.
        assert_eq!(routes(&report), [(7, ids(&["lead", "bridge", "head"]))]);
        let last = &report.paths[0].steps[1];
        // Only people (3 → 4) and money (2 → 3) are left; ops is held.
        let short: Vec<(&str, u8, u8)> = last
            .gap
            .skills
            .iter()
            .map(|l| (l.skill.as_str(), l.current, l.required))
            .collect();
        assert_eq!(short, [("people", 3, 4), ("money", 2, 3)]);
        assert_eq!(
            report.paths[0].summary(),
            "5 levels to gain across 2 skills"
        );
    }

    #[test]
    fn a_person_starts_from_their_own_ratings() {
        let catalog = ladder();
        let career = Career::new(&catalog);
        let graph = CareerGraph::new(&career);
        let role = |id: &str| catalog.role(id).expect("role");
        let rated = |levels: &[(&str, u8)]| Profile {
            name: Some("Ada".to_string()),
            current_role: Some("lead".to_string()),
            skills: levels
                .iter()
                .map(|&(skill, level)| AssessedSkill {
                    skill: skill.to_string(),
                    level,
                    manager_level: None,
                    evidence: None,
                })
                .collect(),
        };
        // Rated exactly at the role's levels: the same as the role's paths.
        let as_role = graph.paths_for(
            &rated(&[("ops", 4), ("people", 2)]),
            role("lead"),
            role("head"),
            3,
        );
        assert_eq!(
            routes(&as_role),
            routes(&graph.paths(role("lead"), role("head"), 3))
        );
        assert_eq!(
            as_role.person,
            Some(Person {
                name: Some("Ada".to_string())
            })
        );
        // Nothing rated: the person holds what their role requires.
        let unrated = graph.paths_for(&rated(&[]), role("lead"), role("head"), 3);
        assert_eq!(routes(&unrated), routes(&as_role));
        // Below the role in ops, above it in people and money: ops costs
        // on the last move, people and money nothing.
        let own = graph.paths_for(
            &rated(&[("ops", 3), ("people", 4), ("money", 3)]),
            role("lead"),
            role("head"),
            3,
        );
        assert_eq!(routes(&own), [(2, ids(&["lead", "bridge", "head"]))]);
        assert_eq!(own.paths[0].steps[0].gap.total, 0);
        assert_eq!(own.paths[0].steps[1].gap.skills[0].skill, "ops");
    }

    #[test]
    fn smallest_gap_beats_fewest_moves() {
        // direct a→c costs 2×(4−1) = 6; a→b→c costs 2 + 2 = 4.
        let catalog = catalog_of(&[
            Spec {
                id: "a",
                family: "fam",
                level: "manager",
                skills: &[("s", 1, false)],
                next: &["b", "c"],
                ..Spec::default()
            },
            Spec {
                id: "b",
                family: "other",
                level: "manager",
                skills: &[("s", 3, false)],
                lateral: &["c"],
                ..Spec::default()
            },
            Spec {
                id: "c",
                family: "other",
                level: "director",
                skills: &[("s", 4, true)],
                ..Spec::default()
            },
        ]);
        let career = Career::new(&catalog);
        let graph = CareerGraph::new(&career);
        let a = catalog.role("a").expect("a");
        let c = catalog.role("c").expect("c");
        let report = graph.paths(a, c, 3);
        let totals: Vec<(u32, usize)> = report
            .paths
            .iter()
            .map(|p| (p.total_gap, p.steps.len()))
            .collect();
        // b→c is implied too (other family, manager → director) but the
        // declared lateral move is the same pair, so it stays one edge.
        assert_eq!(totals, [(4, 2), (6, 1)]);
    }

    /// Every loopless path from `from` to `to` by depth-first search, with
    /// its cumulative gap, its moves and its roles.
    fn all_paths(
        graph: &CareerGraph<'_>,
        from: usize,
        to: usize,
        start: &[u8],
    ) -> Vec<(u32, usize, Vec<usize>)> {
        struct Walk<'g, 'a> {
            graph: &'g CareerGraph<'a>,
            to: usize,
            seen: Vec<bool>,
            route: Vec<usize>,
            out: Vec<(u32, usize, Vec<usize>)>,
        }
        impl Walk<'_, '_> {
            fn go(&mut self, node: usize, have: &[u8], gap: u32) {
                if node == self.to {
                    self.out
                        .push((gap, self.route.len() - 1, self.route.clone()));
                    return;
                }
                let index = &self.graph.career().index;
                for &e in self.graph.out_edges(node) {
                    let next = self.graph.edge(e).to;
                    if self.seen[next] {
                        continue;
                    }
                    let cost = index.gap_total(have, next);
                    let mut held = have.to_vec();
                    hold(&mut held, index.role_levels(next));
                    self.seen[next] = true;
                    self.route.push(next);
                    self.go(next, &held, gap + cost);
                    self.route.pop();
                    self.seen[next] = false;
                }
            }
        }
        let mut walk = Walk {
            graph,
            to,
            seen: vec![false; graph.node_count()],
            route: vec![from],
            out: Vec::new(),
        };
        walk.seen[from] = true;
        walk.go(from, start, 0);
        walk.out.sort();
        walk.out
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(64))]

        /// The search's paths are exactly the k cheapest loopless paths
        /// that an exhaustive search finds, by (cumulative gap, moves,
        /// roles); each costs no more than the sum of its moves' own gaps,
        /// and a path of one move costs that move's gap.
        #[test]
        fn paths_agree_with_exhaustive_search(
            roles in crate::testing::arbitrary_roles(),
            pick in (0usize..64, 0usize..64),
            k in 1usize..6,
        ) {
            let catalog = crate::testing::catalog_of_owned(&roles);
            let career = Career::new(&catalog);
            let graph = CareerGraph::new(&career);
            let n = graph.node_count();
            let (s, t) = (pick.0 % n, pick.1 % n);
            proptest::prop_assume!(s != t);
            let (from, to) = (graph.role(s), graph.role(t));
            let report = graph.paths(from, to, k);
            let found: Vec<(u32, usize, Vec<String>)> = report
                .paths
                .iter()
                .map(|p| {
                    let mut ids = vec![report.from.id.clone()];
                    ids.extend(p.steps.iter().map(|m| m.to.id.clone()));
                    (p.total_gap, p.steps.len(), ids)
                })
                .collect();
            let mut expected: Vec<(u32, usize, Vec<String>)> =
                all_paths(&graph, s, t, career.index.role_levels(s))
                    .into_iter()
                    .map(|(gap, hops, route)| {
                        (gap, hops, route.iter().map(|&r| graph.role(r).id.to_string()).collect())
                    })
                    .collect();
            expected.truncate(k);
            proptest::prop_assert_eq!(&found, &expected);
            for path in &report.paths {
                let moves: u32 = path
                    .steps
                    .iter()
                    .map(|m| {
                        let from = catalog.role(&m.from.id).expect("from");
                        let to = catalog.role(&m.to.id).expect("to");
                        career.move_gap(from, to).total
                    })
                    .sum();
                proptest::prop_assert!(path.total_gap <= moves);
                if path.steps.len() == 1 {
                    proptest::prop_assert_eq!(path.total_gap, career.move_gap(from, to).total);
                }
                proptest::prop_assert_eq!(
                    path.total_gap,
                    path.steps.iter().map(|m| m.gap.total).sum::<u32>()
                );
            }
        }
    }
}
