//! The k paths between two roles with the smallest total skill gap.
//!
//! A path's total gap is the sum of the gaps of its moves; a path through
//! an intermediate role charges for what that role teaches on the way.
//! Paths are found with Yen's algorithm over a Dijkstra search. The search
//! is written here rather than taken from a graph library because Yen needs
//! Dijkstra with nodes and edges masked and the path itself returned, not
//! only distances. Ties on gap go to the path with fewer moves, then to the
//! one whose role ids come first, so results are stable.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

use serde::Serialize;

use crate::gap::{GAP_FORMULA, RoleInfo};
use crate::graph::{CareerGraph, Move};

pub const PATH_FORMULA: &str = "total gap of a path = Σ of the gaps of its moves";

#[derive(Debug, Clone, Serialize)]
pub struct PathReport {
    pub from: RoleInfo,
    pub to: RoleInfo,
    /// How many paths were asked for; `paths` may hold fewer.
    pub k: usize,
    pub gap_formula: &'static str,
    pub path_formula: &'static str,
    /// Smallest total gap first.
    pub paths: Vec<CareerPath>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CareerPath {
    pub total_gap: u32,
    pub steps: Vec<Move>,
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

/// A path as edge ids, with its cost.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Found {
    gap: u32,
    hops: usize,
    /// Role ids along the path, for a stable order among equal costs.
    key: Vec<usize>,
    edges: Vec<usize>,
}

impl CareerGraph<'_> {
    /// Up to `k` loopless paths from `from` to `to`, smallest total gap
    /// first. Empty when `to` cannot be reached; one path of no moves when
    /// `from` is `to`.
    pub fn paths(
        &self,
        from: &rolebook_core::model::Role,
        to: &rolebook_core::model::Role,
        k: usize,
    ) -> PathReport {
        let career = self.career();
        let found = match (self.node(from), self.node(to)) {
            (Some(s), Some(t)) => self.k_shortest(s, t, k),
            _ => Vec::new(),
        };
        PathReport {
            from: career.role_info(from),
            to: career.role_info(to),
            k,
            gap_formula: GAP_FORMULA,
            path_formula: PATH_FORMULA,
            paths: found
                .into_iter()
                .map(|f| CareerPath {
                    total_gap: f.gap,
                    steps: f.edges.iter().map(|&e| self.explain(e)).collect(),
                })
                .collect(),
        }
    }

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

    /// Yen's k shortest loopless paths.
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gap::Career;
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

    #[test]
    fn yen_finds_the_k_smallest_total_gaps_in_order() {
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
        let s = |ids: &[&str]| ids.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            routes(&report),
            [
                (4, s(&["start", "goal"])),
                (4, s(&["start", "easy", "goal"])),
                (4, s(&["start", "mid", "step", "goal"])),
                (6, s(&["start", "hard", "goal"])),
            ]
        );
        // The step explanation carries the move's gap and evidence.
        let step = &report.paths[1].steps[0];
        assert_eq!(step.gap.total, 2);
        assert_eq!(step.evidence[0].location(), "roles/start.toml career.next");

        assert_eq!(
            routes(&graph.paths(role("start"), role("goal"), 1)).len(),
            1
        );
        assert!(graph.paths(role("goal"), role("start"), 3).paths.is_empty());
        let same = graph.paths(role("mid"), role("mid"), 3);
        assert_eq!(routes(&same), [(0, s(&["mid"]))]);
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

    /// Every loopless path from `from` to `to`, by depth-first search.
    fn all_paths(graph: &CareerGraph<'_>, from: usize, to: usize) -> Vec<(u32, usize)> {
        fn walk(
            graph: &CareerGraph<'_>,
            node: usize,
            to: usize,
            seen: &mut Vec<bool>,
            cost: (u32, usize),
            out: &mut Vec<(u32, usize)>,
        ) {
            if node == to {
                out.push(cost);
                return;
            }
            for &e in graph.out_edges(node) {
                let edge = graph.edge(e);
                if !seen[edge.to] {
                    seen[edge.to] = true;
                    walk(
                        graph,
                        edge.to,
                        to,
                        seen,
                        (cost.0 + edge.gap, cost.1 + 1),
                        out,
                    );
                    seen[edge.to] = false;
                }
            }
        }
        let mut seen = vec![false; graph.node_count()];
        seen[from] = true;
        let mut out = Vec::new();
        walk(graph, from, to, &mut seen, (0, 0), &mut out);
        out.sort();
        out
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(48))]

        /// Yen's paths are exactly the k cheapest loopless paths that an
        /// exhaustive search finds, by (total gap, moves).
        #[test]
        fn yen_agrees_with_exhaustive_search(
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
            let report = graph.paths(graph.role(s), graph.role(t), k);
            let found: Vec<(u32, usize)> = report
                .paths
                .iter()
                .map(|p| (p.total_gap, p.steps.len()))
                .collect();
            let mut expected = all_paths(&graph, s, t);
            expected.truncate(k);
            proptest::prop_assert_eq!(&found, &expected);
            for path in &report.paths {
                // Loopless, connected, and the total is the sum of its moves.
                let mut ids = vec![report.from.id.clone()];
                ids.extend(path.steps.iter().map(|m| m.to.id.clone()));
                let mut unique = ids.clone();
                unique.sort();
                unique.dedup();
                proptest::prop_assert_eq!(unique.len(), ids.len());
                proptest::prop_assert_eq!(path.total_gap, path.steps.iter().map(|m| m.gap.total).sum::<u32>());
            }
        }
    }
}
