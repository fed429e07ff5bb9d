//! Where the SVG puts the view's boxes, lines and labels: a grid that reads
//! like the job architecture it draws. One row per level of the framework,
//! the most senior on top; one column per family, in the framework's
//! order; each role in the cell of its family and level, several side by
//! side. Family names head the columns and level names the rows.
//!
//! Every line joins two box edges. A move between rows leaves the top (or
//! bottom) of one box and enters the bottom (or top) of the other, as an
//! S-curve whose ends are vertical, so arrowheads point into the box; a
//! move within a row arcs above it. Lines that share a box edge leave it at
//! spread points, ordered by where they go, so they do not start on top of
//! each other. Next and implied moves carry their gap at the middle of the
//! line; lateral moves carry none (their gaps are listed with the moves).
//!
//! The layout is deterministic and linear in the size of the view, so any
//! view can be drawn; how many roles a drawing shows is the caller's
//! choice.

use std::collections::BTreeMap;

use super::{View, by_family, edge_label, level_name};
use crate::graph::{CareerGraph, Edge, EdgeKind};

/// A position or a size in the drawing, in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Point {
    pub(super) x: f64,
    pub(super) y: f64,
}

impl Point {
    pub(super) const fn new(x: f64, y: f64) -> Self {
        Point { x, y }
    }
}

/// A role's title is drawn at the size of body text on the web page, so
/// the drawing at its own size reads like the page around it.
pub(super) const TITLE_SIZE: f64 = 16.0;
pub(super) const LEVEL_SIZE: f64 = 12.0;
pub(super) const LABEL_SIZE: usize = 12;
/// Family (column) and level (row) headings.
pub(super) const HEADING_SIZE: f64 = 13.0;
/// A generous average advance of a character, in ems, for sans-serif
/// fonts (Helvetica, Arial, Inter): sizes boxes and the canvas so that no
/// text reaches past them.
const CHAR_EM: f64 = 0.56;
const BOX_PAD_X: f64 = 14.0;
const BOX_HEIGHT: f64 = 50.0;
/// Between boxes of one cell.
const BOX_GAP: f64 = 14.0;
/// Between columns: room for lines that pass between them.
const COLUMN_GAP: f64 = 40.0;
/// Between rows: room for the lines, their labels and the arcs of moves
/// within a row.
const ROW_GAP: f64 = 92.0;
/// The column headings' band above the first row, with room for the arcs
/// of moves within the first row.
const HEADING_BAND: f64 = 34.0 + ARC_RISE;
/// Most boxes side by side in one cell; more wrap onto another line.
const PER_LINE: usize = 2;
/// How far a move within a row arcs above it, at most.
const ARC_RISE: f64 = 40.0;

/// How wide `text` is at `size`, generously estimated.
pub(super) fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * CHAR_EM
}

/// A line between two roles.
#[derive(Debug)]
pub(super) struct DrawnEdge {
    pub(super) kind: EdgeKind,
    /// A cubic Bézier curve as `[(start, first control), (second control,
    /// end)]`.
    pub(super) path: [(Point, Point); 2],
    /// Arrowheads at the start and the end.
    pub(super) head: (bool, bool),
}

/// How a heading's text is anchored at its point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Anchor {
    Start,
    Middle,
}

impl Anchor {
    pub(super) fn svg(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
        }
    }
}

/// Everything placed.
#[derive(Debug, Default)]
pub(super) struct Drawing {
    /// (view node, top left, size)
    pub(super) nodes: Vec<(usize, Point, Point)>,
    /// Edge labels at their centre.
    pub(super) labels: Vec<(Point, String)>,
    pub(super) edges: Vec<DrawnEdge>,
    /// Family names over their columns and level names left of their rows:
    /// the text's baseline point, the text and how it is anchored.
    pub(super) headings: Vec<(Point, String, Anchor)>,
}

/// The size of a role's box: its title at [`TITLE_SIZE`] over its level
/// at [`LEVEL_SIZE`].
fn box_size(title: &str, level: &str) -> Point {
    let width = text_width(title, TITLE_SIZE).max(text_width(level, LEVEL_SIZE)) + 2.0 * BOX_PAD_X;
    Point::new(width.ceil(), BOX_HEIGHT)
}

/// Which edge of a box a line meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Top,
    Bottom,
}

