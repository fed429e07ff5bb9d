//! Content lint: completeness, verb-first responsibilities, repeated
//! sentences across roles, and inclusive language.
//!
//! Lint runs on a valid catalog and returns warnings; `rolebook lint
//! --strict` turns them into a failing exit code. Every finding names its
//! rule, says why it matters and points at the text. A role can suppress an
//! inclusive-language finding with `[[lint.allow]]` and a reason.

use std::collections::HashMap;
use std::ops::Range;

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Role;
use crate::source::{FileId, Sources};

mod follow;
mod repeats;

pub use repeats::Memo;

/// Every lint rule with a one-line explanation, for `--help` and validation
/// of `[[lint.allow]]`.
pub const RULES: &[(&str, &str)] = &[
    (
        "completeness",
        "every section is filled and the minimum counts are met",
    ),
    (
        "responsibility-verb",
        "each responsibility starts with an imperative verb",
    ),
    (
        "repeated-sentence",
        "a sentence (or a near copy) appears in more than one role",
    ),
    (
        "inclusive-language",
        "gendered, exclusionary or ableist wording",
    ),
    (
        "kpi-benchmark",
        "a KPI has no benchmark with a named source",
    ),
    ("unused", "a skill or KPI that no role uses"),
    (
        "spelled-title",
        "prose spells out a catalog role's title instead of referring to it",
    ),
    (
        "reference-article",
        "\"a\" or \"an\" before a role reference, whose title may need the other",
    ),
    (
        "restated-target",
        "prose copies a figure of its role's own KPI target",
    ),
    (
        "unowned-kpi",
        "a role contributes to a KPI that no role is accountable for",
    ),
];

/// Minimums a complete blueprint meets.
pub const MIN_RESPONSIBILITIES: usize = 10;
pub const MIN_SKILLS: usize = 12;
pub const MIN_KPIS: usize = 6;
pub const MIN_FEEDERS: usize = 2;
pub const MIN_NEXT: usize = 2;

/// Which files lint reports on: all, or some (an editor's).
#[derive(Debug, Clone, Default)]
pub enum Scope {
    #[default]
    All,
    Files(std::collections::HashSet<FileId>),
}

impl Scope {
    pub fn covers(&self, file: FileId) -> bool {
        match self {
            Scope::All => true,
            Scope::Files(files) => files.contains(&file),
        }
    }
}

/// Runs every rule and returns the findings, suppressed ones removed.
pub fn lint(catalog: &Catalog, sources: &Sources) -> Vec<Diagnostic> {
    lint_in(catalog, sources, &Scope::All)
}

/// [`lint`]'s findings in the files of `scope` only, as `lint` finds them:
/// a rule that compares across the catalog (repeated sentences) still
/// reads all of it, but the rules that read one file at a time read only
/// those in scope, which is what keeps linting an editor's few entities
/// quick in a catalog of thousands.
pub fn lint_in(catalog: &Catalog, sources: &Sources, scope: &Scope) -> Vec<Diagnostic> {
    lint_in_with(catalog, sources, scope, &mut Memo::new())
}

