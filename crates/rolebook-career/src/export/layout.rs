//! Where `layout-rs` puts the view's boxes, edge labels and lines: it lays
//! out a layered (Graphviz-like) graph and hands the result to a
//! [`RenderBackend`]; [`Drawing`] is a backend that only records, so that
//! `svg` can draw it our way rather than with layout-rs's own writer.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use layout::core::base::Orientation;
use layout::core::color::Color;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::{LineStyleKind, StyleAttr};
use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
use layout::topo::layout::VisualGraph;

use super::{INK, View, edge_label, level_name};
use crate::graph::{CareerGraph, Edge, EdgeKind};

/// Font sizes of a role's title, its level and the edge labels: boxes are
/// sized for them here, and `svg` draws the text at them.
pub(super) const TITLE_SIZE: f64 = 14.0;
pub(super) const LEVEL_SIZE: f64 = 11.0;
pub(super) const LABEL_SIZE: usize = 11;
/// A generous average advance of a character, in ems, for sans-serif
/// fonts (Helvetica, Arial, Inter): sizes boxes and the canvas so that no
/// text reaches past them.
const CHAR_EM: f64 = 0.56;
const BOX_PAD_X: f64 = 14.0;
const BOX_HEIGHT: f64 = 46.0;

fn colour(web: &str) -> Color {
    Color::fast(web)
}

/// How wide `text` is at `size`, generously estimated.
pub(super) fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * CHAR_EM
}

/// A line between two roles as the layout routed it.
#[derive(Debug)]
pub(super) struct DrawnEdge {
    pub(super) kind: EdgeKind,
    /// `(point, control)` pairs, as layout-rs hands them to a backend:
    /// the first is the exit vector, the rest entry vectors.
    pub(super) path: Vec<(Point, Point)>,
    pub(super) head: (bool, bool),
}

/// Everything the layout placed: layout-rs calls this backend, which only
/// records; `svg` draws.
#[derive(Debug, Default)]
pub(super) struct Drawing {
    /// (view node, top left, size)
    pub(super) nodes: Vec<(usize, Point, Point)>,
    /// Edge labels at their centre.
    pub(super) labels: Vec<(Point, String)>,
    pub(super) edges: Vec<DrawnEdge>,
    /// The centre of the box just drawn: the text drawn next at the same
    /// place is that box's label.
    last_box: Option<Point>,
}

impl RenderBackend for Drawing {
    fn draw_rect(
        &mut self,
        xy: Point,
        size: Point,
        _look: &StyleAttr,
        properties: Option<String>,
        _clip: Option<ClipHandle>,
    ) {
        if let Some(node) = properties.and_then(|p| p.parse::<usize>().ok()) {
            self.nodes.push((node, xy, size));
            self.last_box = Some(Point::new(xy.x + size.x / 2.0, xy.y + size.y / 2.0));
        }
    }

    fn draw_line(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_circle(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_text(&mut self, xy: Point, text: &str, _look: &StyleAttr) {
        if let Some(centre) = self.last_box.take()
            && (centre.x - xy.x).abs() < 0.5
            && (centre.y - xy.y).abs() < 0.5
        {
            return;
        }
        if !text.trim().is_empty() {
            self.labels.push((xy, text.to_string()));
        }
    }

    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        _dashed: bool,
        head: (bool, bool),
        _look: &StyleAttr,
        properties: Option<String>,
        _text: &str,
    ) {
        // The kind's label, as `visual_graph` set it.
        let kind = match properties.as_deref() {
            Some("lateral") => EdgeKind::Lateral,
            Some("implied") => EdgeKind::Implied,
            _ => EdgeKind::Next,
        };
        if path.len() >= 2 {
            self.edges.push(DrawnEdge {
                kind,
                path: path.to_vec(),
                head,
            });
        }
    }

    fn create_clip(&mut self, _: Point, _: Point, _: usize) -> ClipHandle {
        0
    }
}

/// The view laid out, or `None` where layout-rs fails even without its
/// placement passes.
///
/// layout-rs 0.1.3 can fail an internal assertion in its last, cosmetic
/// pass (edge straightening after Brandes-Köpf placement) on some graphs.
/// When it does, the drawing is laid out again without the placement
/// passes: the same layers and order, with rows aligned left. The failed
/// attempt is caught and kept quiet; see [`quietly`].
pub(super) fn lay_out(graph: &CareerGraph<'_>, view: &View) -> Option<Drawing> {
    let attempt = |no_placement: bool| {
        quietly(|| {
            let mut vg = visual_graph(graph, view);
            let mut drawing = Drawing::default();
            vg.do_it(false, false, no_placement, &mut drawing);
            drawing
        })
    };
    attempt(false).or_else(|| attempt(true))
}

thread_local! {
    /// Set while this thread runs a layout inside [`quietly`].
    static IN_LAYOUT: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, turning a panic into `None` without the panic message: the
/// panic hook is wrapped (once per process) so that it stays silent only
/// for a thread inside this function, and delegates to the previous hook
/// otherwise. Needs unwinding panics, the default for this workspace.
fn quietly<T>(f: impl FnOnce() -> T) -> Option<T> {
    static WRAP_HOOK: Once = Once::new();
    WRAP_HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !IN_LAYOUT.with(Cell::get) {
                previous(info);
            }
        }));
    });
    IN_LAYOUT.with(|flag| flag.set(true));
    // Nothing built inside `f` outlives a panic, so no broken state is seen.
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    IN_LAYOUT.with(|flag| flag.set(false));
    result.ok()
}

