//! The career graph (or part of it) as Graphviz DOT, Mermaid, or an SVG
//! laid out on a grid of levels and families.
//!
//! All three draw the same picture: roles as boxes labelled with their
//! title over their level (smaller and muted), senior roles above junior
//! ones, and one arrow per move labelled with its skill gap: solid for
//! declared next moves, dashed for lateral moves, dotted for moves the
//! framework implies.
//!
//! This module holds what the three share: the [`View`] (which part of the
//! graph to draw), family colours, and role and edge labels. [`to_dot`]
//! and [`to_mermaid`] write text for other tools; the SVG is two steps,
//! `grid` (where things go) and `svg` (drawing them).

mod dot;
mod grid;
mod mermaid;
mod svg;
#[cfg(test)]
mod tests;

use crate::graph::{CareerGraph, Edge, EdgeKind};

pub use dot::to_dot;
pub use mermaid::to_mermaid;
pub use svg::{RoleLink, SVG_MAX_NODES, SvgError, SvgOptions, to_svg, to_svg_with};

/// Fill colours for families, in the order families are listed in the
/// framework; they repeat after the last.
const PALETTE: [&str; 8] = [
    "#dbe9f6", "#fde2c8", "#d7f0dd", "#f3d6e7", "#e6e0f5", "#fff3bf", "#d3efee", "#eadfd6",
];
/// Fill of the focus role, whatever its family.
const FOCUS_FILL: &str = "#ffd166";
/// Lines and text in the SVG.
const INK: &str = "#444444";
/// A role's level under its title, and notes.
const MUTED_INK: &str = "#555555";

/// Which part of the graph to draw: these nodes and every edge between
/// them, optionally highlighting one role.
#[derive(Debug, Clone)]
pub struct View {
    /// Sorted, without duplicates.
    nodes: Vec<usize>,
    focus: Option<usize>,
}

impl View {
    /// These nodes (of `graph`), highlighting `focus`.
    pub fn new(mut nodes: Vec<usize>, focus: Option<usize>) -> Self {
        nodes.sort_unstable();
        nodes.dedup();
        View { nodes, focus }
    }

    /// The nodes drawn, sorted.
    pub fn nodes(&self) -> &[usize] {
        &self.nodes
    }

    /// The whole graph.
    pub fn all(graph: &CareerGraph<'_>) -> Self {
        View {
            nodes: (0..graph.node_count()).collect(),
            focus: None,
        }
    }

    /// `node` and every role within `depth` moves of it.
    pub fn around(graph: &CareerGraph<'_>, node: usize, depth: usize) -> Self {
        View::new(graph.neighbourhood(node, depth), Some(node))
    }

    /// `node` and the roles within `depth` moves of it, at most `max` of
    /// them, nearest first (see [`CareerGraph::nearest`]); and how many
    /// roles are within `depth` moves in all, so a page can say what it
    /// left out.
    pub fn nearest(
        graph: &CareerGraph<'_>,
        node: usize,
        depth: usize,
        max: usize,
    ) -> (Self, usize) {
        let nearest = graph.nearest(node, depth);
        let total = nearest.len();
        let kept = nearest.into_iter().take(max.max(1)).collect();
        (View::new(kept, Some(node)), total)
    }

    fn contains(&self, node: usize) -> bool {
        self.nodes.binary_search(&node).is_ok()
    }

    fn edges<'g>(&self, graph: &'g CareerGraph<'_>) -> Vec<&'g Edge> {
        graph
            .edges()
            .iter()
            .filter(|e| self.contains(e.from) && self.contains(e.to))
            .collect()
    }
}

/// The node's family's place in the framework, counted round [`PALETTE`]:
/// its colour, and its `fam-N` class in the SVG.
fn family_index(graph: &CareerGraph<'_>, node: usize) -> usize {
    let family = graph.role(node).family.as_str();
    graph
        .career()
        .catalog()
        .families()
        .iter()
        .position(|f| f.id.as_str() == family)
        .unwrap_or(0)
        % PALETTE.len()
}

fn family_colour(graph: &CareerGraph<'_>, node: usize) -> &'static str {
    PALETTE[family_index(graph, node)]
}

/// A role's box colour: the focus stands out from every family.
fn fill(graph: &CareerGraph<'_>, view: &View, node: usize) -> &'static str {
    if view.focus == Some(node) {
        FOCUS_FILL
    } else {
        family_colour(graph, node)
    }
}

/// The name of the role's level, or its id where the framework has none.
fn level_name(graph: &CareerGraph<'_>, node: usize) -> String {
    let role = graph.role(node);
    graph
        .career()
        .catalog()
        .level(&role.level)
        .map_or_else(|| role.level.to_string(), |l| l.name.clone())
}

/// A move's skill gap; moves other than next moves also name their kind.
fn edge_label(edge: &Edge) -> String {
    match edge.kind {
        EdgeKind::Next => format!("gap {}", edge.gap),
        kind => format!("{} · gap {}", kind.label(), edge.gap),
    }
}

/// Families of the view's nodes in framework order, each with its nodes.
fn by_family(graph: &CareerGraph<'_>, view: &View) -> Vec<(String, String, Vec<usize>)> {
    let catalog = graph.career().catalog();
    let mut groups: Vec<(String, String, Vec<usize>)> = catalog
        .families()
        .iter()
        .map(|f| (f.id.to_string(), f.name.clone(), Vec::new()))
        .collect();
    for &node in &view.nodes {
        let family = graph.role(node).family.as_str();
        if let Some(group) = groups.iter_mut().find(|g| g.0 == family) {
            group.2.push(node);
        }
    }
    groups.retain(|g| !g.2.is_empty());
    groups
}
