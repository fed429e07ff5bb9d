//! rolebook-career: career analysis over a validated catalog.
//!
//! Start from a [`Career`] (a catalog indexed for analysis). From it come
//! role diffs ([`Career::diff`]), skill gaps of moves ([`Career::move_gap`]),
//! and, for a person's [`Profile`], the gap to a target role
//! ([`Career::assess`]) and every role ranked by readiness
//! ([`Career::fit`]). A [`CareerGraph`] built from it ranks the moves from a
//! role ([`CareerGraph::next`]) and finds the paths with the smallest total
//! gap ([`CareerGraph::paths`]). Every report is plain data (serde
//! `Serialize`) with text and Markdown renderers in [`render`]; the graph
//! exports to DOT, Mermaid and SVG ([`export`]) and an assessment draws as a
//! radar chart ([`radar`]).
//!
//! This crate does no I/O: a profile is parsed from text handed to it, and
//! every output is a `String`.

pub mod assess;
pub mod diff;
pub mod export;
pub mod gap;
pub mod graph;
mod index;
pub mod path;
pub mod profile;
pub mod radar;
pub mod render;
#[cfg(test)]
mod testing;

pub use assess::{Assessment, Fit, READINESS_FORMULA};
pub use diff::RoleDiff;
pub use gap::{Career, GAP_FORMULA, Gap, RoleInfo, SkillLine};
pub use graph::{CareerGraph, EdgeKind, Evidence, Move, NextReport};
pub use path::{CareerPath, PATH_FORMULA, PathReport};
pub use profile::{ParsedProfile, Profile, parse_profile};
