//! Cross-file checks: ids, references, scales, titles and the career graph.
//!
//! Every check pushes diagnostics and carries on; nothing here returns early
//! on a problem, so one run reports them all.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::ops::Range;

use crate::catalog::{Draft, normalise_name};
use crate::diagnostic::Diagnostic;
use crate::lint::RULES;
use crate::model::{At, Role, RoleRef};
use crate::source::{FileId, Sources};
use crate::suggest::{did_you_mean, is_kebab_case, to_kebab_case};

/// Where an id was first defined, to point at both copies of a duplicate.
type FirstSeen = HashMap<String, (FileId, Range<usize>)>;

pub(crate) fn check(sources: &Sources, draft: &Draft, out: &mut Vec<Diagnostic>) {
    let scale = check_framework(draft, out);
    check_skills(draft, out);
    check_kpis(draft, out);
    check_roles(sources, draft, &scale, out);
    check_career_graph(draft, out);
    check_reporting_cycles(draft, out);
    check_prose(sources, draft, out);
    check_organisation(draft, out);
}

/// The organisation's level and family names are for levels and families
/// the framework has; its website is an address.
fn check_organisation(draft: &Draft, out: &mut Vec<Diagnostic>) {
    let Some((file, organisation)) = &draft.organisation else {
        return;
    };
    let file = *file;
    if draft.broken_framework {
        return;
    }
    let framework = draft.framework.as_ref().map(|(_, f)| f);
    let levels: Vec<&str> = framework
        .map(|f| f.levels.iter().map(|x| x.id.as_str()).collect())
        .unwrap_or_default();
    let families: Vec<&str> = framework
        .map(|f| f.families.iter().map(|x| x.id.as_str()).collect())
        .unwrap_or_default();
    for id in organisation.levels.keys() {
        if !levels.contains(&id.as_str()) {
            unknown_reference(file, id, "level", levels.iter().copied(), out);
        }
    }
    for id in organisation.families.keys() {
        if !families.contains(&id.as_str()) {
            unknown_reference(file, id, "family", families.iter().copied(), out);
        }
    }
    for (what, name) in organisation
        .levels
        .iter()
        .map(|(id, name)| (("level", id), name))
        .chain(
            organisation
                .families
                .iter()
                .map(|(id, name)| (("family", id), name)),
        )
    {
        if name.trim().is_empty() {
            out.push(
                Diagnostic::error("empty-name", format!("the {} name for `{}` is empty", what.0, what.1.as_str()))
                    .at(file, what.1.span())
                    .hint("give the organisation's name for it, or remove the line to keep the framework's"),
            );
        }
    }
    if let Some(url) = &organisation.website
        && !url.starts_with("https://")
    {
        out.push(
            Diagnostic::error(
                "invalid-value",
                format!("website `{}` is not an https:// address", url.as_str()),
            )
            .at(file, url.span())
            .hint("write the full address, starting with https:// (job postings link to it)"),
        );
    }
}

fn check_id(file: FileId, id: &At<String>, what: &str, out: &mut Vec<Diagnostic>) {
    if !is_kebab_case(id) {
        out.push(
            Diagnostic::error(
                "invalid-id",
                format!("{what} id `{}` is not kebab-case", id.as_str()),
            )
            .at(file, id.span())
            .label("ids are lowercase words joined by hyphens")
            .hint(format!("write `{}`", to_kebab_case(id))),
        );
    }
}

fn check_unique(
    file: FileId,
    id: &At<String>,
    what: &str,
    seen: &mut FirstSeen,
    out: &mut Vec<Diagnostic>,
) {
    match seen.get(id.as_str()) {
        Some((first_file, first_span)) => out.push(
            Diagnostic::error(
                "duplicate-id",
                format!("{what} `{}` is defined twice", id.as_str()),
            )
            .at(file, id.span())
            .label("defined again here")
            .related(*first_file, first_span.clone(), "first defined here")
            .hint(format!(
                "rename one of them or merge them; {what} ids must be unique across the catalog"
            )),
        ),
        None => {
            seen.insert(id.to_string(), (file, id.span()));
        }
    }
}

