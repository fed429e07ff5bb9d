//! Text that follows the catalog: references in prose.
//!
//! Prose names roles, skills, KPIs and targets by reference, so that a
//! retitled role or a changed target reads right everywhere without editing
//! every sentence that mentions it:
//!
//! | written              | becomes                                        |
//! |----------------------|------------------------------------------------|
//! | `{role}`             | the title of the role the text belongs to      |
//! | `{role:ID}`          | the title of role ID                           |
//! | `{skill:ID}`         | the name of skill ID                           |
//! | `{kpi:ID}`           | the name of KPI ID                             |
//! | `{target:KPI}`       | the text's own role's target for KPI           |
//! | `{target:ROLE/KPI}`  | role ROLE's target for KPI                     |
//! | `{{`                 | a literal `{`                                  |
//!
//! Every other `{` starts a reference; a `}` on its own is text. Titles,
//! names and targets are never references themselves, so resolving is one
//! pass with no recursion.
//!
//! [`parse`] splits a string into text and references, [`Lookup`] knows
//! the catalog's current names, and [`resolve`] writes the text people
//! read. Validation reports every bad reference at its place; the
//! [`Catalog`](crate::Catalog) holds resolved text, so every surface shows
//! the current titles and targets, and keeps the text as written for lint
//! and for editing.

use foldhash::HashMap;
use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use crate::model::{Framework, Kpi, Organisation, Role, Skill};

/// One reference, as written between braces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reference<'a> {
    /// `{role}`: the title of the role the text belongs to.
    OwnTitle,
    /// `{role:ID}`.
    Role(&'a str),
    /// `{skill:ID}`.
    Skill(&'a str),
    /// `{kpi:ID}`.
    Kpi(&'a str),
    /// `{target:KPI}` (`role` is `None`) or `{target:ROLE/KPI}`.
    Target { role: Option<&'a str>, kpi: &'a str },
}

/// A piece of prose: text as written, or a reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    /// The reference and where it is written (braces included), in bytes
    /// of the string.
    Ref(Reference<'a>, Range<usize>),
}

/// Why a reference cannot be read or resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProseError {
    /// Where in the string, in bytes (braces included).
    pub span: Range<usize>,
    /// A short code: `invalid-reference` or `unknown-reference`.
    pub code: &'static str,
    pub message: String,
    pub hint: String,
}

/// The kinds a reference can name, for messages and suggestions.
pub const KINDS: &[&str] = &["role", "skill", "kpi", "target"];

/// Splits `text` into pieces. Syntax errors are collected, not stopped at:
/// a bad reference is reported and read as text.
pub fn parse(text: &str) -> (Vec<Piece<'_>>, Vec<ProseError>) {
    let mut pieces = Vec::new();
    let mut errors = Vec::new();
    if !text.contains('{') {
        if !text.is_empty() {
            pieces.push(Piece::Text(text));
        }
        return (pieces, errors);
    }
    let mut rest_start = 0;
    let mut cursor = 0;
    while let Some(found) = text[cursor..].find('{') {
        let open = cursor + found;
        if text[open + 1..].starts_with('{') {
            // `{{`: the text before it and one literal brace.
            push_text(&mut pieces, &text[rest_start..open + 1]);
            cursor = open + 2;
            rest_start = cursor;
            continue;
        }
        let Some(close) = text[open..].find('}').map(|i| open + i) else {
            errors.push(ProseError {
                span: open..text.len(),
                code: "invalid-reference",
                message: "`{` starts a reference that is never closed".to_string(),
                hint: "close it with `}`, or write `{{` for a literal brace".to_string(),
            });
            break;
        };
        let span = open..close + 1;
        let inner = &text[open + 1..close];
        match read_reference(inner) {
            Ok(reference) => {
                push_text(&mut pieces, &text[rest_start..open]);
                pieces.push(Piece::Ref(reference, span));
                rest_start = close + 1;
            }
            Err((message, hint)) => errors.push(ProseError {
                span,
                code: "invalid-reference",
                message,
                hint,
            }),
        }
        cursor = close + 1;
    }
    push_text(&mut pieces, &text[rest_start..]);
    (pieces, errors)
}

fn push_text<'a>(pieces: &mut Vec<Piece<'a>>, text: &'a str) {
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
}

