//! The career graph: one node per catalog role, one edge per possible move,
//! each edge typed, backed by evidence and weighted by its skill gap.
//!
//! Edges come from the role files (`career.next`, `career.feeders`,
//! `career.lateral`) and from the framework: when the catalog declares no
//! move from A to B, but B is in A's family at the next rank up, the move is
//! implied. `A.next = B` and `B.feeders = A` are one edge A → B with both
//! files as evidence. Lateral moves are directed as declared (a lateral move
//! has a different gap in each direction). Career entries that name a title
//! outside the catalog are not nodes: they have no skills to measure a gap
//! against; [`CareerGraph::next`] still lists them.

use std::collections::{BTreeMap, HashMap, VecDeque};

use rolebook_core::model::{Role, RoleRef};
use serde::Serialize;

use crate::gap::{Career, GAP_FORMULA, Gap, RoleInfo};

/// What kind of move an edge is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    /// A step up: `career.next` of the source or `career.feeders` of the
    /// target.
    Next,
    /// A sideways move: `career.lateral` of the source.
    Lateral,
    /// Not declared, but the target is in the same family at the next rank
    /// up.
    Implied,
}

impl EdgeKind {
    /// A move declared as `self` between roles of ranks `from` and `to`: a
    /// step up only when the level rises. A role at the same level (a
    /// manager's feeder from another family) is a sideways move, whichever
    /// career list names it.
    pub fn between(self, from: u8, to: u8) -> EdgeKind {
        match self {
            EdgeKind::Next if to <= from => EdgeKind::Lateral,
            kind => kind,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EdgeKind::Next => "next",
            EdgeKind::Lateral => "lateral",
            EdgeKind::Implied => "implied",
        }
    }
}

/// Where an edge's evidence was written, kept as indexes so that large
/// catalogs do not pay for strings until a report needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// Item `item` of career list `list` in role `role`'s file.
    Declared {
        role: usize,
        list: List,
        item: usize,
    },
    Framework,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum List {
    Next,
    Feeders,
    Lateral,
}

impl List {
    fn field(self) -> &'static str {
        match self {
            List::Next => "career.next",
            List::Feeders => "career.feeders",
            List::Lateral => "career.lateral",
        }
    }

    fn of(self, role: &Role) -> &[RoleRef] {
        match self {
            List::Next => &role.career.next,
            List::Feeders => &role.career.feeders,
            List::Lateral => &role.career.lateral,
        }
    }
}

/// Why an edge exists, for people and for JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// The file that says so: a role file, or `framework.toml` for implied
    /// moves.
    pub file: String,
    /// `career.next`, `career.feeders`, `career.lateral`, or `levels`.
    pub field: &'static str,
    /// The note written with the move, or the framework's reason.
    pub note: Option<String>,
}

impl Evidence {
    /// "roles/sre-manager.toml career.next" style location.
    pub fn location(&self) -> String {
        format!("{} {}", self.file, self.field)
    }
}

#[derive(Debug, Clone)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    /// The skill gap of the move (see [`GAP_FORMULA`]).
    pub gap: u32,
    sources: Vec<Source>,
}

/// The career graph of a catalog. Node `i` is `catalog.roles()[i]`.
#[derive(Debug)]
pub struct CareerGraph<'a> {
    career: &'a Career<'a>,
    edges: Vec<Edge>,
    out: Vec<Vec<usize>>,
    incoming: Vec<Vec<usize>>,
}

/// One move from a role, explained.
#[derive(Debug, Clone, Serialize)]
pub struct Move {
    pub from: RoleInfo,
    pub to: RoleInfo,
    pub kind: EdgeKind,
    pub gap: Gap,
    pub evidence: Vec<Evidence>,
}

/// A career entry naming a role outside the catalog.
#[derive(Debug, Clone, Serialize)]
pub struct OutsideMove {
    pub kind: EdgeKind,
    pub title: String,
    pub note: Option<String>,
}

/// The moves from one role: next, then lateral, then implied, each
/// smallest gap first.
#[derive(Debug, Clone, Serialize)]
pub struct NextReport {
    pub role: RoleInfo,
    pub gap_formula: &'static str,
    pub moves: Vec<Move>,
    /// Next and lateral moves the role lists by title only.
    pub outside: Vec<OutsideMove>,
}