/// The proficiency levels defined by the framework (normally 1 to 5).
struct Scale {
    levels: HashSet<u8>,
    max: u8,
}

fn check_framework(draft: &Draft, out: &mut Vec<Diagnostic>) -> Scale {
    let Some((file, framework)) = &draft.framework else {
        return Scale {
            levels: (1..=5).collect(),
            max: 5,
        };
    };
    let file = *file;
    let mut seen = FirstSeen::new();
    for level in &framework.levels {
        check_id(file, &level.id, "level", out);
        check_unique(file, &level.id, "level", &mut seen, out);
        if !(1..=7).contains(&*level.sfia_level) {
            out.push(
                Diagnostic::error("out-of-range", format!("SFIA level {} is outside 1 to 7", *level.sfia_level))
                    .at(file, level.sfia_level.span())
                    .hint("SFIA 9 defines seven levels of responsibility, from 1 (Follow) to 7 (Set strategy, inspire, mobilise)"),
            );
        }
        if let (Some(min), Some(max)) = (&level.direct_reports_min, &level.direct_reports_max)
            && **min > **max
        {
            out.push(
                Diagnostic::error(
                    "out-of-range",
                    format!(
                        "`direct_reports_min` ({}) is above `direct_reports_max` ({})",
                        **min, **max
                    ),
                )
                .at(file, min.span())
                .hint("the fewest direct reports expected at this level must not exceed the most"),
            );
        }
    }
    let mut seen = FirstSeen::new();
    for family in &framework.families {
        check_id(file, &family.id, "family", out);
        check_unique(file, &family.id, "family", &mut seen, out);
    }
    let mut levels = HashSet::new();
    for proficiency in &framework.proficiency {
        let level = *proficiency.level;
        if !(1..=5).contains(&level) {
            out.push(
                Diagnostic::error(
                    "out-of-range",
                    format!("proficiency level {level} is outside 1 to 5"),
                )
                .at(file, proficiency.level.span())
                .hint("the proficiency scale has exactly the levels 1, 2, 3, 4 and 5"),
            );
        } else if !levels.insert(level) {
            out.push(
                Diagnostic::error(
                    "duplicate-id",
                    format!("proficiency level {level} is defined twice"),
                )
                .at(file, proficiency.level.span()),
            );
        }
    }
    let missing: Vec<String> = (1..=5u8)
        .filter(|l| !levels.contains(l))
        .map(|l| l.to_string())
        .collect();
    if !missing.is_empty() && !draft.broken_framework {
        out.push(
            Diagnostic::error(
                "incomplete-scale",
                format!("the proficiency scale lacks level {}", missing.join(", ")),
            )
            .at(file, 0..0)
            .hint("add a [[proficiency]] table for each missing level"),
        );
    }
    let max = levels.iter().copied().max().unwrap_or(5);
    Scale { levels, max }
}

fn check_skills(draft: &Draft, out: &mut Vec<Diagnostic>) {
    let mut seen = FirstSeen::new();
    for (file, skill) in &draft.skills {
        check_id(*file, &skill.id, "skill", out);
        check_unique(*file, &skill.id, "skill", &mut seen, out);
        for key in skill.levels.keys() {
            if !matches!(key.parse::<u8>(), Ok(1..=5)) {
                out.push(
                    Diagnostic::error(
                        "out-of-range",
                        format!("skill level `{}` is not on the 1 to 5 scale", key.as_str()),
                    )
                    .at(*file, key.span())
                    .hint("keys of [skills.levels] are the proficiency levels 1 to 5"),
                );
            }
        }
    }
}

fn check_kpis(draft: &Draft, out: &mut Vec<Diagnostic>) {
    let mut seen = FirstSeen::new();
    for (file, kpi) in &draft.kpis {
        check_id(*file, &kpi.id, "KPI", out);
        check_unique(*file, &kpi.id, "KPI", &mut seen, out);
    }
}