/// [`lint_in`], keeping in `memo` what it read of each role for the next
/// lint of a later version of the catalog: a server lints every save of
/// an editor this way, and reads again only the roles that changed.
pub fn lint_in_with(
    catalog: &Catalog,
    sources: &Sources,
    scope: &Scope,
    memo: &mut Memo,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Lint reads what the files say: prose with its references unresolved.
    for role in catalog.written_roles() {
        let Some(file) = catalog.role_file(&role.id).filter(|f| scope.covers(*f)) else {
            continue;
        };
        let text = &sources.file(file).text;
        completeness(role, file, &mut out);
        responsibility_verbs(role, file, text, &mut out);
        let before = out.len();
        inclusive_language(file, text, &mut out);
        follow::restated_targets(role, file, text, &mut out);
        contributions(catalog, role, file, &mut out);
        let mut index = before;
        while index < out.len() {
            if is_suppressed(role, &out[index], text) {
                out.remove(index);
            } else {
                index += 1;
            }
        }
    }
    for (file, source) in sources.iter() {
        if scope.covers(file)
            && !source.path.starts_with("roles/")
            && source.path.ends_with(".toml")
        {
            inclusive_language(file, &source.text, &mut out);
        }
    }
    let before = out.len();
    follow::spelled_titles(catalog, sources, scope, &mut out);
    // A finding in a role's file may be suppressed by that role. Roles by
    // file, once: looking through every role for every finding was
    // quadratic (31 s of lint on 3,000 roles).
    let mut roles_by_file: HashMap<FileId, Vec<&Role>> = HashMap::new();
    for role in catalog.written_roles() {
        if let Some(file) = catalog.role_file(&role.id) {
            roles_by_file.entry(file).or_default().push(role);
        }
    }
    let mut spelled = out.split_off(before);
    spelled.retain(|finding| {
        let Some(file) = finding.file else {
            return true;
        };
        let roles = roles_by_file.get(&file).map_or(&[][..], Vec::as_slice);
        !roles
            .iter()
            .any(|role| is_suppressed(role, finding, &sources.file(file).text))
    });
    out.append(&mut spelled);
    repeats::repeated_sentences(catalog, sources, scope, memo, &mut out);
    // These two report at skill and KPI files only.
    let any_taxonomy = match scope {
        Scope::All => true,
        Scope::Files(files) => files
            .iter()
            .any(|&file| !sources.file(file).path.starts_with("roles/")),
    };
    if any_taxonomy {
        kpi_benchmarks(catalog, &mut out);
        unused(catalog, &mut out);
    }
    out.retain(|d| matches!(scope, Scope::All) || d.file.is_some_and(|f| scope.covers(f)));
    out.sort_by(|a, b| (a.file, a.span.start, a.code).cmp(&(b.file, b.span.start, b.code)));
    out
}

fn is_suppressed(role: &Role, finding: &Diagnostic, text: &str) -> bool {
    let matched = text.get(finding.span.clone()).unwrap_or("").to_lowercase();
    role.lint
        .allow
        .iter()
        .any(|allow| allow.rule.as_str() == finding.code && allow.text.to_lowercase() == matched)
}

/// Where `needle` is written in the file, or the start of the file.
fn locate(text: &str, needle: &str) -> Range<usize> {
    let probe: String = needle.chars().take(60).collect();
    match text.find(&probe) {
        Some(start) => start..start + probe.len(),
        None => 0..0,
    }
}

