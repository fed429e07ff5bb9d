//! Loading: source files → parsed model → checked, immutable [`Catalog`].
//!
//! [`load`] never stops at the first problem: every file is parsed, every
//! check runs, and all diagnostics come back together. A [`Catalog`] exists
//! only when there is no error, so every other crate can rely on its
//! references being resolvable.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::logo::{Logo, LogoKind};
use crate::model::{
    Family, Framework, Kpi, KpiFile, KpiOwnership, Level, Organisation, Proficiency, Role, Skill,
    SkillFile,
};
use crate::parse::parse_file;
use crate::prose;
use crate::source::{FileId, SourceFile, Sources};
use crate::validate;

/// A validated catalog. Cheap to share behind an `Arc`; never mutated.
#[derive(Debug)]
pub struct Catalog {
    organisation: Organisation,
    logo: Option<Logo>,
    framework: Framework,
    skills: Vec<Skill>,
    kpis: Vec<Kpi>,
    /// Shared with the parses a [`crate::Validator`] keeps and with
    /// [`Written`]: a role is copied only when its prose is resolved.
    roles: Vec<Arc<Role>>,
    role_files: Vec<FileId>,
    skill_files: Vec<FileId>,
    kpi_files: Vec<FileId>,
    /// The catalog as its files write it, when its prose has references:
    /// what lint reads and an editor shows. `None` when no text has a
    /// reference, so a plain catalog is not held twice.
    written: Option<Box<Written>>,
    roles_by_id: HashMap<String, usize>,
    roles_by_name: HashMap<String, usize>,
    skills_by_id: HashMap<String, usize>,
    kpis_by_id: HashMap<String, usize>,
}

/// The outcome of [`load`]: the sources (for rendering diagnostics), every
/// diagnostic, and the catalog when there were no errors.
#[derive(Debug)]
pub struct Loaded {
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
    pub catalog: Option<Catalog>,
}

impl Loaded {
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

/// Everything parsed from the files, before cross-file checks.
#[derive(Debug, Default)]
pub(crate) struct Draft {
    pub organisation: Option<(FileId, Organisation)>,
    pub logo: Option<Logo>,
    pub framework: Option<(FileId, Framework)>,
    // Shared, so that a [`crate::Validator`] lends its kept parses to a
    // check without copying them.
    pub skills: Vec<(FileId, Arc<Skill>)>,
    pub kpis: Vec<(FileId, Arc<Kpi>)>,
    pub roles: Vec<(FileId, Arc<Role>)>,
    /// Ids of entries dropped while parsing; references to them are not
    /// reported again.
    pub dropped_ids: HashSet<String>,
    /// Whether a file of each kind failed to parse at all, so that
    /// references into it are not reported as unknown.
    pub broken_framework: bool,
    pub broken_skill_file: bool,
    pub broken_kpi_file: bool,
    pub broken_role_ids: HashSet<String>,
}

enum FileKind {
    Organisation,
    Logo(LogoKind),
    Framework,
    Skills,
    Kpis,
    Role,
    Unknown,
}

fn classify(path: &str) -> FileKind {
    match path {
        "framework.toml" => FileKind::Framework,
        "organisation.toml" => FileKind::Organisation,
        "skills.toml" => FileKind::Skills,
        "kpis.toml" => FileKind::Kpis,
        _ if LogoKind::of_file_name(path).is_some() => {
            LogoKind::of_file_name(path).map_or(FileKind::Unknown, FileKind::Logo)
        }
        _ => match path.split_once('/') {
            Some(("skills", rest)) if !rest.contains('/') => FileKind::Skills,
            Some(("kpis", rest)) if !rest.contains('/') => FileKind::Kpis,
            Some(("roles", rest)) if !rest.contains('/') => FileKind::Role,
            _ => FileKind::Unknown,
        },
    }
}

/// Parses and checks a catalog, reporting every problem found.
pub fn load(sources: Sources) -> Loaded {
    let (draft, diagnostics) = assemble(&sources, parse_part);
    finish(sources, draft, diagnostics, Prose::Resolved)
}

/// The [`Loaded`] of a checked draft: with its catalog when there is no
/// error.
pub(crate) fn finish(
    sources: Sources,
    draft: Draft,
    diagnostics: Vec<Diagnostic>,
    prose: Prose,
) -> Loaded {
    let has_errors = diagnostics.iter().any(Diagnostic::is_error);
    let catalog = match (has_errors, draft.framework) {
        (false, Some((_, framework))) => Some(Catalog::new(
            draft.organisation.map(|(_, o)| o).unwrap_or_default(),
            draft.logo,
            framework,
            unshared(draft.skills),
            unshared(draft.kpis),
            draft.roles,
            prose,
        )),
        _ => None,
    };
    Loaded {
        sources,
        diagnostics,
        catalog,
    }
}

/// Whether a catalog's prose references are resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Prose {
    /// Resolved, as every view shows them; the text as written is kept
    /// beside ([`Catalog::written_roles`]).
    Resolved,
    /// As written only: a catalog for lint, which reads what the files say.
    /// It costs no copy of a role.
    AsWritten,
}