/// The size of a role's box: its title at [`TITLE_SIZE`] over its level
/// at [`LEVEL_SIZE`].
fn box_size(title: &str, level: &str) -> Point {
    let width = text_width(title, TITLE_SIZE).max(text_width(level, LEVEL_SIZE)) + 2.0 * BOX_PAD_X;
    Point::new(width.ceil(), BOX_HEIGHT)
}

/// The boxes and lines to lay out. Each box carries its view node in its
/// properties, each line the kind of its move, for [`Drawing`].
fn visual_graph(graph: &CareerGraph<'_>, view: &View) -> VisualGraph {
    let orientation = Orientation::TopToBottom;
    let mut vg = VisualGraph::new(orientation);
    let look = StyleAttr::new(colour("#333333"), 1, None, 6, TITLE_SIZE as usize);
    let mut handles = Vec::with_capacity(view.nodes.len());
    for &node in &view.nodes {
        let role = graph.role(node);
        let shape = ShapeKind::new_box(role.title.as_str());
        let size = box_size(&role.title, &level_name(graph, node));
        let element = Element::create_with_properties(
            shape,
            look.clone(),
            orientation,
            size,
            node.to_string(),
        );
        handles.push((node, vg.add_node(element)));
    }
    let handle = |node: usize| {
        handles
            .binary_search_by_key(&node, |(n, _)| *n)
            .ok()
            .map(|i| handles[i].1)
    };
    // One line per pair of roles, whatever moves connect them: the
    // layout misplaces parallel edges (and can fail on them). The line is
    // styled by its strongest move (next, then implied, then lateral) and
    // gets a head at each end that some move leads to.
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
    // Edge labels become boxes of their own in the layout, sized from
    // this font size.
    let label_look = StyleAttr::new(colour(INK), 1, None, 0, LABEL_SIZE);
    for moves in pairs.values() {
        let Some(edge) = moves.iter().min_by_key(|e| strength(e.kind)) else {
            continue;
        };
        let both_ways = moves.len() > 1;
        let (Some(from), Some(to)) = (handle(edge.from), handle(edge.to)) else {
            continue;
        };
        let back = if both_ways {
            LineEndKind::Arrow
        } else {
            LineEndKind::None
        };
        let mut arrow = match edge.kind {
            // Drawn from the senior role down, so that the layered layout
            // puts senior roles on top; the head stays on the target.
            EdgeKind::Next | EdgeKind::Implied => {
                let label = edge_label(edge);
                Arrow::new(
                    LineEndKind::Arrow,
                    back,
                    LineStyleKind::Normal,
                    &label,
                    &label_look,
                    &None,
                    &None,
                )
            }
            // Lateral moves carry no label: the layout has no way to keep
            // sideways edges from adding rows, and labels on them double
            // the drawing's width. DOT, Mermaid and `rolebook next` give
            // their gaps.
            EdgeKind::Lateral => Arrow::new(
                back,
                LineEndKind::Arrow,
                LineStyleKind::Normal,
                "",
                &label_look,
                &None,
                &None,
            ),
        };
        arrow.properties = Some(edge.kind.label().to_string());
        match edge.kind {
            EdgeKind::Next | EdgeKind::Implied => vg.add_edge(arrow, to, from),
            EdgeKind::Lateral => vg.add_edge(arrow, from, to),
        }
    }
    vg
}