/// Reports a reference to an id that does not exist, with a suggestion.
fn unknown_reference<'a>(
    file: FileId,
    reference: &At<String>,
    what: &str,
    known: impl Iterator<Item = &'a str> + Clone,
    out: &mut Vec<Diagnostic>,
) {
    let hint = did_you_mean(reference, known.clone())
        .map(|s| format!("did you mean `{s}`?"))
        .unwrap_or_else(|| {
            let mut all: Vec<&str> = known.collect();
            all.sort_unstable();
            if all.len() <= 12 {
                format!("known {what} ids: {}", all.join(", "))
            } else {
                format!("no {what} id is close; `rolebook list` shows the catalog")
            }
        });
    out.push(
        Diagnostic::error(
            unknown_code(what),
            format!("unknown {what} `{}`", reference.as_str()),
        )
        .at(file, reference.span())
        .label(format!("no {what} has this id"))
        .hint(hint),
    );
}

fn unknown_code(what: &str) -> &'static str {
    match what {
        "skill" => "unknown-skill",
        "KPI" => "unknown-kpi",
        "family" => "unknown-family",
        "level" => "unknown-level",
        _ => "unknown-role",
    }
}

fn check_roles(sources: &Sources, draft: &Draft, scale: &Scale, out: &mut Vec<Diagnostic>) {
    let framework = draft.framework.as_ref().map(|(_, f)| f);
    let families: Vec<&str> = framework
        .map(|f| f.families.iter().map(|x| x.id.as_str()).collect())
        .unwrap_or_default();
    let levels: Vec<&str> = framework
        .map(|f| f.levels.iter().map(|x| x.id.as_str()).collect())
        .unwrap_or_default();
    let skills: HashMap<&str, (FileId, &crate::model::Skill)> = draft
        .skills
        .iter()
        .map(|(file, s)| (s.id.as_str(), (*file, &**s)))
        .collect();
    let kpis: HashSet<&str> = draft.kpis.iter().map(|(_, k)| k.id.as_str()).collect();
    let role_ids: HashSet<&str> = draft.roles.iter().map(|(_, r)| r.id.as_str()).collect();

    let mut seen_ids = FirstSeen::new();
    // Normalised title or alias → (file, span, role id) of its first use.
    let mut names: HashMap<String, (FileId, Range<usize>, String)> = HashMap::new();

    for (file, role) in &draft.roles {
        let file = *file;
        check_id(file, &role.id, "role", out);
        check_unique(file, &role.id, "role", &mut seen_ids, out);
        let stem = sources.file(file).stem();
        // A malformed id already has its own diagnostic; renaming the file
        // to it would be bad advice.
        if role.id.as_str() != stem && is_kebab_case(&role.id) {
            out.push(
                Diagnostic::error(
                    "id-file-mismatch",
                    format!(
                        "role id `{}` does not match its file name",
                        role.id.as_str()
                    ),
                )
                .at(file, role.id.span())
                .hint(format!(
                    "rename the file to `{}.toml` or set `id = \"{stem}\"`",
                    role.id.as_str()
                )),
            );
        }
        if !draft.broken_framework {
            if !families.contains(&role.family.as_str()) {
                unknown_reference(file, &role.family, "family", families.iter().copied(), out);
            }
            if !levels.contains(&role.level.as_str()) {
                unknown_reference(file, &role.level, "level", levels.iter().copied(), out);
            }
        }

        for name in std::iter::once(&role.title).chain(&role.aliases) {
            let key = normalise_name(name);
            match names.get(&key) {
                Some((first_file, first_span, owner)) if owner != role.id.as_str() => out.push(
                    Diagnostic::error(
                        "duplicate-title",
                        format!(
                            "`{}` names two roles: `{owner}` and `{}`",
                            name.as_str(),
                            role.id.as_str()
                        ),
                    )
                    .at(file, name.span())
                    .related(*first_file, first_span.clone(), "already used here")
                    .hint("a title or alias must identify one role; remove it from one of them"),
                ),
                Some(_) => out.push(
                    Diagnostic::warning(
                        "duplicate-title",
                        format!("`{}` is listed twice for this role", name.as_str()),
                    )
                    .at(file, name.span())
                    .hint("remove the repeated alias"),
                ),
                None => {
                    names.insert(key, (file, name.span(), role.id.to_string()));
                }
            }
        }

        let mut seen_skills = HashSet::new();
        for requirement in &role.skills {
            let id = requirement.skill.as_str();
            if !seen_skills.insert(id) {
                out.push(
                    Diagnostic::error(
                        "duplicate-reference",
                        format!("skill `{id}` is required twice"),
                    )
                    .at(file, requirement.skill.span())
                    .hint("keep one entry with the level the role needs"),
                );
            }
            let level = *requirement.level;
            if !scale.levels.contains(&level) {
                out.push(
                    Diagnostic::error(
                        "out-of-range",
                        format!("required level {level} is outside the proficiency scale"),
                    )
                    .at(file, requirement.level.span())
                    .label(format!("the scale runs from 1 to {}", scale.max))
                    .hint("use a level defined under [[proficiency]] in framework.toml"),
                );
            }
            match skills.get(id) {
                Some((skill_file, skill)) => {
                    if scale.levels.contains(&level) && skill.level_descriptor(level).is_none() {
                        out.push(
                            Diagnostic::error(
                                "missing-level-descriptor",
                                format!("skill `{id}` does not say what level {level} looks like"),
                            )
                            .at(file, requirement.level.span())
                            .related(*skill_file, skill.id.span(), "skill defined here")
                            .hint(format!(
                                "add `{level} = \"...\"` under [skills.levels] for `{id}`"
                            )),
                        );
                    }
                }
                None if draft.dropped_ids.contains(id) || draft.broken_skill_file => {}
                None => unknown_reference(
                    file,
                    &requirement.skill,
                    "skill",
                    skills.keys().copied(),
                    out,
                ),
            }
        }

        let mut seen_kpis = HashSet::new();
        for ownership in &role.kpis {
            let id = ownership.kpi.as_str();
            if !seen_kpis.insert(id) {
                out.push(
                    Diagnostic::error("duplicate-reference", format!("KPI `{id}` is owned twice"))
                        .at(file, ownership.kpi.span())
                        .hint("keep one entry with this role's target"),
                );
            }
            if !kpis.contains(id) && !draft.dropped_ids.contains(id) && !draft.broken_kpi_file {
                unknown_reference(file, &ownership.kpi, "KPI", kpis.iter().copied(), out);
            }
        }

        let lists = [
            ("reports_to", &role.scope.reports_to),
            ("feeders", &role.career.feeders),
            ("next", &role.career.next),
            ("lateral", &role.career.lateral),
        ];
        for (list, refs) in lists {
            for reference in refs {
                check_role_ref(file, role, list, reference, &role_ids, draft, out);
            }
        }
        // The same role in two career lists of one blueprint contradicts itself.
        let mut placed: HashMap<&str, &str> = HashMap::new();
        for (list, refs) in lists.into_iter().skip(1) {
            for reference in refs {
                let Some(target) = &reference.role else {
                    continue;
                };
                match placed.get(target.as_str()) {
                    Some(first) if *first != list => out.push(
                        Diagnostic::error("contradictory-career", format!("`{}` is both a `{first}` and a `{list}` move", target.as_str()))
                            .at(file, target.span())
                            .hint("a role is a feeder, a next move or a lateral move of this role, not two of them"),
                    ),
                    Some(_) => out.push(
                        Diagnostic::warning("duplicate-reference", format!("`{}` is listed twice under `{list}`", target.as_str()))
                            .at(file, target.span()),
                    ),
                    None => {
                        placed.insert(target.as_str(), list);
                    }
                }
            }
        }

        for allow in &role.lint.allow {
            if !RULES.iter().any(|(rule, _)| *rule == allow.rule.as_str()) {
                let hint = did_you_mean(&allow.rule, RULES.iter().map(|(rule, _)| *rule))
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| {
                        format!(
                            "lint rules: {}",
                            RULES.iter().map(|(r, _)| *r).collect::<Vec<_>>().join(", ")
                        )
                    });
                out.push(
                    Diagnostic::error(
                        "unknown-lint-rule",
                        format!("unknown lint rule `{}`", allow.rule.as_str()),
                    )
                    .at(file, allow.rule.span())
                    .hint(hint),
                );
            }
        }

        if let Some(code) = &role.crosswalk.onet_soc
            && !is_onet_soc(code)
        {
            {
                out.push(
                    Diagnostic::error(
                        "invalid-value",
                        format!("`{}` is not an O*NET-SOC code", code.as_str()),
                    )
                    .at(file, code.span())
                    .hint("O*NET-SOC codes look like `11-3021.00`"),
                );
            }
        }
    }
}