/// The values of a draft, moved out when nothing else holds them (a
/// plain [`load`]), copied when a [`crate::Validator`] keeps them.
fn unshared<T: Clone>(values: Vec<(FileId, Arc<T>)>) -> Vec<(FileId, T)> {
    values
        .into_iter()
        .map(|(file, value)| (file, Arc::unwrap_or_clone(value)))
        .collect()
}

/// What one file (other than a logo) adds to the [`Draft`], with the
/// problems found in it alone. It depends on the file's path and text and
/// nothing else, which is what lets [`crate::Validator`] keep it between
/// checks.
#[derive(Debug, Clone, Default)]
pub(crate) struct FilePart {
    organisation: Option<Organisation>,
    framework: Option<Framework>,
    skills: Vec<Arc<Skill>>,
    kpis: Vec<Arc<Kpi>>,
    role: Option<Arc<Role>>,
    dropped_ids: Vec<String>,
    broken_framework: bool,
    broken_skill_file: bool,
    broken_kpi_file: bool,
    broken_role_id: Option<String>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Parses one file on its own (a logo is not parsed here: it is checked
/// against the other logo file).
pub(crate) fn parse_part(file: FileId, source: &SourceFile) -> FilePart {
    let mut part = FilePart::default();
    let diagnostics = &mut part.diagnostics;
    if let Some(problem) = source.problem() {
        diagnostics.push(
            Diagnostic::error(problem.code, problem.message.clone())
                .at(file, problem.span.clone())
                .hint(problem.hint),
        );
        // Like a file that does not parse: what it would have defined is
        // not reported again as unknown.
        match classify(&source.path) {
            FileKind::Framework => part.broken_framework = true,
            FileKind::Skills => part.broken_skill_file = true,
            FileKind::Kpis => part.broken_kpi_file = true,
            FileKind::Role => part.broken_role_id = Some(source.stem().to_string()),
            FileKind::Organisation | FileKind::Logo(_) | FileKind::Unknown => {}
        }
        return part;
    }
    match classify(&source.path) {
        FileKind::Organisation => {
            part.organisation = parse_file::<Organisation>(file, &source.text, diagnostics).value;
        }
        // Checked by `assemble`, which sees both logo files.
        FileKind::Logo(_) => {}
        FileKind::Framework => {
            let parsed = parse_file::<Framework>(file, &source.text, diagnostics);
            part.broken_framework = parsed.value.is_none() || !parsed.dropped_ids.is_empty();
            part.dropped_ids = parsed.dropped_ids;
            part.framework = parsed.value;
        }
        FileKind::Skills => {
            let parsed = parse_file::<SkillFile>(file, &source.text, diagnostics);
            part.broken_skill_file = parsed.value.is_none();
            part.dropped_ids = parsed.dropped_ids;
            part.skills = parsed
                .value
                .map(|f| f.skills.into_iter().map(Arc::new).collect())
                .unwrap_or_default();
        }
        FileKind::Kpis => {
            let parsed = parse_file::<KpiFile>(file, &source.text, diagnostics);
            part.broken_kpi_file = parsed.value.is_none();
            part.dropped_ids = parsed.dropped_ids;
            part.kpis = parsed
                .value
                .map(|f| f.kpis.into_iter().map(Arc::new).collect())
                .unwrap_or_default();
        }
        FileKind::Role => {
            let parsed = parse_file::<Role>(file, &source.text, diagnostics);
            match parsed.value {
                Some(role) => part.role = Some(Arc::new(role)),
                None => part.broken_role_id = Some(source.stem().to_string()),
            }
        }
        FileKind::Unknown => diagnostics.push(
            Diagnostic::warning("unknown-file", format!("`{}` is not a catalog file and was ignored", source.path))
                .at(file, 0..0)
                .hint("catalog files are organisation.toml, framework.toml, skills.toml, kpis.toml, skills/*.toml, kpis/*.toml and roles/*.toml"),
        ),
    }
    part
}

impl FilePart {
    /// Moves the part into the draft.
    /// Moves the part into the draft as file `file`: a part kept from an
    /// earlier check may have been parsed under another id, and its
    /// diagnostics only ever point into its own file.
    fn add_to(self, file: FileId, draft: &mut Draft, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.extend(self.diagnostics.into_iter().map(|mut diagnostic| {
            if diagnostic.file.is_some() {
                diagnostic.file = Some(file);
            }
            for related in &mut diagnostic.related {
                related.file = file;
            }
            diagnostic
        }));
        if self.organisation.is_some() {
            draft.organisation = self.organisation.map(|o| (file, o));
        }
        if self.framework.is_some() {
            draft.framework = self.framework.map(|f| (file, f));
        }
        draft
            .skills
            .extend(self.skills.into_iter().map(|s| (file, s)));
        draft.kpis.extend(self.kpis.into_iter().map(|k| (file, k)));
        draft.roles.extend(self.role.map(|r| (file, r)));
        draft.dropped_ids.extend(self.dropped_ids);
        draft.broken_framework |= self.broken_framework;
        draft.broken_skill_file |= self.broken_skill_file;
        draft.broken_kpi_file |= self.broken_kpi_file;
        draft.broken_role_ids.extend(self.broken_role_id);
    }
}

/// Parses every file (each through `part`, which parses it or hands back
/// a copy of an earlier parse of the same text) and runs the cross-file checks: the
/// one path to a catalog's diagnostics, for [`load`] and
/// [`crate::Validator`] alike.
pub(crate) fn assemble<'s>(
    sources: &'s Sources,
    mut part: impl FnMut(FileId, &'s SourceFile) -> FilePart,
) -> (Draft, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut draft = Draft::default();
    for problem in &sources.directory_problems {
        diagnostics.push(
            Diagnostic::error("unreadable-directory", problem.clone())
                .hint("catalog files under it were not read; fix its permissions or links"),
        );
    }
    for (file, source) in sources.iter() {
        if let (None, FileKind::Logo(kind)) = (source.problem(), classify(&source.path)) {
            check_logo(sources, file, kind, &mut draft, &mut diagnostics);
            continue;
        }
        part(file, source).add_to(file, &mut draft, &mut diagnostics);
    }
    if draft.framework.is_none() && !draft.broken_framework {
        diagnostics.push(
            Diagnostic::error("missing-file", "the catalog has no framework.toml")
                .hint("every catalog needs framework.toml with its levels, families and proficiency scale; `rolebook init DIR` writes a starting point"),
        );
        draft.broken_framework = true;
    }
    validate::check(sources, &draft, &mut diagnostics);
    sort_diagnostics(&mut diagnostics);
    (draft, diagnostics)
}

/// Checks the logo file `file` of `kind` ([`crate::logo`]); a valid one
/// becomes the draft's logo. A second logo file is an error at itself.
fn check_logo(
    sources: &Sources,
    file: FileId,
    kind: LogoKind,
    draft: &mut Draft,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let other = LogoKind::ALL.into_iter().find(|k| *k != kind);
    let both = other.is_some_and(|other| sources.find(other.file_name()).is_some());
    if both && kind == LogoKind::Png {
        diagnostics.push(
            Diagnostic::error("two-logos", "the catalog has both logo.svg and logo.png")
                .at(file, 0..0)
                .hint("keep one: logo.svg scales best"),
        );
        return;
    }
    let bytes = match sources.logo() {
        Some(logo) if logo.kind == kind => logo.bytes.clone(),
        _ => sources.file(file).text.as_bytes().to_vec(),
    };
    match Logo::new(kind, bytes) {
        Ok(logo) => draft.logo = Some(logo),
        Err(problem) => diagnostics.push(
            Diagnostic::error("invalid-logo", problem.message)
                .at(file, problem.span)
                .hint(problem.hint),
        ),
    }
}

/// Whether any prose of the catalog holds a reference (or a `{{`).
fn has_references(
    organisation: &Organisation,
    framework: &Framework,
    skills: &[Skill],
    kpis: &[Kpi],
    roles: &[Arc<Role>],
) -> bool {
    let mut found = false;
    let mut seen = |text: &String| found |= text.contains('{');
    prose::organisation_prose(organisation, &mut seen);
    prose::framework_prose(framework, &mut seen);
    skills.iter().for_each(|s| prose::skill_prose(s, &mut seen));
    kpis.iter().for_each(|k| prose::kpi_prose(k, &mut seen));
    roles.iter().for_each(|r| prose::role_prose(r, &mut seen));
    found
}

/// File order, then position, so output is stable and reads top to bottom.
fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.file.is_some(), a.file, a.span.start, a.code).cmp(&(
            b.file.is_some(),
            b.file,
            b.span.start,
            b.code,
        ))
    });
}

