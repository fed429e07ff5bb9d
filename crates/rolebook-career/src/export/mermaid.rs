//! A Mermaid flowchart, for Markdown that renders Mermaid (GitHub, GitLab,
//! many wikis): families become subgraphs.

use std::fmt::Write;

use rolebook_core::escape;

use super::{FOCUS_FILL, View, by_family, edge_label, level_name};
use crate::gap::GAP_FORMULA;
use crate::graph::{CareerGraph, EdgeKind};

fn mermaid_id(prefix: &str, id: &str) -> String {
    // Ids are kebab-case, so mapping '-' to '_' keeps them distinct.
    format!("{prefix}_{}", id.replace('-', "_"))
}

/// A Mermaid flowchart. Families become subgraphs.
pub fn to_mermaid(graph: &CareerGraph<'_>, view: &View) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "%% rolebook career graph. Edge labels are skill gaps: {GAP_FORMULA}."
    );
    out.push_str("flowchart BT\n");
    for (id, name, nodes) in by_family(graph, view) {
        let _ = writeln!(
            out,
            "  subgraph {}[\"{}\"]",
            mermaid_id("f", &id),
            escape::mermaid(&name)
        );
        for node in nodes {
            let role = graph.role(node);
            let _ = writeln!(
                out,
                "    {}[\"{}<br/><small>{}</small>\"]",
                mermaid_id("r", &role.id),
                escape::mermaid(&role.title),
                escape::mermaid(&level_name(graph, node))
            );
        }
        out.push_str("  end\n");
    }
    for edge in view.edges(graph) {
        let arrow = match edge.kind {
            EdgeKind::Next => "-->",
            EdgeKind::Lateral | EdgeKind::Implied => "-.->",
        };
        let _ = writeln!(
            out,
            "  {} {arrow}|\"{}\"| {}",
            mermaid_id("r", &graph.role(edge.from).id),
            escape::mermaid(&edge_label(edge)),
            mermaid_id("r", &graph.role(edge.to).id)
        );
    }
    if let Some(focus) = view.focus {
        let _ = writeln!(
            out,
            "  classDef focus fill:{FOCUS_FILL},stroke:#333,stroke-width:2px"
        );
        let _ = writeln!(
            out,
            "  class {} focus",
            mermaid_id("r", &graph.role(focus).id)
        );
    }
    out
}