impl<'a> CareerGraph<'a> {
    pub fn new(career: &'a Career<'a>) -> Self {
        let roles = career.catalog().roles();
        let mut graph = CareerGraph {
            career,
            edges: Vec::new(),
            out: vec![Vec::new(); roles.len()],
            incoming: vec![Vec::new(); roles.len()],
        };
        let mut by_pair: HashMap<(usize, usize), usize> = HashMap::new();
        let rank = |i: usize| {
            career
                .catalog()
                .level(&roles[i].level)
                .map_or(0, |l| l.rank)
        };
        for (i, role) in roles.iter().enumerate() {
            for list in [List::Next, List::Feeders, List::Lateral] {
                for (item, reference) in list.of(role).iter().enumerate() {
                    let Some(j) = reference.role_id().and_then(|id| career.index.role(id)) else {
                        continue;
                    };
                    let (from, to, kind) = match list {
                        List::Next => (i, j, EdgeKind::Next),
                        List::Feeders => (j, i, EdgeKind::Next),
                        List::Lateral => (i, j, EdgeKind::Lateral),
                    };
                    let kind = kind.between(rank(from), rank(to));
                    let source = Source::Declared {
                        role: i,
                        list,
                        item,
                    };
                    graph.add(&mut by_pair, from, to, kind, source);
                }
            }
        }
        // Implied moves: within each family, every role to every role of the
        // next rank up, unless the catalog already declares that move.
        let mut families: BTreeMap<&str, BTreeMap<u8, Vec<usize>>> = BTreeMap::new();
        for (i, role) in roles.iter().enumerate() {
            families
                .entry(role.family.as_str())
                .or_default()
                .entry(rank(i))
                .or_default()
                .push(i);
        }
        for ranks in families.values() {
            let ranks: Vec<&Vec<usize>> = ranks.values().collect();
            for pair in ranks.windows(2) {
                for &from in pair[0] {
                    for &to in pair[1] {
                        if !by_pair.contains_key(&(from, to)) {
                            graph.add(&mut by_pair, from, to, EdgeKind::Implied, Source::Framework);
                        }
                    }
                }
            }
        }
        graph
    }

    fn add(
        &mut self,
        by_pair: &mut HashMap<(usize, usize), usize>,
        from: usize,
        to: usize,
        kind: EdgeKind,
        source: Source,
    ) {
        if from == to {
            return;
        }
        match by_pair.get(&(from, to)) {
            Some(&e) => {
                let edge = &mut self.edges[e];
                // A move declared both as next and lateral counts as next.
                edge.kind = edge.kind.min(kind);
                edge.sources.push(source);
            }
            None => {
                let e = self.edges.len();
                self.edges.push(Edge {
                    from,
                    to,
                    kind,
                    gap: self.career.gap_total(from, to),
                    sources: vec![source],
                });
                self.out[from].push(e);
                self.incoming[to].push(e);
                by_pair.insert((from, to), e);
            }
        }
    }

    pub fn career(&self) -> &'a Career<'a> {
        self.career
    }