/// A title or alias in the form used for case-insensitive lookup.
pub fn normalise_name(name: &str) -> String {
    name.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The catalog's model as written in its files, references unresolved.
#[derive(Debug)]
struct Written {
    framework: Framework,
    skills: Vec<Skill>,
    kpis: Vec<Kpi>,
    roles: Vec<Arc<Role>>,
}

/// The id and title of a role, for messages and links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleName {
    pub id: String,
    pub title: String,
}

/// No role has the id, title or alias that was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRole {
    pub query: String,
    /// The closest roles, best first; may be empty.
    pub suggestions: Vec<RoleName>,
}

impl std::fmt::Display for UnknownRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no role matches `{}`", self.query)?;
        if self.suggestions.is_empty() {
            return write!(f, "; `rolebook list` shows every role");
        }
        let names: Vec<String> = self
            .suggestions
            .iter()
            .map(|r| format!("{} ({})", r.title, r.id))
            .collect();
        write!(f, "; did you mean {}?", names.join(", or "))
    }
}

impl std::error::Error for UnknownRole {}

/// Which roles a listing shows: by family id and level id, both optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleFilter {
    pub family: Option<String>,
    pub level: Option<String>,
}

impl RoleFilter {
    pub fn matches(&self, role: &Role) -> bool {
        self.family
            .as_deref()
            .is_none_or(|f| role.family.as_str() == f)
            && self
                .level
                .as_deref()
                .is_none_or(|l| role.level.as_str() == l)
    }
}