fn read_reference(inner: &str) -> Result<Reference<'_>, (String, String)> {
    fn id<'a>(
        inner: &str,
        kind: &str,
        argument: Option<&'a str>,
    ) -> Result<&'a str, (String, String)> {
        match argument {
            Some(id) if is_id(id) => Ok(id),
            Some(id) => Err((
                format!("`{{{inner}}}`: `{id}` is not an id"),
                "ids are lowercase words joined by hyphens, as in `{role:sre-manager}`".to_string(),
            )),
            None => Err((
                format!("`{{{kind}}}` needs an id"),
                format!(
                    "write `{{{kind}:ID}}`, for example `{{{kind}:{}}}`",
                    example(kind)
                ),
            )),
        }
    }
    let (kind, argument) = match inner.split_once(':') {
        Some((kind, argument)) => (kind, Some(argument)),
        None => (inner, None),
    };
    match kind {
        "role" if argument.is_none() => Ok(Reference::OwnTitle),
        "role" => id(inner, kind, argument).map(Reference::Role),
        "skill" => id(inner, kind, argument).map(Reference::Skill),
        "kpi" => id(inner, kind, argument).map(Reference::Kpi),
        "target" => {
            let argument = id_or_pair(argument);
            match argument {
                Some((role, kpi)) if role.is_none_or(is_id) && is_id(kpi) => {
                    Ok(Reference::Target { role, kpi })
                }
                _ => Err((
                    format!("`{{{inner}}}` is not a target reference"),
                    "write `{target:KPI}` for this role's target or `{target:ROLE/KPI}` for another role's".to_string(),
                )),
            }
        }
        _ => {
            let hint = match crate::suggest::did_you_mean(kind, KINDS.iter().copied()) {
                Some(close) => format!("did you mean `{close}`? A literal brace is written `{{{{`"),
                None => "references are {role}, {role:ID}, {skill:ID}, {kpi:ID} and {target:KPI}; a literal brace is written `{{`".to_string(),
            };
            Err((format!("`{{{inner}}}` is not a reference"), hint))
        }
    }
}

fn id_or_pair(argument: Option<&str>) -> Option<(Option<&str>, &str)> {
    let argument = argument?;
    Some(match argument.split_once('/') {
        Some((role, kpi)) => (Some(role), kpi),
        None => (None, argument),
    })
}

fn example(kind: &str) -> &'static str {
    match kind {
        "skill" => "incident-management",
        "kpi" | "target" => "mean-time-to-restore",
        _ => "sre-manager",
    }
}

fn is_id(text: &str) -> bool {
    !text.is_empty() && crate::suggest::is_kebab_case(text)
}

/// The catalog's current names and targets: what references resolve to.
#[derive(Debug, Default)]
pub struct Lookup<'a> {
    pub role_titles: HashMap<&'a str, &'a str>,
    pub skill_names: HashMap<&'a str, &'a str>,
    pub kpi_names: HashMap<&'a str, &'a str>,
    /// (role id, KPI id) → that role's target.
    pub targets: HashMap<(&'a str, &'a str), &'a str>,
}

impl<'a> Lookup<'a> {
    pub fn new(
        roles: impl IntoIterator<Item = &'a Role>,
        skills: impl IntoIterator<Item = &'a Skill>,
        kpis: impl IntoIterator<Item = &'a Kpi>,
    ) -> Self {
        let mut lookup = Lookup::default();
        for role in roles {
            lookup
                .role_titles
                .insert(role.id.as_str(), role.title.as_str());
            for owned in &role.kpis {
                lookup.targets.insert(
                    (role.id.as_str(), owned.kpi.as_str()),
                    owned.target.as_str(),
                );
            }
        }
        for skill in skills {
            lookup
                .skill_names
                .insert(skill.id.as_str(), skill.name.as_str());
        }
        for kpi in kpis {
            lookup.kpi_names.insert(kpi.id.as_str(), kpi.name.as_str());
        }
        lookup
    }