fn completeness(role: &Role, file: FileId, out: &mut Vec<Diagnostic>) {
    let span = role.id.span();
    let mut missing = |what: String, hint: &str| {
        out.push(
            Diagnostic::warning("completeness", what)
                .at(file, span.clone())
                .hint(hint.to_string()),
        );
    };
    let responsibilities = role.responsibility_items().count();
    if responsibilities < MIN_RESPONSIBILITIES {
        missing(
            format!(
                "{responsibilities} responsibilities; a complete blueprint has at least {MIN_RESPONSIBILITIES}"
            ),
            "add concrete responsibilities under [[responsibilities]] areas",
        );
    }
    if role.skills.len() < MIN_SKILLS {
        missing(
            format!(
                "{} skills; a complete blueprint has at least {MIN_SKILLS}",
                role.skills.len()
            ),
            "add [[skills]] entries with the level the role needs",
        );
    }
    let with_targets = role
        .kpis
        .iter()
        .filter(|k| !k.target.trim().is_empty())
        .count();
    if with_targets < MIN_KPIS {
        missing(
            format!(
                "{with_targets} KPIs with a target; a complete blueprint has at least {MIN_KPIS}"
            ),
            "add [[kpis]] entries, each with this role's target",
        );
    }
    if role.career.feeders.len() < MIN_FEEDERS {
        missing(
            format!(
                "{} feeder moves; a complete blueprint has at least {MIN_FEEDERS}",
                role.career.feeders.len()
            ),
            "add [[career.feeders]] with the roles people come from",
        );
    }
    if role.career.next.len() < MIN_NEXT {
        missing(
            format!(
                "{} next moves; a complete blueprint has at least {MIN_NEXT}",
                role.career.next.len()
            ),
            "add [[career.next]] with the roles people move on to",
        );
    }
    let sections: [(&str, bool); 14] = [
        ("summary", role.summary.trim().is_empty()),
        ("purpose", role.purpose.trim().is_empty()),
        ("hiring_signals", role.hiring_signals.is_empty()),
        ("failure_modes", role.failure_modes.is_empty()),
        ("scope.context", role.scope.context.trim().is_empty()),
        ("scope.in_scope", role.scope.in_scope.is_empty()),
        ("scope.out_of_scope", role.scope.out_of_scope.is_empty()),
        (
            "decisions",
            role.decisions.decides.is_empty()
                || role.decisions.recommends.is_empty()
                || role.decisions.consulted.is_empty(),
        ),
        (
            "qualifications.experience",
            role.qualifications.experience.is_empty(),
        ),
        (
            "success",
            role.success.days_90.is_empty() || role.success.months_12.is_empty(),
        ),
        ("career.lateral", role.career.lateral.is_empty()),
        ("crosswalk.onet_soc", role.crosswalk.onet_soc.is_none()),
        ("provenance.sources", role.provenance.sources.is_empty()),
        ("scope.reports_to", role.scope.reports_to.is_empty()),
    ];
    let empty: Vec<String> = sections
        .iter()
        .filter(|(_, empty)| *empty)
        .map(|(section, _)| format!("`{section}`"))
        .collect();
    if !empty.is_empty() {
        let noun = if empty.len() == 1 {
            "section is"
        } else {
            "sections are"
        };
        missing(
            format!("{} {noun} empty: {}", empty.len(), empty.join(", ")),
            "every section of a blueprint is filled; see docs/catalog-format.md",
        );
    }
}

/// Imperative verbs that are also common nouns or end like non-verbs; they
/// always pass.
const KNOWN_VERBS: &str = "\
    act align allocate approve assess audit balance benchmark build champion chair \
    coach commission communicate consolidate coordinate define design develop \
    direct document drive embed enable enforce ensure establish evaluate \
    experiment forecast govern hire implement improve instrument lead maintain \
    manage measure mentor model monitor negotiate operate own partner plan \
    prioritise prioritize publish recruit reduce report represent review run \
    schedule secure set shape ship sponsor staff standardise standardize steward \
    test track translate triage validate";

/// Words that start a responsibility written as a noun phrase or sentence.
const NON_VERB_STARTS: &str = "\
    a an the this these our their its all each every responsible responsibility \
    responsibilities ownership accountable accountability strong excellent good \
    key ability various overall general other he she they you we must should will \
    can may";

/// Whether `word` is one of the words of `list`, a string of words
/// separated by spaces.
fn listed(list: &str, word: &str) -> bool {
    list.split_whitespace().any(|w| w == word)
}

/// Why a responsibility's first word is not an imperative verb, or `None`.
pub fn verb_problem(item: &str) -> Option<String> {
    let first: String = item
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphabetic() || *c == '-')
        .collect();
    if first.is_empty() {
        return Some("it does not start with a word".to_string());
    }
    let lower = first.to_lowercase();
    if listed(KNOWN_VERBS, &lower) {
        return None;
    }
    if listed(NON_VERB_STARTS, &lower) {
        return Some(format!("it starts with `{first}`, not a verb"));
    }
    if let Some(stem) = lower.strip_suffix('s') {
        let stem_es = lower.strip_suffix("es");
        if listed(KNOWN_VERBS, stem) || stem_es.is_some_and(|s| listed(KNOWN_VERBS, s)) {
            return Some(format!("`{first}` is third person; write the imperative"));
        }
    }
    if lower.len() > 5 && lower.ends_with("ing") {
        return Some(format!("`{first}` is a gerund; write the imperative"));
    }
    for suffix in ["tion", "sion", "ness", "ity"] {
        if lower.len() > suffix.len() + 2 && lower.ends_with(suffix) {
            return Some(format!("`{first}` is a noun; start with the verb"));
        }
    }
    None
}