/// The view laid out on the grid.
pub(super) fn lay_out(graph: &CareerGraph<'_>, view: &View) -> Drawing {
    let catalog = graph.career().catalog();
    let rank = |node: usize| {
        catalog
            .level(&graph.role(node).level)
            .map_or(0, |level| level.rank)
    };

    // Rows: the ranks in the view, most senior first; levels that share a
    // rank share a row.
    let mut rows: Vec<(u8, Vec<String>)> = Vec::new();
    for &node in &view.nodes {
        let (r, name) = (rank(node), level_name(graph, node));
        match rows.iter_mut().find(|(rank, _)| *rank == r) {
            Some((_, names)) if !names.contains(&name) => names.push(name),
            Some(_) => {}
            None => rows.push((r, vec![name])),
        }
    }
    rows.sort_by_key(|row| std::cmp::Reverse(row.0));
    let row_of = |node: usize| rows.iter().position(|(r, _)| *r == rank(node)).unwrap_or(0);
    let row_names: Vec<String> = rows.iter().map(|(_, names)| names.join(" / ")).collect();

    // Columns: the families in the view, in the framework's order.
    let families = by_family(graph, view);
    let mut cells: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (column, (_, _, nodes)) in families.iter().enumerate() {
        for &node in nodes {
            cells.entry((column, row_of(node))).or_default().push(node);
        }
    }
    let size = |node: usize| box_size(&graph.role(node).title, &level_name(graph, node));
    // A cell wraps its boxes, PER_LINE to a line; it is as wide as its
    // widest line.
    let line_width = |nodes: &[usize]| {
        nodes.iter().map(|&n| size(n).x).sum::<f64>() + BOX_GAP * (nodes.len() as f64 - 1.0)
    };
    let cell_width = |nodes: &[usize]| nodes.chunks(PER_LINE).map(line_width).fold(0.0, f64::max);
    let widths: Vec<f64> = families
        .iter()
        .enumerate()
        .map(|(column, (_, name, _))| {
            cells
                .range((column, 0)..(column + 1, 0))
                .map(|(_, nodes)| cell_width(nodes))
                .fold(text_width(name, HEADING_SIZE), f64::max)
        })
        .collect();
    let row_heading = row_names
        .iter()
        .map(|name| text_width(name, HEADING_SIZE))
        .fold(0.0, f64::max)
        + COLUMN_GAP / 2.0;
    let mut lefts = Vec::with_capacity(widths.len());
    let mut x = row_heading;
    for width in &widths {
        lefts.push(x);
        x += width + COLUMN_GAP;
    }
    // Rows are as tall as their tallest cell.
    let mut lines_per_row = vec![1usize; rows.len()];
    for (&(_, row), nodes) in &cells {
        lines_per_row[row] = lines_per_row[row].max(nodes.len().div_ceil(PER_LINE));
    }
    let mut tops = Vec::with_capacity(rows.len());
    let mut y = HEADING_BAND;
    for &lines in &lines_per_row {
        tops.push(y);
        y += lines as f64 * (BOX_HEIGHT + BOX_GAP) - BOX_GAP + ROW_GAP;
    }
    let row_top = |row: usize| tops[row];

    let mut drawing = Drawing::default();
    for (column, (_, name, _)) in families.iter().enumerate() {
        drawing.headings.push((
            Point::new(lefts[column] + widths[column] / 2.0, HEADING_SIZE),
            name.clone(),
            Anchor::Middle,
        ));
    }
    for (row, name) in row_names.iter().enumerate() {
        drawing.headings.push((
            Point::new(0.0, row_top(row) + BOX_HEIGHT / 2.0 + HEADING_SIZE * 0.35),
            name.clone(),
            Anchor::Start,
        ));
    }
    // Boxes, centred in their column.
    let mut placed: BTreeMap<usize, (Point, Point)> = BTreeMap::new();
    for (&(column, row), nodes) in &cells {
        for (line, boxes) in nodes.chunks(PER_LINE).enumerate() {
            let mut x = lefts[column] + (widths[column] - line_width(boxes)) / 2.0;
            let y = row_top(row) + line as f64 * (BOX_HEIGHT + BOX_GAP);
            for &node in boxes {
                let size = size(node);
                let top_left = Point::new(x, y);
                placed.insert(node, (top_left, size));
                drawing.nodes.push((node, top_left, size));
                x += size.x + BOX_GAP;
            }
        }
    }
    lay_out_edges(graph, view, &placed, &row_of, &mut drawing);
    drawing
}