    /// What one reference reads as, in text owned by role `own` (none for
    /// skills, KPIs and the framework).
    pub fn text_of(
        &self,
        reference: Reference<'_>,
        own: Option<&str>,
    ) -> Result<&'a str, ProseError> {
        let unknown = |what: &str, id: &str, known: Vec<&str>| {
            let hint = match crate::suggest::did_you_mean(id, known.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("no {what} id is close; `rolebook list` shows the catalog"),
            };
            ProseError {
                span: 0..0,
                code: "unknown-reference",
                message: format!("no {what} has the id `{id}`"),
                hint,
            }
        };
        let keys = |map: &HashMap<&'a str, &'a str>| map.keys().copied().collect::<Vec<_>>();
        match reference {
            Reference::OwnTitle => {
                let own = own.ok_or_else(|| only_in_roles("{role}"))?;
                self.role_titles
                    .get(own)
                    .copied()
                    .ok_or_else(|| unknown("role", own, keys(&self.role_titles)))
            }
            Reference::Role(id) => self
                .role_titles
                .get(id)
                .copied()
                .ok_or_else(|| unknown("role", id, keys(&self.role_titles))),
            Reference::Skill(id) => self
                .skill_names
                .get(id)
                .copied()
                .ok_or_else(|| unknown("skill", id, keys(&self.skill_names))),
            Reference::Kpi(id) => self
                .kpi_names
                .get(id)
                .copied()
                .ok_or_else(|| unknown("KPI", id, keys(&self.kpi_names))),
            Reference::Target { role, kpi } => {
                let role = match role {
                    Some(role) => role,
                    None => own.ok_or_else(|| only_in_roles("{target:KPI}"))?,
                };
                if !self.role_titles.contains_key(role) {
                    return Err(unknown("role", role, keys(&self.role_titles)));
                }
                if let Some(target) = self.targets.get(&(role, kpi)) {
                    return Ok(target);
                }
                let owned: Vec<&str> = self
                    .targets
                    .keys()
                    .filter(|(r, _)| *r == role)
                    .map(|(_, k)| *k)
                    .collect();
                let hint = match crate::suggest::did_you_mean(kpi, owned.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None if owned.is_empty() => format!("`{role}` owns no KPI"),
                    None => {
                        let mut owned = owned;
                        owned.sort_unstable();
                        format!("`{role}` has targets for: {}", owned.join(", "))
                    }
                };
                Err(ProseError {
                    span: 0..0,
                    code: "unknown-reference",
                    message: format!("role `{role}` has no target for KPI `{kpi}`"),
                    hint,
                })
            }
        }
    }

    /// The text people read: every reference replaced by what it names.
    /// Errors are collected, with their place in `text`; a reference that
    /// fails stays as written.
    pub fn resolve<'t>(&self, text: &'t str, own: Option<&str>) -> (Cow<'t, str>, Vec<ProseError>) {
        if !text.contains('{') {
            return (Cow::Borrowed(text), Vec::new());
        }
        let (pieces, mut errors) = parse(text);
        let mut out = String::with_capacity(text.len() + 16);
        for piece in pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Ref(reference, span) => match self.text_of(reference, own) {
                    Ok(t) => out.push_str(t),
                    Err(mut error) => {
                        error.span = span.clone();
                        errors.push(error);
                        out.push_str(&text[span]);
                    }
                },
            }
        }
        errors.sort_by_key(|e| e.span.start);
        (Cow::Owned(out), errors)
    }
}

fn only_in_roles(what: &str) -> ProseError {
    ProseError {
        span: 0..0,
        code: "invalid-reference",
        message: format!("`{what}` names the text's own role, and this text belongs to no role"),
        hint: "outside role files, name the role: `{role:ID}` or `{target:ROLE/KPI}`".to_string(),
    }
}

// ------------------------------------------------------------ prose fields

/// Calls `f` on every prose field of a role, in file order: the fields that
/// may hold references. Ids, titles, aliases, targets, crosswalks, sources
/// and lint settings are not prose.
macro_rules! visit_role {
    ($role:expr, $f:expr, $($mut_:tt)?) => {{
        let role = $role;
        let f = $f;
        f(& $($mut_)? role.summary);
        f(& $($mut_)? role.purpose);
        for text in & $($mut_)? role.hiring_signals { f(text); }
        for text in & $($mut_)? role.failure_modes { f(text); }
        let scope = & $($mut_)? role.scope;
        for reference in & $($mut_)? scope.reports_to {
            if let Some(note) = & $($mut_)? reference.note { f(note); }
        }
        f(& $($mut_)? scope.direct_reports);
        f(& $($mut_)? scope.span);
        f(& $($mut_)? scope.org_size);
        f(& $($mut_)? scope.budget);
        f(& $($mut_)? scope.time_horizon);
        f(& $($mut_)? scope.context);
        for text in & $($mut_)? scope.in_scope { f(text); }
        for text in & $($mut_)? scope.out_of_scope { f(text); }
        for area in & $($mut_)? role.responsibilities {
            f(& $($mut_)? area.area);
            for item in & $($mut_)? area.items { f(item); }
        }
        let decisions = & $($mut_)? role.decisions;
        for text in & $($mut_)? decisions.decides { f(text); }
        for text in & $($mut_)? decisions.recommends { f(text); }
        for text in & $($mut_)? decisions.consulted { f(text); }
        for owned in & $($mut_)? role.kpis { f(& $($mut_)? owned.why); }
        let career = & $($mut_)? role.career;
        for list in [& $($mut_)? career.feeders, & $($mut_)? career.next, & $($mut_)? career.lateral] {
            for reference in list {
                if let Some(note) = & $($mut_)? reference.note { f(note); }
            }
        }
        let qualifications = & $($mut_)? role.qualifications;
        for text in & $($mut_)? qualifications.experience { f(text); }
        for text in & $($mut_)? qualifications.certifications { f(text); }
        for text in & $($mut_)? qualifications.education { f(text); }
        for text in & $($mut_)? role.success.days_90 { f(text); }
        for text in & $($mut_)? role.success.months_12 { f(text); }
    }};
}