fn responsibility_verbs(role: &Role, file: FileId, text: &str, out: &mut Vec<Diagnostic>) {
    for (_, item) in role.responsibility_items() {
        if let Some(problem) = verb_problem(item) {
            out.push(
                Diagnostic::warning(
                    "responsibility-verb",
                    format!("responsibility does not start with a verb: {problem}"),
                )
                .at(file, locate(text, item))
                .hint(
                    "start with what the holder does: \"Own ...\", \"Run ...\", \"Negotiate ...\"",
                ),
            );
        }
    }
}

/// An inclusive-language rule: the words it matches, why, and what to write.
struct Wording {
    words: &'static [&'static str],
    why: &'static str,
    instead: &'static str,
}

// Reasons several rules give, written once so that they read the same.
const PRONOUN: &str = "gendered pronoun for the role holder";
const GENDERED_UNIT: &str = "gendered unit of effort";
const GENDERED_TITLE: &str = "gendered title";
const HYPE: &str = "jargon that signals an exclusionary culture and means nothing measurable";
const MASTER_SLAVE: &str = "master/slave terminology";
const ABLEIST_IDIOM: &str = "ableist idiom";
const ABLEIST_TERM: &str = "ableist term";

const fn rule(words: &'static [&'static str], why: &'static str, instead: &'static str) -> Wording {
    Wording {
        words,
        why,
        instead,
    }
}

/// Every rule; where rules overlap, the longest match wins.
const WORDING: &[Wording] = &[
    rule(&["he"], PRONOUN, "they, the holder"),
    rule(&["she"], PRONOUN, "they, the holder"),
    rule(&["his"], PRONOUN, "their"),
    rule(&["him"], PRONOUN, "them"),
    rule(&["himself"], PRONOUN, "themselves"),
    rule(&["herself"], PRONOUN, "themselves"),
    rule(
        &["guys"],
        "gendered address for a mixed group",
        "everyone, team, folks",
    ),
    rule(
        &["manpower"],
        "gendered term for staff",
        "staffing, capacity, people",
    ),
    rule(
        &["man", "hours"],
        GENDERED_UNIT,
        "person-hours, engineer-hours",
    ),
    rule(&["manhours"], GENDERED_UNIT, "person-hours"),
    rule(&["chairman"], GENDERED_TITLE, "chair"),
    rule(&["salesman"], GENDERED_TITLE, "salesperson"),
    rule(&["rockstar"], HYPE, "the skill and level actually required"),
    rule(
        &["rock", "star"],
        HYPE,
        "the skill and level actually required",
    ),
    rule(&["ninja"], HYPE, "the skill and level actually required"),
    rule(
        &["ninjas"],
        "jargon that signals an exclusionary culture",
        "the skill and level actually required",
    ),
    rule(
        &["guru"],
        "jargon that appropriates a religious title",
        "expert, specialist",
    ),
    rule(&["slave"], MASTER_SLAVE, "replica, follower, secondary"),
    rule(
        &["master", "slave"],
        MASTER_SLAVE,
        "primary/replica, leader/follower",
    ),
    rule(&["master", "branch"], MASTER_SLAVE, "main branch"),
    rule(
        &["master", "node"],
        MASTER_SLAVE,
        "primary node, control-plane node",
    ),
    rule(
        &["whitelist"],
        "associates white with allowed and black with denied",
        "allowlist",
    ),
    rule(
        &["blacklist"],
        "associates black with denied",
        "denylist, blocklist",
    ),
    rule(
        &["whitelisting"],
        "associates white with allowed",
        "allowlisting",
    ),
    rule(
        &["blacklisting"],
        "associates black with denied",
        "denylisting, blocking",
    ),
    rule(
        &["sanity", "check"],
        ABLEIST_IDIOM,
        "quick check, confidence check",
    ),
    rule(&["sanity", "checks"], ABLEIST_IDIOM, "quick checks"),
    rule(&["blind", "spot"], ABLEIST_IDIOM, "gap, unseen risk"),
    rule(&["blind", "spots"], ABLEIST_IDIOM, "gaps, unseen risks"),
    rule(&["crippled"], ABLEIST_TERM, "disabled, severely degraded"),
    rule(&["crippling"], ABLEIST_TERM, "severe, disabling"),
    rule(&["lame"], ABLEIST_TERM, "weak, unconvincing"),
    rule(&["crazy"], ABLEIST_TERM, "surprising, extreme"),
    rule(&["insane"], ABLEIST_TERM, "extreme, unreasonable"),
    rule(&["dumb"], ABLEIST_TERM, "simple, unsophisticated"),
    rule(&["tone", "deaf"], ABLEIST_IDIOM, "out of touch"),
    rule(
        &["grandfathered"],
        "term rooted in exclusionary voting laws",
        "legacy, exempted",
    ),
    rule(
        &["culture", "fit"],
        "invites hiring for sameness",
        "culture add, values alignment",
    ),
    rule(
        &["native", "speaker"],
        "excludes fluent non-native speakers",
        "fluent in",
    ),
    rule(
        &["digital", "native"],
        "age-coded wording",
        "fluent with digital tools",
    ),
];

