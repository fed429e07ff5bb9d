//! The catalog model: the exact shape of the TOML files, and the types every
//! other crate reads.
//!
//! Fields that diagnostics point at (ids and references) are wrapped in
//! [`At`], which remembers where in its file the value was written. Everything
//! else is plain data. Unknown keys are rejected everywhere.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::{Deref, Range};

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value together with the byte range of the file it was read from.
///
/// Serialises and describes itself (JSON Schema) exactly like `T`, so the
/// span is invisible outside diagnostics.
#[derive(Clone)]
pub struct At<T> {
    value: T,
    span: Range<usize>,
}

impl<T> At<T> {
    pub fn new(value: T, span: Range<usize>) -> Self {
        At { value, span }
    }

    /// A value that was not read from a file (generated catalogs, tests).
    pub fn detached(value: T) -> Self {
        At { value, span: 0..0 }
    }

    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T> Deref for At<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

// Equality, order and hash ignore the span: two ids are the same id wherever
// they were written.
impl<T: PartialEq> PartialEq for At<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: Eq> Eq for At<T> {}

impl<T: PartialOrd> PartialOrd for At<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        self.value.partial_cmp(&other.value)
    }
}

impl<T: Ord> Ord for At<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}

impl<T: std::hash::Hash> std::hash::Hash for At<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl<T: fmt::Debug> fmt::Debug for At<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<T: fmt::Display> fmt::Display for At<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

// Text formats (TOML, JSON) see the value alone, and TOML tells its span
// through `serde_spanned`'s protocol. A binary format is the catalog
// snapshot ([`crate::snapshot`]), which keeps the span as a compact
// `(start, end, value)`.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for At<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if !deserializer.is_human_readable() {
            let (start, end, value) = <(usize, usize, T)>::deserialize(deserializer)?;
            return Ok(At {
                value,
                span: start..end,
            });
        }
        let spanned = serde_spanned::Spanned::<T>::deserialize(deserializer)?;
        let span = spanned.span();
        Ok(At {
            value: spanned.into_inner(),
            span,
        })
    }
}

impl<T: Serialize> Serialize for At<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            self.value.serialize(serializer)
        } else {
            (self.span.start, self.span.end, &self.value).serialize(serializer)
        }
    }
}

impl<T: JsonSchema> JsonSchema for At<T> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

/// A calendar date as written in TOML (`2026-11-26`): a TOML date-time
/// with a time or an offset, or a time alone, is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date(toml::value::Date);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = toml::value::Datetime::deserialize(deserializer)?;
        match value {
            toml::value::Datetime {
                date: Some(date),
                time: None,
                offset: None,
            } => Ok(Date(date)),
            other => Err(serde::de::Error::custom(format!(
                "expected a date such as 2026-11-26, not `{other}`"
            ))),
        }
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            return serializer.collect_str(self);
        }
        // The snapshot: what `Deserialize` above reads back.
        toml::value::Datetime {
            date: Some(self.0),
            time: None,
            offset: None,
        }
        .serialize(serializer)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

// ---------------------------------------------------------------- framework

/// `framework.toml`: levels, families and the proficiency scale.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub levels: Vec<Level>,
    pub families: Vec<Family>,
    /// The proficiency scale skills are measured on: exactly levels 1 to 5.
    pub proficiency: Vec<Proficiency>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub id: At<String>,
    pub name: String,
    /// Ordering for career moves; higher is more senior.
    pub rank: u8,
    pub track: Track,
    /// The SFIA 9 level of responsibility this level corresponds to (1 to 7).
    pub sfia_level: At<u8>,
    pub autonomy: String,
    pub influence: String,
    pub complexity: String,
    /// The span of control in words; `direct_reports_min` and `_max` are
    /// its checkable part.
    pub span_of_control: String,
    /// The fewest direct reports a manager at this level is expected to
    /// have; fewer reads as a micro team or a missing flattening.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct_reports_min: Option<At<u16>>,
    /// The most direct reports a manager at this level can lead well; 0
    /// for levels with no reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct_reports_max: Option<At<u16>>,
    pub budget: String,
    pub time_horizon: String,
}