/// Every prose field of a role, in file order.
pub fn role_prose(role: &Role, mut f: impl FnMut(&String)) {
    visit_role!(role, &mut f,);
}

/// Every prose field of a role, to rewrite in place.
pub fn role_prose_mut(role: &mut Role, mut f: impl FnMut(&mut String)) {
    visit_role!(role, &mut f, mut);
}

/// Every prose field of a skill: its description and level descriptions.
pub fn skill_prose(skill: &Skill, mut f: impl FnMut(&String)) {
    f(&skill.description);
    for text in skill.levels.values() {
        f(text);
    }
}

/// Every prose field of a skill, to rewrite in place.
pub fn skill_prose_mut(skill: &mut Skill, mut f: impl FnMut(&mut String)) {
    f(&mut skill.description);
    for text in skill.levels.values_mut() {
        f(text);
    }
}

/// Every prose field of a KPI: its definition and pitfalls.
pub fn kpi_prose(kpi: &Kpi, mut f: impl FnMut(&String)) {
    f(&kpi.definition);
    for text in &kpi.pitfalls {
        f(text);
    }
}

/// Every prose field of a KPI, to rewrite in place.
pub fn kpi_prose_mut(kpi: &mut Kpi, mut f: impl FnMut(&mut String)) {
    f(&mut kpi.definition);
    for text in &mut kpi.pitfalls {
        f(text);
    }
}

/// Every prose field of the framework: level, family and proficiency
/// descriptions.
pub fn framework_prose(framework: &Framework, mut f: impl FnMut(&String)) {
    for level in &framework.levels {
        for text in [
            &level.autonomy,
            &level.influence,
            &level.complexity,
            &level.span_of_control,
            &level.budget,
            &level.time_horizon,
        ] {
            f(text);
        }
    }
    for family in &framework.families {
        f(&family.description);
    }
    for proficiency in &framework.proficiency {
        f(&proficiency.descriptor);
    }
}

fn framework_prose_mut(framework: &mut Framework, mut f: impl FnMut(&mut String)) {
    for level in &mut framework.levels {
        for text in [
            &mut level.autonomy,
            &mut level.influence,
            &mut level.complexity,
            &mut level.span_of_control,
            &mut level.budget,
            &mut level.time_horizon,
        ] {
            f(text);
        }
    }
    for family in &mut framework.families {
        f(&mut family.description);
    }
    for proficiency in &mut framework.proficiency {
        f(&mut proficiency.descriptor);
    }
}

/// Every prose field of the organisation settings: the home page's
/// introduction and the job-posting text.
pub fn organisation_prose(organisation: &Organisation, mut f: impl FnMut(&String)) {
    let posting = &organisation.posting;
    for text in [
        &organisation.intro,
        &posting.about,
        &posting.working_model,
        &posting.equal_opportunity,
        &posting.how_to_apply,
    ]
    .into_iter()
    .flatten()
    {
        f(text);
    }
    for text in &posting.benefits {
        f(text);
    }
}

fn organisation_prose_mut(organisation: &mut Organisation, mut f: impl FnMut(&mut String)) {
    let posting = &mut organisation.posting;
    for text in [
        &mut organisation.intro,
        &mut posting.about,
        &mut posting.working_model,
        &mut posting.equal_opportunity,
        &mut posting.how_to_apply,
    ]
    .into_iter()
    .flatten()
    {
        f(text);
    }
    for text in &mut posting.benefits {
        f(text);
    }
}