/// Words of a text with byte ranges, lowercased; TOML comment lines
/// skipped when `skip_comments` is set.
fn words(text: &str, skip_comments: bool) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if !(skip_comments && line.trim_start().starts_with('#')) {
            let mut start: Option<usize> = None;
            for (i, c) in line.char_indices() {
                if c.is_alphanumeric() || c == '\'' {
                    start.get_or_insert(i);
                } else if let Some(s) = start.take() {
                    out.push((line[s..i].to_lowercase(), line_start + s..line_start + i));
                }
            }
            if let Some(s) = start {
                out.push((
                    line[s..].to_lowercase(),
                    line_start + s..line_start + line.len(),
                ));
            }
        }
        line_start += line.len();
    }
    out
}

/// Inclusive-language findings in text that is not a catalog file (a
/// generated job posting, a draft), located in `file` of the caller's
/// `Sources`. Every line is read, `#` lines included, and `role`'s
/// `[[lint.allow]]` suppressions apply as they do to the role's own file.
pub fn inclusive_language_text(file: FileId, text: &str, role: Option<&Role>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_wording(file, text, &words(text, false), &mut out);
    if let Some(role) = role {
        out.retain(|finding| !is_suppressed(role, finding, text));
    }
    out
}

fn inclusive_language(file: FileId, text: &str, out: &mut Vec<Diagnostic>) {
    check_wording(file, text, &words(text, true), out);
}

fn check_wording(
    file: FileId,
    text: &str,
    words: &[(String, Range<usize>)],
    out: &mut Vec<Diagnostic>,
) {
    for (i, _) in words.iter().enumerate() {
        // The longest rule matching here wins, so "master slave" is one finding.
        let matched = WORDING
            .iter()
            .filter(|rule| {
                rule.words.len() <= words.len() - i
                    && rule
                        .words
                        .iter()
                        .zip(&words[i..])
                        .all(|(w, (word, _))| w == word)
            })
            .max_by_key(|rule| rule.words.len());
        if let Some(rule) = matched {
            if rule.words.len() == 1
                && i > 0
                && WORDING.iter().any(|r| {
                    r.words.len() > 1 && r.words[1] == words[i].0 && r.words[0] == words[i - 1].0
                })
            {
                continue;
            }
            let span = words[i].1.start..words[i + rule.words.len() - 1].1.end;
            let found = &text[span.clone()];
            out.push(
                Diagnostic::warning("inclusive-language", format!("`{found}`: {}", rule.why))
                    .at(file, span)
                    .hint(format!("consider: {}; or suppress with [[lint.allow]] rule = \"inclusive-language\", text = \"{found}\" and a reason", rule.instead)),
            );
        }
    }
}