impl Level {
    /// The expected number of direct reports, when the level gives one:
    /// `(min, max)`, either open.
    pub fn direct_reports(&self) -> (Option<u16>, Option<u16>) {
        (
            self.direct_reports_min.as_ref().map(|n| **n),
            self.direct_reports_max.as_ref().map(|n| **n),
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Track {
    Management,
    Executive,
    IndividualContributor,
}

impl Track {
    pub fn label(self) -> &'static str {
        match self {
            Track::Management => "management",
            Track::Executive => "executive",
            Track::IndividualContributor => "individual contributor",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Family {
    pub id: At<String>,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Proficiency {
    pub level: At<u8>,
    pub name: String,
    pub descriptor: String,
}

// ------------------------------------------------------------------- skills

/// A `skills.toml` or `skills/*.toml` file.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SkillFile {
    pub skills: Vec<Skill>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Skill {
    pub id: At<String>,
    pub name: String,
    pub category: SkillCategory,
    pub description: String,
    /// What each proficiency level looks like for this skill, keyed by level
    /// ("1" to "5"). Must cover every level a role requires.
    pub levels: BTreeMap<At<String>, String>,
    /// SFIA 9 skill code, e.g. `ITSP`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sfia_code: Option<String>,
    /// ESCO skill URI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub esco_uri: Option<String>,
}

impl Skill {
    /// The descriptor of one proficiency level, if the skill defines it.
    pub fn level_descriptor(&self, level: u8) -> Option<&str> {
        self.levels
            .iter()
            .find(|(key, _)| key.parse::<u8>().ok() == Some(level))
            .map(|(_, text)| text.as_str())
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum SkillCategory {
    Leadership,
    Business,
    Technical,
    Domain,
}

impl SkillCategory {
    pub fn label(self) -> &'static str {
        match self {
            SkillCategory::Leadership => "leadership",
            SkillCategory::Business => "business",
            SkillCategory::Technical => "technical",
            SkillCategory::Domain => "domain",
        }
    }
}

// --------------------------------------------------------------------- KPIs

/// A `kpis.toml` or `kpis/*.toml` file.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KpiFile {
    pub kpis: Vec<Kpi>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Kpi {
    pub id: At<String>,
    pub name: String,
    pub category: String,
    pub definition: String,
    pub formula: String,
    pub unit: String,
    pub direction: Direction,
    pub cadence: String,
    pub data_sources: Vec<String>,
    /// How the KPI gets gamed or misread.
    pub pitfalls: Vec<String>,
    #[serde(default)]
    pub benchmarks: Vec<Benchmark>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
    WithinBand,
}

impl Direction {
    pub fn label(self) -> &'static str {
        match self {
            Direction::HigherIsBetter => "higher is better",
            Direction::LowerIsBetter => "lower is better",
            Direction::WithinBand => "within a band",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Benchmark {
    /// A value or a range.
    pub value: String,
    /// What the value means.
    pub meaning: String,
    pub source: String,
    pub year: u16,
}

// -------------------------------------------------------------------- roles

/// `roles/<id>.toml`: one role blueprint.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub id: At<String>,
    pub title: At<String>,
    #[serde(default)]
    pub aliases: Vec<At<String>>,
    pub family: At<String>,
    pub level: At<String>,
    pub summary: String,
    pub purpose: String,
    /// Interview evidence that a candidate can do this job.
    #[serde(default)]
    pub hiring_signals: Vec<String>,
    /// How holders of this role commonly fail.
    #[serde(default)]
    pub failure_modes: Vec<String>,
    pub scope: Scope,
    #[serde(default)]
    pub responsibilities: Vec<ResponsibilityArea>,
    #[serde(default)]
    pub decisions: Decisions,
    #[serde(default)]
    pub skills: Vec<SkillRequirement>,
    #[serde(default)]
    pub kpis: Vec<KpiOwnership>,
    #[serde(default)]
    pub career: Career,
    #[serde(default)]
    pub qualifications: Qualifications,
    #[serde(default)]
    pub success: Success,
    #[serde(default)]
    pub crosswalk: Crosswalk,
    pub provenance: Provenance,
    #[serde(default, skip_serializing_if = "LintSettings::is_empty")]
    pub lint: LintSettings,
}

impl Role {
    /// Every responsibility item, in file order, with its area.
    pub fn responsibility_items(&self) -> impl Iterator<Item = (&str, &str)> {
        self.responsibilities.iter().flat_map(|area| {
            area.items
                .iter()
                .map(move |item| (area.area.as_str(), item.as_str()))
        })
    }

    pub fn skill_level(&self, skill_id: &str) -> Option<u8> {
        self.skills
            .iter()
            .find(|req| req.skill.as_str() == skill_id)
            .map(|req| *req.level)
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    #[serde(default)]
    pub reports_to: Vec<RoleRef>,
    pub direct_reports: String,
    /// Services, teams, systems or portfolio covered.
    pub span: String,
    pub org_size: String,
    pub budget: String,
    pub time_horizon: String,
    /// When organisations use this title and how it differs from neighbours.
    #[serde(default)]
    pub context: String,
    #[serde(default)]
    pub in_scope: Vec<String>,
    /// What belongs to a neighbouring role, and which.
    #[serde(default)]
    pub out_of_scope: Vec<String>,
}

/// A role inside the catalog (`role`) or outside it (`title`), with a note.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleRef {
    /// A catalog role id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<At<String>>,
    /// A title outside the catalog.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<At<String>>,
    /// For career moves: what the move requires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl RoleRef {
    /// The catalog role id, when the reference is to a catalog role.
    pub fn role_id(&self) -> Option<&str> {
        self.role.as_deref().map(String::as_str)
    }

    /// The text to show: the external title, or the role id when internal.
    pub fn label(&self) -> &str {
        match (&self.title, &self.role) {
            (Some(title), _) => title.as_str(),
            (None, Some(role)) => role.as_str(),
            (None, None) => "",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponsibilityArea {
    pub area: String,
    pub items: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decisions {
    #[serde(default)]
    pub decides: Vec<String>,
    #[serde(default)]
    pub recommends: Vec<String>,
    #[serde(default)]
    pub consulted: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SkillRequirement {
    pub skill: At<String>,
    /// Required level on the proficiency scale (1 to 5).
    pub level: At<u8>,
    pub importance: Importance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Importance {
    Core,
    Supporting,
}

impl Importance {
    /// `core` or `supporting`, as the catalog files write it.
    pub fn label(self) -> &'static str {
        match self {
            Importance::Core => "core",
            Importance::Supporting => "supporting",
        }
    }

    pub fn is_core(self) -> bool {
        self == Importance::Core
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KpiOwnership {
    pub kpi: At<String>,
    /// This role's target.
    pub target: String,
    /// Why this role owns the KPI.
    pub why: String,
    /// Whether the role answers for the number or adds to a number another
    /// role answers for; accountable unless the file says otherwise.
    #[serde(default, skip_serializing_if = "Accountability::is_accountable")]
    pub accountability: Accountability,
}

/// A role's stake in a KPI it lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Accountability {
    /// The number is the role's to deliver at its scope: it holds the
    /// levers and answers for the result (a manager, a director and a VP
    /// can each be accountable for the same KPI at their own scope).
    #[default]
    Accountable,
    /// Another role answers for the number; this one supplies part of it
    /// (runs a programme, fixes findings, provides a service).
    Contributes,
}

impl Accountability {
    pub fn is_accountable(&self) -> bool {
        *self == Accountability::Accountable
    }

    pub fn label(self) -> &'static str {
        match self {
            Accountability::Accountable => "accountable",
            Accountability::Contributes => "contributes",
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Career {
    #[serde(default)]
    pub feeders: Vec<RoleRef>,
    #[serde(default)]
    pub next: Vec<RoleRef>,
    #[serde(default)]
    pub lateral: Vec<RoleRef>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Qualifications {
    #[serde(default)]
    pub experience: Vec<String>,
    #[serde(default)]
    pub certifications: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub education: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Success {
    #[serde(default)]
    pub days_90: Vec<String>,
    #[serde(default)]
    pub months_12: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Crosswalk {
    /// O*NET-SOC code, e.g. `11-3021.00`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onet_soc: Option<At<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onet_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub esco_occupation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub esco_title: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    #[schemars(with = "String")]
    pub last_reviewed: Date,
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LintSettings {
    /// Lint findings this role suppresses, each with a reason.
    #[serde(default)]
    pub allow: Vec<LintAllow>,
}

impl LintSettings {
    fn is_empty(&self) -> bool {
        self.allow.is_empty()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LintAllow {
    /// The lint rule, e.g. `inclusive-language`.
    pub rule: At<String>,
    /// The matched text the suppression applies to.
    pub text: String,
    pub reason: String,
}

// ------------------------------------------------------------- organisation

/// `organisation.toml` (optional): what makes the framework the
/// organisation's own. Shown by the web app, exports, job postings and the
/// static site.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// The organisation's name, in page titles, headers and document
    /// footers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The organisation's website (https://…), for job postings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<At<String>>,
    /// The home page's introduction; a blank line starts a new paragraph.
    /// Prose: it may refer to roles (`{role:ID}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intro: Option<String>,
    /// The organisation's names for the framework's levels, by level id
    /// (`director = "Director (L7)"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub levels: BTreeMap<At<String>, String>,
    /// The organisation's names for the framework's families, by family id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub families: BTreeMap<At<String>, String>,
    /// What every job posting says unless a posting says otherwise.
    #[serde(default)]
    pub posting: PostingDefaults,
}

/// Company-wide text of job postings, typed once.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PostingDefaults {
    /// About the organisation: who it is, what it builds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    /// Where people work and how (on-site, hybrid, remote), in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_model: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub benefits: Vec<String>,
    /// The equal-opportunity statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equal_opportunity: Option<String>,
    /// How to apply: a link, an address, the steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub how_to_apply: Option<String>,
}