fn check_role_ref(
    file: FileId,
    role: &Role,
    list: &str,
    reference: &RoleRef,
    role_ids: &HashSet<&str>,
    draft: &Draft,
    out: &mut Vec<Diagnostic>,
) {
    match (&reference.role, &reference.title) {
        (Some(_), Some(title)) => out.push(
            Diagnostic::error(
                "ambiguous-reference",
                format!("a `{list}` entry has both `role` and `title`"),
            )
            .at(file, title.span())
            .hint(
                "use `role` for a catalog role or `title` for a role outside the catalog, not both",
            ),
        ),
        (None, None) => out.push(
            Diagnostic::error(
                "missing-key",
                format!("a `{list}` entry has neither `role` nor `title`"),
            )
            .at(file, role.id.span())
            .hint("add `role = \"<catalog role id>\"` or `title = \"<external title>\"`"),
        ),
        (Some(target), None) => {
            if target.as_str() == role.id.as_str() {
                out.push(
                    Diagnostic::error(
                        "self-reference",
                        format!("`{}` lists itself under `{list}`", role.id.as_str()),
                    )
                    .at(file, target.span())
                    .hint("remove the entry"),
                );
            } else if !role_ids.contains(target.as_str())
                && !draft.broken_role_ids.contains(target.as_str())
            {
                let mut found = Vec::new();
                unknown_reference(file, target, "role", role_ids.iter().copied(), &mut found);
                for diagnostic in found {
                    let hint = diagnostic.hint.clone().unwrap_or_default();
                    out.push(diagnostic.hint(format!(
                        "{hint} A role outside the catalog is written as `title = \"<its title>\"` instead of `role`."
                    )));
                }
            }
        }
        (None, Some(_)) => {}
    }
}

