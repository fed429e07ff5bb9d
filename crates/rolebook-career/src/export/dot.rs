//! Graphviz DOT, for drawing the graph with Graphviz: families become
//! clusters, and each edge's tooltip carries the evidence for the move.

use std::fmt::Write;

use rolebook_core::escape::xml;

use super::{MUTED_INK, View, by_family, edge_label, fill, level_name};
use crate::gap::GAP_FORMULA;
use crate::graph::{CareerGraph, EdgeKind};

fn dot_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Graphviz DOT. Families become clusters; tooltips carry the evidence.
pub fn to_dot(graph: &CareerGraph<'_>, view: &View) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// rolebook career graph. Edge labels are skill gaps: {GAP_FORMULA}."
    );
    let _ = writeln!(
        out,
        "// Solid: next move; dashed: lateral move; dotted: implied by the framework (same family, next rank up)."
    );
    out.push_str("digraph career {\n");
    out.push_str("  graph [rankdir=BT, fontname=\"Helvetica\", fontsize=11, newrank=true];\n");
    out.push_str(
        "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n",
    );
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
    for (id, name, nodes) in by_family(graph, view) {
        let _ = writeln!(
            out,
            "  subgraph {} {{",
            dot_string(&format!("cluster_{id}"))
        );
        let _ = writeln!(out, "    label={};", dot_string(&name));
        for node in nodes {
            let role = graph.role(node);
            let focus = view.focus == Some(node);
            // The level goes under the title, smaller and muted, so that a
            // title naming its level ("SRE Manager") does not read twice.
            let _ = writeln!(
                out,
                "    {} [label=<{}<BR/><FONT POINT-SIZE=\"9\" COLOR=\"{MUTED_INK}\">{}</FONT>>, fillcolor={}{}];",
                dot_string(&role.id),
                xml(&role.title),
                xml(&level_name(graph, node)),
                dot_string(fill(graph, view, node)),
                if focus { ", penwidth=2" } else { "" }
            );
        }
        out.push_str("  }\n");
    }
    for edge in view.edges(graph) {
        let evidence: Vec<String> = graph
            .evidence(edge)
            .iter()
            .map(|e| match &e.note {
                Some(note) if e.field == "levels" => note.clone(),
                _ => e.location(),
            })
            .collect();
        let style = match edge.kind {
            EdgeKind::Next => "",
            // Sideways moves should not push roles up or down a rank.
            EdgeKind::Lateral => ", style=dashed, constraint=false",
            EdgeKind::Implied => ", style=dotted",
        };
        let _ = writeln!(
            out,
            "  {} -> {} [label={}, tooltip={}{style}];",
            dot_string(&graph.role(edge.from).id),
            dot_string(&graph.role(edge.to).id),
            dot_string(&edge_label(edge)),
            dot_string(&format!("{}: {}", edge.kind.label(), evidence.join("; ")))
        );
    }
    out.push_str("}\n");
    out
}