/// Rewrites every prose field of a checked catalog with its references
/// resolved. Validation has reported every reference that does not
/// resolve, so a catalog with no errors resolves completely.
pub(crate) fn resolve_all(
    organisation: &mut Organisation,
    framework: &mut Framework,
    skills: &mut [Skill],
    kpis: &mut [Kpi],
    roles: &mut [Arc<Role>],
    lookup: &Lookup<'_>,
) {
    let rewrite = |own: Option<&str>, text: &mut String| {
        if let (Cow::Owned(resolved), _) = lookup.resolve(text, own) {
            *text = resolved;
        }
    };
    organisation_prose_mut(organisation, |t| rewrite(None, t));
    framework_prose_mut(framework, |t| rewrite(None, t));
    for skill in skills {
        skill_prose_mut(skill, |t| rewrite(None, t));
    }
    for kpi in kpis {
        kpi_prose_mut(kpi, |t| rewrite(None, t));
    }
    for role in roles {
        // A role is shared with its text as written: copied only when
        // something in it resolves.
        let mut has_reference = false;
        role_prose(role, |t| has_reference |= t.contains('{'));
        if has_reference {
            let role = Arc::make_mut(role);
            let id = role.id.to_string();
            role_prose_mut(role, |t| rewrite(Some(&id), t));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_one_piece() {
        assert_eq!(parse("no braces").0, vec![Piece::Text("no braces")]);
        assert!(parse("").0.is_empty());
    }

    #[test]
    fn references_and_literal_braces() {
        let (pieces, errors) =
            parse("The {role} reports to the {role:cto}; {{x} at {target:sre-manager/mttr}.");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            pieces,
            vec![
                Piece::Text("The "),
                Piece::Ref(Reference::OwnTitle, 4..10),
                Piece::Text(" reports to the "),
                Piece::Ref(Reference::Role("cto"), 26..36),
                Piece::Text("; {"),
                Piece::Text("x} at "),
                Piece::Ref(
                    Reference::Target {
                        role: Some("sre-manager"),
                        kpi: "mttr"
                    },
                    46..71
                ),
                Piece::Text("."),
            ]
        );
    }

    #[test]
    fn syntax_errors_are_collected_with_their_place() {
        let (_, errors) =
            parse("a {rol:x} b {skill} c {kpi:Not_An_Id} d {target:a/b/c} e {role:open");
        let found: Vec<(&str, Range<usize>)> = errors
            .iter()
            .map(|e| (e.message.as_str(), e.span.clone()))
            .collect();
        assert_eq!(found.len(), 5, "{found:?}");
        assert!(
            errors[0].hint.contains("did you mean `role`"),
            "{:?}",
            errors[0]
        );
        assert_eq!(errors[0].span, 2..9);
        assert!(errors[1].message.contains("needs an id"));
        assert!(errors[2].message.contains("is not an id"));
        assert!(errors[3].message.contains("not a target reference"));
        assert!(errors[4].message.contains("never closed"));
    }

    fn lookup() -> Lookup<'static> {
        let mut lookup = Lookup::default();
        lookup.role_titles.insert("sre-manager", "SRE Manager");
        lookup.role_titles.insert("head-of-it", "Head of IT");
        lookup
            .skill_names
            .insert("slo-engineering", "SLO engineering");
        lookup.kpi_names.insert("toil-share", "Toil share");
        lookup
            .targets
            .insert(("sre-manager", "toil-share"), "At most 35%.");
        lookup
    }

    #[test]
    fn resolves_titles_names_and_targets() {
        let lookup = lookup();
        let (text, errors) = lookup.resolve(
            "The {role} works with the {role:head-of-it} on {skill:slo-engineering}; {kpi:toil-share}: {target:toil-share}",
            Some("sre-manager"),
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            text,
            "The SRE Manager works with the Head of IT on SLO engineering; Toil share: At most 35%."
        );
        let (text, _) = lookup.resolve("{{literal}", None);
        assert_eq!(text, "{literal}");
        assert!(matches!(lookup.resolve("plain", None).0, Cow::Borrowed(_)));
    }

    #[test]
    fn unresolved_references_suggest_and_stay_as_written() {
        let lookup = lookup();
        let (text, errors) = lookup.resolve(
            "{role:sre-manger} {target:toil-shar} {role} {target:head-of-it/toil-share}",
            None,
        );
        assert_eq!(
            text,
            "{role:sre-manger} {target:toil-shar} {role} {target:head-of-it/toil-share}"
        );
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].hint.contains("`sre-manager`"), "{:?}", errors[0]);
        assert_eq!(errors[0].span, 0..17);
        assert!(errors[1].message.contains("belongs to no role"));
        assert!(errors[2].message.contains("belongs to no role"));
        assert!(errors[3].message.contains("no target for KPI"));
        assert!(errors[3].hint.contains("owns no KPI"));
    }
}