/// `feeders` and `next` from both ends of an edge must agree in direction.
fn check_career_graph(draft: &Draft, out: &mut Vec<Diagnostic>) {
    // (from, to) meaning "from moves up to to", as claimed by each role.
    let mut upward: HashMap<(&str, &str), (FileId, Range<usize>)> = HashMap::new();
    for (file, role) in &draft.roles {
        for reference in &role.career.next {
            if let Some(target) = &reference.role {
                upward.insert((role.id.as_str(), target.as_str()), (*file, target.span()));
            }
        }
        for reference in &role.career.feeders {
            if let Some(source) = &reference.role {
                upward
                    .entry((source.as_str(), role.id.as_str()))
                    .or_insert((*file, source.span()));
            }
        }
    }
    let mut reported = HashSet::new();
    let mut pairs: Vec<_> = upward.iter().collect();
    pairs.sort_by_key(|(_, (file, span))| (*file, span.start));
    for ((from, to), (file, span)) in pairs {
        if from == to {
            continue;
        }
        if let Some((other_file, other_span)) = upward.get(&(*to, *from)) {
            let key = if from < to {
                (*from, *to)
            } else {
                (*to, *from)
            };
            if reported.insert(key) {
                out.push(
                    Diagnostic::error("contradictory-career", format!("`{from}` and `{to}` are each a step up from the other"))
                        .at(*file, span.clone())
                        .related(*other_file, other_span.clone(), "the opposite move is claimed here")
                        .hint("decide which role is more senior; list the other as a feeder or a lateral move"),
                );
            }
        }
    }
}