    pub fn role(&self, node: usize) -> &'a Role {
        &self.career.catalog().roles()[node]
    }

    /// The node of a role.
    pub fn node(&self, role: &Role) -> Option<usize> {
        self.career.role_index(role)
    }

    pub fn node_count(&self) -> usize {
        self.out.len()
    }

    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    pub fn edge(&self, e: usize) -> &Edge {
        &self.edges[e]
    }

    /// Edge ids leaving `node`.
    pub fn out_edges(&self, node: usize) -> &[usize] {
        &self.out[node]
    }

    /// The roles with a move into `node`.
    pub(crate) fn incoming_nodes(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        self.incoming[node].iter().map(|&e| self.edges[e].from)
    }

    /// The evidence of an edge, in the words of its files.
    pub fn evidence(&self, edge: &Edge) -> Vec<Evidence> {
        edge.sources
            .iter()
            .map(|source| match *source {
                Source::Declared { role, list, item } => {
                    let role = self.role(role);
                    Evidence {
                        file: format!("roles/{}.toml", role.id.as_str()),
                        field: list.field(),
                        note: list
                            .of(role)
                            .get(item)
                            .and_then(|r| r.note.clone())
                            .filter(|n| !n.trim().is_empty()),
                    }
                }
                Source::Framework => {
                    let to = self.career.role_info(self.role(edge.to));
                    Evidence {
                        file: "framework.toml".to_string(),
                        field: "levels",
                        note: Some(format!(
                            "implied by framework: same family ({}), next rank up ({}, {})",
                            to.family_name, to.rank, to.level_name
                        )),
                    }
                }
            })
            .collect()
    }

    /// An edge as a fully explained move.
    pub fn explain(&self, e: usize) -> Move {
        let edge = &self.edges[e];
        let from = self.role(edge.from);
        let to = self.role(edge.to);
        Move {
            from: self.career.role_info(from),
            to: self.career.role_info(to),
            kind: edge.kind,
            gap: self.career.move_gap(from, to),
            evidence: self.evidence(edge),
        }
    }

    /// Every move from `role`: steps up first, then sideways moves, then
    /// the implied ones, each smallest gap first (then by id). A person
    /// reads the declared career ladder before the alternatives.
    pub fn next(&self, role: &Role) -> NextReport {
        let mut edges: Vec<usize> = self
            .node(role)
            .map(|n| self.out[n].clone())
            .unwrap_or_default();
        edges.sort_by(|&a, &b| {
            let (a, b) = (&self.edges[a], &self.edges[b]);
            (a.kind, a.gap, self.role(a.to).id.as_str()).cmp(&(
                b.kind,
                b.gap,
                self.role(b.to).id.as_str(),
            ))
        });
        let outside = [
            (EdgeKind::Next, &role.career.next),
            (EdgeKind::Lateral, &role.career.lateral),
        ]
        .into_iter()
        .flat_map(|(kind, refs)| {
            refs.iter()
                .filter(|r| r.role.is_none())
                .map(move |r| OutsideMove {
                    kind,
                    title: r.label().to_string(),
                    note: r.note.clone(),
                })
        })
        .collect();
        NextReport {
            role: self.career.role_info(role),
            gap_formula: GAP_FORMULA,
            moves: edges.into_iter().map(|e| self.explain(e)).collect(),
            outside,
        }
    }

    /// Every move into `role`, smallest gap first (then by the id of the
    /// role it comes from).
    pub fn incoming(&self, role: &Role) -> Vec<Move> {
        let Some(node) = self.node(role) else {
            return Vec::new();
        };
        let mut edges: Vec<usize> = (0..self.edges.len())
            .filter(|&e| self.edges[e].to == node)
            .collect();
        edges.sort_by_key(|&e| (self.edges[e].gap, self.role(self.edges[e].from).id.as_str()));
        edges.into_iter().map(|e| self.explain(e)).collect()
    }

    /// Nodes within `depth` moves of `node`, in either direction, sorted.
    pub fn neighbourhood(&self, node: usize, depth: usize) -> Vec<usize> {
        let mut nodes = self.nearest(node, depth);
        nodes.sort_unstable();
        nodes
    }

    /// Nodes within `depth` moves of `node`, in either direction, nearest
    /// first (`node` itself first); at the same distance, moves out of a
    /// role before moves into it, each in the graph's order.
    pub fn nearest(&self, node: usize, depth: usize) -> Vec<usize> {
        let mut seen = vec![false; self.node_count()];
        let mut queue = VecDeque::from([(node, 0)]);
        let mut order = vec![node];
        seen[node] = true;
        while let Some((n, d)) = queue.pop_front() {
            if d == depth {
                continue;
            }
            let neighbours = self.out[n]
                .iter()
                .map(|&e| self.edges[e].to)
                .chain(self.incoming[n].iter().map(|&e| self.edges[e].from));
            for m in neighbours {
                if !seen[m] {
                    seen[m] = true;
                    order.push(m);
                    queue.push_back((m, d + 1));
                }
            }
        }
        order
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Spec, catalog_of};

    fn spec<'a>(
        id: &'a str,
        family: &'a str,
        level: &'a str,
        skills: &'a [(&'a str, u8, bool)],
    ) -> Spec<'a> {
        Spec {
            id,
            family,
            level,
            skills,
            ..Spec::default()
        }
    }

    #[test]
    fn a_declared_move_to_the_same_level_is_lateral() {
        let catalog = catalog_of(&[
            Spec {
                next: &["y-manager"],
                ..spec("a-manager", "fam", "manager", &[("s", 2, true)])
            },
            // Names a-manager as its feeder, at the same level.
            Spec {
                feeders: &["a-manager"],
                ..spec("x-manager", "other", "manager", &[("t", 3, true)])
            },
            spec("y-manager", "other", "manager", &[("u", 3, true)]),
            Spec {
                feeders: &["a-manager"],
                ..spec("b-director", "fam", "director", &[("s", 4, true)])
            },
        ]);
        let career = Career::new(&catalog);
        let graph = CareerGraph::new(&career);
        let next = graph.next(catalog.role("a-manager").expect("a"));
        let kinds: Vec<(&str, EdgeKind)> = next
            .moves
            .iter()
            .map(|m| (m.to.id.as_str(), m.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("b-director", EdgeKind::Next),
                ("x-manager", EdgeKind::Lateral),
                ("y-manager", EdgeKind::Lateral)
            ]
        );
    }

    #[test]
    fn declared_moves_merge_and_implied_moves_fill_the_gaps() {
        let catalog = catalog_of(&[
            Spec {
                next: &["b-director"],
                lateral: &["x-manager"],
                ..spec("a-manager", "fam", "manager", &[("s", 2, true)])
            },
            Spec {
                feeders: &["a-manager"],
                ..spec(
                    "b-director",
                    "fam",
                    "director",
                    &[("s", 4, true), ("t", 2, false)],
                )
            },
            spec("c-senior", "fam", "senior-manager", &[("s", 3, true)]),
            spec("d-vp", "fam", "vice-president", &[("s", 5, true)]),
            spec("x-manager", "other", "manager", &[("t", 3, true)]),
        ]);
        let career = Career::new(&catalog);
        let graph = CareerGraph::new(&career);
        let describe = |e: &Edge| {
            (
                graph.role(e.from).id.to_string(),
                graph.role(e.to).id.to_string(),
                e.kind,
                e.gap,
                graph
                    .evidence(e)
                    .iter()
                    .map(Evidence::location)
                    .collect::<Vec<_>>(),
            )
        };
        let mut edges: Vec<_> = graph.edges().iter().map(describe).collect();
        edges.sort();
        let s = |x: &str| x.to_string();
        assert_eq!(
            edges,
            [
                // Declared in both files: one edge, two pieces of evidence.
                (
                    s("a-manager"),
                    s("b-director"),
                    EdgeKind::Next,
                    2 * 2 + 2,
                    vec![
                        s("roles/a-manager.toml career.next"),
                        s("roles/b-director.toml career.feeders")
                    ]
                ),
                // Implied: same family, next rank (manager 4 → senior-manager 5).
                (
                    s("a-manager"),
                    s("c-senior"),
                    EdgeKind::Implied,
                    2,
                    vec![s("framework.toml levels")]
                ),
                (
                    s("a-manager"),
                    s("x-manager"),
                    EdgeKind::Lateral,
                    6,
                    vec![s("roles/a-manager.toml career.lateral")]
                ),
                (
                    s("b-director"),
                    s("d-vp"),
                    EdgeKind::Implied,
                    2,
                    vec![s("framework.toml levels")]
                ),
                (
                    s("c-senior"),
                    s("b-director"),
                    EdgeKind::Implied,
                    2 + 2,
                    vec![s("framework.toml levels")]
                ),
            ]
        );
        let implied = graph
            .edges()
            .iter()
            .find(|e| e.kind == EdgeKind::Implied)
            .expect("implied");
        assert_eq!(
            graph.evidence(implied)[0].note.as_deref(),
            Some("implied by framework: same family (Family), next rank up (5, Senior Manager)")
        );
        assert_eq!(
            graph.evidence(&graph.edges()[0])[0].note.as_deref(),
            Some("a-manager to b-director")
        );

        // next ranks by kind, then gap: b-director (next, 6), x-manager
        // (lateral, 6), c-senior (implied, 2).
        let next = graph.next(catalog.role("a-manager").expect("a"));
        let order: Vec<(&str, u32, EdgeKind)> = next
            .moves
            .iter()
            .map(|m| (m.to.id.as_str(), m.gap.total, m.kind))
            .collect();
        assert_eq!(
            order,
            [
                ("b-director", 6, EdgeKind::Next),
                ("x-manager", 6, EdgeKind::Lateral),
                ("c-senior", 2, EdgeKind::Implied)
            ]
        );
        assert_eq!(next.moves[0].gap.skills[0].skill, "s");

        // Moves into b-director, smallest gap first: c-senior (4), a-manager (6).
        let incoming = graph.incoming(catalog.role("b-director").expect("b"));
        let from: Vec<(&str, u32)> = incoming
            .iter()
            .map(|m| (m.from.id.as_str(), m.gap.total))
            .collect();
        assert_eq!(from, [("c-senior", 4), ("a-manager", 6)]);

        let a = graph
            .node(catalog.role("a-manager").expect("a"))
            .expect("node");
        let near: Vec<&str> = graph
            .neighbourhood(a, 1)
            .into_iter()
            .map(|n| graph.role(n).id.as_str())
            .collect();
        assert_eq!(near, ["a-manager", "b-director", "c-senior", "x-manager"]);
        assert_eq!(graph.neighbourhood(a, 0), [a]);
        assert_eq!(graph.neighbourhood(a, 5).len(), 5);
    }
}