/// One line per pair of roles, whatever moves connect them: styled by its
/// strongest move (next, then implied, then lateral), with a head at each
/// end that some move leads to.
fn lay_out_edges(
    graph: &CareerGraph<'_>,
    view: &View,
    placed: &BTreeMap<usize, (Point, Point)>,
    row_of: &dyn Fn(usize) -> usize,
    drawing: &mut Drawing,
) {
    let strength = |kind: EdgeKind| match kind {
        EdgeKind::Next => 0,
        EdgeKind::Implied => 1,
        EdgeKind::Lateral => 2,
    };
    let mut pairs: BTreeMap<(usize, usize), Vec<&Edge>> = BTreeMap::new();
    for edge in view.edges(graph) {
        let key = (edge.from.min(edge.to), edge.from.max(edge.to));
        pairs.entry(key).or_default().push(edge);
    }
    let centre_x = |node: usize| {
        placed
            .get(&node)
            .map_or(0.0, |(at, size)| at.x + size.x / 2.0)
    };
    // Each line's two ends: (node, side, the other end's centre) and the
    // edge it draws.
    struct Line<'e> {
        edge: &'e Edge,
        both_ways: bool,
        ends: [(usize, Side); 2],
    }
    let mut lines: Vec<Line<'_>> = Vec::new();
    for moves in pairs.values() {
        let Some(&edge) = moves.iter().min_by_key(|e| strength(e.kind)) else {
            continue;
        };
        if !placed.contains_key(&edge.from) || !placed.contains_key(&edge.to) {
            continue;
        }
        // Around a role, the sideways moves drawn are its own: those
        // between the other roles cross the whole drawing and say nothing
        // about this role (their pages list them).
        if edge.kind == EdgeKind::Lateral
            && view.focus.is_some_and(|f| edge.from != f && edge.to != f)
        {
            continue;
        }
        let (from_row, to_row) = (row_of(edge.from), row_of(edge.to));
        let sides = match from_row.cmp(&to_row) {
            // The target is higher up: leave the top, enter the bottom.
            std::cmp::Ordering::Greater => (Side::Top, Side::Bottom),
            std::cmp::Ordering::Less => (Side::Bottom, Side::Top),
            std::cmp::Ordering::Equal => (Side::Top, Side::Top),
        };
        lines.push(Line {
            edge,
            both_ways: moves.len() > 1,
            ends: [(edge.from, sides.0), (edge.to, sides.1)],
        });
    }
    // Where each line meets each box: the lines on one edge of a box are
    // spread across its middle, ordered by the x of their other end.
    // Per box edge: (the other end's x, line, which end of it).
    type Users = Vec<(f64, usize, usize)>;
    let mut ports: BTreeMap<(usize, Side), Users> = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        for (end, &(node, side)) in line.ends.iter().enumerate() {
            let other = line.ends[1 - end].0;
            ports
                .entry((node, side))
                .or_default()
                .push((centre_x(other), i, end));
        }
    }
    let mut at = vec![[Point::new(0.0, 0.0); 2]; lines.len()];
    for ((node, side), mut users) in ports {
        let Some(&(top_left, size)) = placed.get(&node) else {
            continue;
        };
        users.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let count = users.len() as f64;
        let span = size.x * 0.7;
        let y = match side {
            Side::Top => top_left.y,
            Side::Bottom => top_left.y + size.y,
        };
        for (k, &(_, line, end)) in users.iter().enumerate() {
            let x = top_left.x + (size.x - span) / 2.0 + span * (k as f64 + 1.0) / (count + 1.0);
            at[line][end] = Point::new(x, y);
        }
    }
    for (line, [start, end]) in lines.iter().zip(at) {
        let (c1, c2) = if line.ends[0].1 == line.ends[1].1 {
            // Within a row: an arc above it, higher for longer moves.
            let rise = (16.0 + (end.x - start.x).abs() * 0.12).min(ARC_RISE);
            (
                Point::new(start.x, start.y - rise),
                Point::new(end.x, end.y - rise),
            )
        } else {
            let half = (end.y - start.y) / 2.0;
            (
                Point::new(start.x, start.y + half),
                Point::new(end.x, end.y - half),
            )
        };
        if line.edge.kind != EdgeKind::Lateral {
            // The middle of the curve.
            let mid = Point::new(
                (start.x + 3.0 * c1.x + 3.0 * c2.x + end.x) / 8.0,
                (start.y + 3.0 * c1.y + 3.0 * c2.y + end.y) / 8.0,
            );
            drawing.labels.push((mid, edge_label(line.edge)));
        }
        drawing.edges.push(DrawnEdge {
            kind: line.edge.kind,
            path: [(start, c1), (c2, end)],
            head: (line.both_ways, true),
        });
    }
}