/// A `reports_to` edge: the manager's id and where it is written.
type Edge<'a> = (&'a str, FileId, Range<usize>);

/// `reports_to` between catalog roles must not loop.
fn check_reporting_cycles(draft: &Draft, out: &mut Vec<Diagnostic>) {
    let edges: HashMap<&str, Vec<Edge>> = draft
        .roles
        .iter()
        .map(|(file, role)| {
            let targets = role
                .scope
                .reports_to
                .iter()
                .filter_map(|r| r.role.as_ref())
                .filter(|target| target.as_str() != role.id.as_str())
                .map(|target| (target.as_str(), *file, target.span()))
                .collect();
            (role.id.as_str(), targets)
        })
        .collect();
    let mut roots: Vec<&str> = edges.keys().copied().collect();
    roots.sort_unstable();
    // Iterative depth-first search with colours; a grey target closes a cycle.
    let mut colour: HashMap<&str, u8> = HashMap::new();
    let mut seen_cycles: HashSet<Vec<&str>> = HashSet::new();
    for root in roots {
        if colour.contains_key(root) {
            continue;
        }
        let mut path: Vec<&str> = vec![root];
        let mut stack: Vec<(&str, usize)> = vec![(root, 0)];
        colour.insert(root, 1);
        while let Some((node, index)) = stack.pop() {
            let targets = edges.get(node).map(Vec::as_slice).unwrap_or(&[]);
            if let Some((target, file, span)) = targets.get(index) {
                stack.push((node, index + 1));
                match colour.get(target) {
                    None if edges.contains_key(target) => {
                        colour.insert(target, 1);
                        path.push(target);
                        stack.push((target, 0));
                    }
                    Some(1) => {
                        let start = path.iter().position(|n| n == target).unwrap_or(0);
                        let mut cycle: Vec<&str> = path[start..].to_vec();
                        let rotate = cycle
                            .iter()
                            .enumerate()
                            .min_by_key(|(_, n)| **n)
                            .map_or(0, |(i, _)| i);
                        cycle.rotate_left(rotate);
                        if seen_cycles.insert(cycle.clone()) {
                            let mut shown = path[start..].to_vec();
                            shown.push(target);
                            out.push(
                                Diagnostic::error("reporting-cycle", format!("reporting lines form a cycle: {}", shown.join(" → ")))
                                    .at(*file, span.clone())
                                    .hint("a role cannot report, directly or indirectly, to itself; remove one `reports_to` entry"),
                            );
                        }
                    }
                    _ => {}
                }
            } else {
                colour.insert(node, 2);
                path.pop();
            }
        }
    }
}

