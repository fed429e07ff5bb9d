//! rolebook-wire: the one JSON shape of each thing rolebook describes.
//!
//! A role, a skill, a KPI, the framework, a career move, a path, a role
//! comparison and a title resolution each have exactly one representation, defined here and used
//! by every front end: `rolebook show --format json`, `rolebook export
//! --format json`, the HTTP API under `/api/v1` (whose OpenAPI document is
//! derived from these types) and the static site. The catalog model
//! (`rolebook_core::model`) is the file format and may change with it; the
//! types here are a public contract and change only with [`ROLE_FORMAT`]
//! and a line in the CHANGELOG.
//!
//! Every type is built from a valid catalog (and `rolebook-career`'s
//! reports) by an `of` function or a `From` impl; nothing here does I/O.

pub mod career;
pub mod kpi;
pub mod resolution;
pub mod role;
pub mod skill;

pub use career::{
    CareerView, Comparison, Evidence, Gap, GapLine, Move, MoveKind, OutsideMove, Path, PathPerson,
    Paths, RoleDiff, SoleOwner,
};
pub use kpi::{Benchmark, Kpi, KpiList, KpiOwner, KpiSummary};
pub use resolution::{CandidateDto, ExplanationDto, MatchStatusDto, Resolution};
pub use role::{
    Family, Framework, Importance, Level, Proficiency, ROLE_FORMAT, Role, RoleLink, RoleList,
    RoleSummary,
};
pub use skill::{Skill, SkillHolder, SkillLevel, SkillList, SkillSummary};