/// A [`RoleFilter`] named a family or level the catalog does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownFilterValue {
    /// `family` or `level`.
    pub field: &'static str,
    pub value: String,
    /// Every id the field can take.
    pub known: Vec<String>,
}

impl std::fmt::Display for UnknownFilterValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unknown {} `{}`; known: {}",
            self.field,
            self.value,
            self.known.join(", ")
        )
    }
}

impl std::error::Error for UnknownFilterValue {}

impl Catalog {
    fn new(
        mut organisation: Organisation,
        logo: Option<Logo>,
        mut framework: Framework,
        skills: Vec<(FileId, Skill)>,
        kpis: Vec<(FileId, Kpi)>,
        mut roles: Vec<(FileId, Arc<Role>)>,
        prose: Prose,
    ) -> Self {
        let mut skills = skills;
        skills.sort_by(|a, b| a.1.id.cmp(&b.1.id));
        let (skill_files, skills): (Vec<FileId>, Vec<Skill>) = skills.into_iter().unzip();
        let mut kpis = kpis;
        kpis.sort_by(|a, b| a.1.id.cmp(&b.1.id));
        let (kpi_files, kpis): (Vec<FileId>, Vec<Kpi>) = kpis.into_iter().unzip();
        roles.sort_by(|a, b| a.1.id.cmp(&b.1.id));
        let (role_files, mut roles): (Vec<FileId>, Vec<Arc<Role>>) = roles.into_iter().unzip();
        let (mut skills, mut kpis) = (skills, kpis);
        let written = (prose == Prose::Resolved
            && has_references(&organisation, &framework, &skills, &kpis, &roles))
        .then(|| {
            let written = Box::new(Written {
                framework: framework.clone(),
                skills: skills.clone(),
                kpis: kpis.clone(),
                roles: roles.clone(),
            });
            let lookup = prose::Lookup::new(
                written.roles.iter().map(|r| &**r),
                &written.skills,
                &written.kpis,
            );
            prose::resolve_all(
                &mut organisation,
                &mut framework,
                &mut skills,
                &mut kpis,
                &mut roles,
                &lookup,
            );
            drop(lookup);
            written
        });
        // The organisation's names for levels and families are the names
        // every view shows; validation checked that the ids exist.
        for level in &mut framework.levels {
            if let Some((_, name)) = organisation
                .levels
                .iter()
                .find(|(id, _)| id.as_str() == level.id.as_str())
            {
                level.name = name.clone();
            }
        }
        for family in &mut framework.families {
            if let Some((_, name)) = organisation
                .families
                .iter()
                .find(|(id, _)| id.as_str() == family.id.as_str())
            {
                family.name = name.clone();
            }
        }

        let roles_by_id = roles
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.to_string(), i))
            .collect();
        let mut roles_by_name = HashMap::new();
        for (i, role) in roles.iter().enumerate() {
            roles_by_name.insert(normalise_name(&role.title), i);
            for alias in &role.aliases {
                roles_by_name.entry(normalise_name(alias)).or_insert(i);
            }
        }
        let skills_by_id = skills
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.to_string(), i))
            .collect();
        let kpis_by_id = kpis
            .iter()
            .enumerate()
            .map(|(i, k)| (k.id.to_string(), i))
            .collect();
        Catalog {
            organisation,
            logo,
            framework,
            skills,
            kpis,
            roles,
            role_files,
            skill_files,
            kpi_files,
            written,
            roles_by_id,
            roles_by_name,
            skills_by_id,
            kpis_by_id,
        }
    }

    pub fn framework(&self) -> &Framework {
        &self.framework
    }

    pub fn levels(&self) -> &[Level] {
        &self.framework.levels
    }

    pub fn families(&self) -> &[Family] {
        &self.framework.families
    }

    pub fn proficiency(&self) -> &[Proficiency] {
        &self.framework.proficiency
    }

    /// The organisation's settings (`organisation.toml`), empty when the
    /// catalog has none; prose references resolved.
    pub fn organisation(&self) -> &Organisation {
        &self.organisation
    }

    /// The organisation's logo (`logo.svg` or `logo.png`), checked by
    /// [`crate::logo`]; `None` when the catalog has none.
    pub fn logo(&self) -> Option<&Logo> {
        self.logo.as_ref()
    }

    /// The framework as written in its file: prose references unresolved.
    /// Lint reads this; every view reads [`Catalog::framework`].
    pub fn written_framework(&self) -> &Framework {
        self.written
            .as_ref()
            .map_or(&self.framework, |w| &w.framework)
    }

    /// Roles as written (sorted by id, like [`Catalog::roles`]).
    pub fn written_roles(&self) -> &[Arc<Role>] {
        self.written.as_ref().map_or(&self.roles, |w| &w.roles)
    }

    /// Skills as written (sorted by id).
    pub fn written_skills(&self) -> &[Skill] {
        self.written.as_ref().map_or(&self.skills, |w| &w.skills)
    }

    /// KPIs as written (sorted by id).
    pub fn written_kpis(&self) -> &[Kpi] {
        self.written.as_ref().map_or(&self.kpis, |w| &w.kpis)
    }

    /// Roles sorted by id, their prose references resolved.
    pub fn roles(&self) -> &[Arc<Role>] {
        &self.roles
    }

    /// Skills sorted by id.
    pub fn skills(&self) -> &[Skill] {
        &self.skills
    }

    /// KPIs sorted by id.
    pub fn kpis(&self) -> &[Kpi] {
        &self.kpis
    }

    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles_by_id.get(id).map(|&i| &*self.roles[i])
    }

    /// The file a role was read from.
    pub fn role_file(&self, id: &str) -> Option<FileId> {
        self.roles_by_id.get(id).map(|&i| self.role_files[i])
    }

    /// The file a skill was read from.
    pub fn skill_file(&self, id: &str) -> Option<FileId> {
        self.skills_by_id.get(id).map(|&i| self.skill_files[i])
    }

    /// The file a KPI was read from.
    pub fn kpi_file(&self, id: &str) -> Option<FileId> {
        self.kpis_by_id.get(id).map(|&i| self.kpi_files[i])
    }

    pub fn skill(&self, id: &str) -> Option<&Skill> {
        self.skills_by_id.get(id).map(|&i| &self.skills[i])
    }

    pub fn kpi(&self, id: &str) -> Option<&Kpi> {
        self.kpis_by_id.get(id).map(|&i| &self.kpis[i])
    }

    pub fn level(&self, id: &str) -> Option<&Level> {
        self.framework.levels.iter().find(|l| l.id.as_str() == id)
    }

    pub fn family(&self, id: &str) -> Option<&Family> {
        self.framework.families.iter().find(|f| f.id.as_str() == id)
    }

    pub fn proficiency_level(&self, level: u8) -> Option<&Proficiency> {
        self.framework
            .proficiency
            .iter()
            .find(|p| *p.level == level)
    }

    /// A role by id, title or alias, ignoring case and extra spaces.
    pub fn find_role(&self, query: &str) -> Option<&Role> {
        let query = query.trim();
        self.role(query)
            .or_else(|| self.role(&query.to_lowercase()))
            .or_else(|| {
                self.roles_by_name
                    .get(&normalise_name(query))
                    .map(|&i| &*self.roles[i])
            })
    }

    /// A role by id, title or alias; otherwise an [`UnknownRole`] that
    /// names the closest roles. Every front end (CLI, web, API) looks roles
    /// up through this, so they all suggest the same roles.
    pub fn lookup_role(&self, query: &str) -> Result<&Role, UnknownRole> {
        self.find_role(query).ok_or_else(|| UnknownRole {
            query: query.to_string(),
            suggestions: self
                .suggest_roles(query)
                .into_iter()
                .map(|r| RoleName {
                    id: r.id.to_string(),
                    title: r.title.to_string(),
                })
                .collect(),
        })
    }

    /// The roles that pass `filter`, sorted by id; an error when the filter
    /// names a family or level the catalog does not have.
    pub fn filter_roles(&self, filter: &RoleFilter) -> Result<Vec<&Role>, UnknownFilterValue> {
        if let Some(family) = &filter.family
            && self.family(family).is_none()
        {
            return Err(UnknownFilterValue {
                field: "family",
                value: family.clone(),
                known: self.families().iter().map(|f| f.id.to_string()).collect(),
            });
        }
        if let Some(level) = &filter.level
            && self.level(level).is_none()
        {
            return Err(UnknownFilterValue {
                field: "level",
                value: level.clone(),
                known: self.levels().iter().map(|l| l.id.to_string()).collect(),
            });
        }
        Ok(self
            .roles
            .iter()
            .map(|r| &**r)
            .filter(|r| filter.matches(r))
            .collect())
    }

    /// Role ids, titles and aliases closest to `query`, for "did you mean".
    pub fn suggest_roles(&self, query: &str) -> Vec<&Role> {
        let query = normalise_name(query);
        let mut scored: Vec<(f64, &Role)> = self
            .roles
            .iter()
            .map(|r| &**r)
            .map(|role| {
                let names = std::iter::once(role.id.as_str())
                    .chain(std::iter::once(role.title.as_str()))
                    .chain(role.aliases.iter().map(|a| a.as_str()));
                let score = names
                    .map(|name| {
                        let name = normalise_name(name);
                        let sim = strsim::jaro_winkler(&query, &name);
                        if name.contains(&query) || query.contains(&name) {
                            sim.max(0.85)
                        } else {
                            sim
                        }
                    })
                    .fold(0.0, f64::max);
                (score, role)
            })
            .filter(|(score, _)| *score >= 0.75)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
        // Only the close contenders of the best match: a clear typo of one
        // title should not also suggest every role that shares a word.
        let best = scored.first().map_or(0.0, |(score, _)| *score);
        scored
            .into_iter()
            .take_while(|(score, _)| *score >= best - 0.04)
            .take(3)
            .map(|(_, role)| role)
            .collect()
    }

    /// Roles that require a skill, with the required level, highest first.
    pub fn roles_requiring_skill(&self, skill_id: &str) -> Vec<(&Role, u8)> {
        let mut out: Vec<(&Role, u8)> = self
            .roles
            .iter()
            .map(|r| &**r)
            .filter_map(|role| role.skill_level(skill_id).map(|level| (role, level)))
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));
        out
    }

    /// Roles that own a KPI, with their target, as [`Catalog::kpi_owners`]
    /// orders them.
    pub fn roles_owning_kpi(&self, kpi_id: &str) -> Vec<(&Role, &str)> {
        self.kpi_owners(kpi_id)
            .into_iter()
            .map(|(role, own)| (role, own.target.as_str()))
            .collect()
    }

    /// The roles that own a KPI, each with its ownership (target, why),
    /// up the ladder: by level from the most junior, then by title. A
    /// manager's target reads before the director's it rolls up into,
    /// which is how a KPI's owners are compared. Every page, document and
    /// API answer that lists a KPI's owners lists them in this order.
    pub fn kpi_owners(&self, kpi_id: &str) -> Vec<(&Role, &KpiOwnership)> {
        let mut owners: Vec<(&Role, &KpiOwnership)> = self
            .roles
            .iter()
            .filter_map(|role| {
                let own = role.kpis.iter().find(|own| own.kpi.as_str() == kpi_id)?;
                Some((&**role, own))
            })
            .collect();
        let rank = |role: &Role| self.level(&role.level).map_or(0, |level| level.rank);
        owners.sort_by(|(a, _), (b, _)| {
            rank(a)
                .cmp(&rank(b))
                .then_with(|| a.title.as_str().cmp(b.title.as_str()))
        });
        owners
    }

    /// Skill ids no role requires, KPI ids no role owns: catalog hygiene.
    pub fn unused(&self) -> (BTreeSet<&str>, BTreeSet<&str>) {
        let used_skills: HashSet<&str> = self
            .roles
            .iter()
            .flat_map(|r| r.skills.iter().map(|s| s.skill.as_str()))
            .collect();
        let used_kpis: HashSet<&str> = self
            .roles
            .iter()
            .flat_map(|r| r.kpis.iter().map(|k| k.kpi.as_str()))
            .collect();
        (
            self.skills
                .iter()
                .map(|s| s.id.as_str())
                .filter(|id| !used_skills.contains(id))
                .collect(),
            self.kpis
                .iter()
                .map(|k| k.id.as_str())
                .filter(|id| !used_kpis.contains(id))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> Catalog {
        load(crate::builtin::sources())
            .catalog
            .expect("the built-in catalog loads")
    }

    #[test]
    fn kpi_owners_read_up_the_ladder() {
        let catalog = builtin();
        let owners: Vec<&str> = catalog
            .kpi_owners("mean-time-to-restore")
            .iter()
            .map(|(role, _)| role.id.as_str())
            .collect();
        let at = |id: &str| owners.iter().position(|o| *o == id).expect("an owner");
        // Alphabetically the director would come first.
        assert!(at("sre-manager") < at("sre-director"), "{owners:?}");
        for kpi in catalog.kpis() {
            let owners = catalog.kpi_owners(&kpi.id);
            let ranks: Vec<u8> = owners
                .iter()
                .map(|(role, _)| catalog.level(&role.level).expect("a level").rank)
                .collect();
            assert!(ranks.is_sorted(), "{}: {ranks:?}", kpi.id.as_str());
            for (role, own) in owners {
                assert_eq!(own.kpi.as_str(), kpi.id.as_str(), "{}", role.id.as_str());
            }
        }
    }
}