/// References in prose (`{role:ID}`, `{target:KPI}`, …) all resolve, and
/// the resolved text still fits in a value.
fn check_prose(sources: &Sources, draft: &Draft, out: &mut Vec<Diagnostic>) {
    use crate::prose::{self, Lookup, Piece, Reference};
    let lookup = Lookup::new(
        draft.roles.iter().map(|(_, r)| &**r),
        draft.skills.iter().map(|(_, s)| &**s),
        draft.kpis.iter().map(|(_, k)| &**k),
    );
    // An id that failed to parse, or whose file did not, was reported
    // there; a reference to it is not reported again.
    let reported = |reference: Reference<'_>| match reference {
        Reference::OwnTitle => false,
        Reference::Role(id) | Reference::Target { role: Some(id), .. }
            if draft.broken_role_ids.contains(id) || draft.dropped_ids.contains(id) =>
        {
            true
        }
        Reference::Skill(id) => draft.broken_skill_file || draft.dropped_ids.contains(id),
        Reference::Kpi(id) | Reference::Target { kpi: id, .. } => {
            draft.broken_kpi_file || draft.dropped_ids.contains(id)
        }
        Reference::Role(_) => false,
    };
    let mut check = |file: FileId, own: Option<&str>, text: &str, cursor: &mut usize| {
        if !text.contains('{') {
            return;
        }
        let source = &sources.file(file).text;
        let (pieces, mut errors) = prose::parse(text);
        let mut resolved_chars = 0;
        for piece in &pieces {
            match piece {
                Piece::Text(t) => resolved_chars += t.chars().count(),
                Piece::Ref(reference, span) if !reported(*reference) => {
                    match lookup.text_of(*reference, own) {
                        Ok(t) => resolved_chars += t.chars().count(),
                        Err(mut error) => {
                            error.span = span.clone();
                            errors.push(error);
                        }
                    }
                }
                Piece::Ref(..) => {}
            }
        }
        errors.sort_by_key(|e| e.span.start);
        for error in errors {
            let written = &text[error.span.clone()];
            out.push(
                Diagnostic::error(error.code, error.message)
                    .at(file, locate_in(source, written, cursor))
                    .hint(error.hint),
            );
        }
        if resolved_chars > crate::text::MAX_TEXT_CHARS {
            out.push(
                Diagnostic::error(
                    "text-too-long",
                    format!(
                        "with its references resolved this text is {resolved_chars} characters long; the most a value may hold is {}",
                        crate::text::MAX_TEXT_CHARS
                    ),
                )
                .at(file, locate_in(source, text, &mut 0))
                .hint("split the text, or refer to fewer long targets"),
            );
        }
    };
    if let Some((file, organisation)) = &draft.organisation {
        let mut cursor = 0;
        prose::organisation_prose(organisation, |t| check(*file, None, t, &mut cursor));
    }
    if let Some((file, framework)) = &draft.framework {
        let mut cursor = 0;
        prose::framework_prose(framework, |t| check(*file, None, t, &mut cursor));
    }
    let mut cursors: HashMap<FileId, usize> = HashMap::new();
    for (file, skill) in &draft.skills {
        let cursor = cursors.entry(*file).or_default();
        prose::skill_prose(skill, |t| check(*file, None, t, cursor));
    }
    for (file, kpi) in &draft.kpis {
        let cursor = cursors.entry(*file).or_default();
        prose::kpi_prose(kpi, |t| check(*file, None, t, cursor));
    }
    for (file, role) in &draft.roles {
        let mut cursor = 0;
        prose::role_prose(role, |t| {
            check(*file, Some(role.id.as_str()), t, &mut cursor)
        });
    }
}

/// Where `written` appears in a file's source, at or after `cursor` when it
/// can (the fields are visited in file order, so a repeated reference is
/// found at its own place), else anywhere; the start of the file if the
/// text was escaped in the file and cannot be found as is.
fn locate_in(source: &str, written: &str, cursor: &mut usize) -> Range<usize> {
    let found = source
        .get(*cursor..)
        .and_then(|rest| rest.find(written))
        .map(|i| *cursor + i)
        .or_else(|| source.find(written));
    match found {
        Some(start) => {
            *cursor = start + written.len();
            start..start + written.len()
        }
        None => 0..0,
    }
}

fn is_onet_soc(code: &str) -> bool {
    let bytes = code.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            2 => *b == b'-',
            7 => *b == b'.',
            _ => b.is_ascii_digit(),
        })
}

#[cfg(test)]
mod tests {
    use super::is_onet_soc;

    #[test]
    fn onet_soc_codes() {
        assert!(is_onet_soc("11-3021.00"));
        assert!(!is_onet_soc("11-3021"));
        assert!(!is_onet_soc("113021.00x"));
    }
}