/// A role that only contributes to a KPI needs another role that answers
/// for the number; without one, the number has no owner.
fn contributions(catalog: &Catalog, role: &Role, file: FileId, out: &mut Vec<Diagnostic>) {
    for own in &role.kpis {
        if own.accountability != crate::model::Accountability::Contributes {
            continue;
        }
        let owned = catalog
            .kpi_owners(&own.kpi)
            .iter()
            .any(|(_, other)| other.accountability == crate::model::Accountability::Accountable);
        if !owned {
            out.push(
                Diagnostic::warning(
                    "unowned-kpi",
                    format!(
                        "{} contributes to `{}`, but no role is accountable for it",
                        role.title.as_str(),
                        own.kpi.as_str()
                    ),
                )
                .at(file, own.kpi.span())
                .hint("make the role that answers for the number list it as accountable, or make this role accountable"),
            );
        }
    }
}

fn kpi_benchmarks(catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    for kpi in catalog.kpis() {
        if kpi.benchmarks.iter().any(|b| !b.source.trim().is_empty()) {
            continue;
        }
        if let Some(file) = catalog.kpi_file(&kpi.id) {
            out.push(
                Diagnostic::warning(
                    "kpi-benchmark",
                    format!("KPI `{}` has no benchmark with a source", kpi.id.as_str()),
                )
                .at(file, kpi.id.span())
                .hint("add [[kpis.benchmarks]] with value, meaning, source and year"),
            );
        }
    }
}

fn unused(catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    let (skills, kpis) = catalog.unused();
    for skill in catalog
        .skills()
        .iter()
        .filter(|s| skills.contains(s.id.as_str()))
    {
        if let Some(file) = catalog.skill_file(&skill.id) {
            out.push(
                Diagnostic::warning(
                    "unused",
                    format!("no role requires skill `{}`", skill.id.as_str()),
                )
                .at(file, skill.id.span())
                .hint("require it in a role or remove it from the taxonomy"),
            );
        }
    }
    for kpi in catalog
        .kpis()
        .iter()
        .filter(|k| kpis.contains(k.id.as_str()))
    {
        if let Some(file) = catalog.kpi_file(&kpi.id) {
            out.push(
                Diagnostic::warning("unused", format!("no role owns KPI `{}`", kpi.id.as_str()))
                    .at(file, kpi.id.span())
                    .hint("give it to the role accountable for it or remove it"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs_pass_and_noun_phrases_fail() {
        assert_eq!(verb_problem("Own the error-budget policy"), None);
        assert_eq!(verb_problem("Negotiate SLAs with vendors"), None);
        assert!(verb_problem("Ownership of the budget").is_some());
        assert!(verb_problem("Responsible for hiring").is_some());
        assert!(
            verb_problem("Manages the on-call rota").is_some_and(|p| p.contains("third person"))
        );
        assert!(verb_problem("Managing vendors").is_some_and(|p| p.contains("gerund")));
        assert!(verb_problem("The team's roadmap").is_some());
        assert_eq!(verb_problem("Bring incidents to closure"), None);
    }

    #[test]
    fn inclusive_rules_match_whole_words_and_prefer_phrases() {
        let mut out = Vec::new();
        inclusive_language(
            0,
            "text = \"Replace the master slave setup; he decides. Mastery, theme.\"\n# he in a comment\n",
            &mut out,
        );
        let found: Vec<&str> = out
            .iter()
            .map(|d| d.message.split('`').nth(1).unwrap_or(""))
            .collect();
        assert_eq!(found, ["master slave", "he"]);
    }

    #[test]
    fn free_text_lint_reads_every_line() {
        let found = inclusive_language_text(0, "# A rockstar\nWe need a ninja.\n", None);
        let spans: Vec<_> = found.iter().map(|d| d.span.clone()).collect();
        assert_eq!(spans, [4..12, 23..28]);
    }
}
