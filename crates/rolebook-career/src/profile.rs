//! Person profiles (`profile.toml`): who someone is, the role they hold and
//! their self-assessed skill levels. The format is documented in
//! `docs/profile-format.md`.
//!
//! [`parse_profile`] walks the TOML document by hand rather than through
//! serde so that it can report every problem in one pass (unknown keys,
//! wrong types, unknown skills with did-you-mean, levels off the scale,
//! duplicates), each located with the same [`Diagnostic`] type the catalog
//! uses. It never panics, whatever the text.

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;

use rolebook_core::diagnostic::MAX_REPORTED;
use rolebook_core::suggest::did_you_mean;
use rolebook_core::{Catalog, Diagnostic, SourceFile, Sources};
use serde::Serialize;
use serde_spanned::Spanned;
use toml::de::{DeTable, DeValue};

/// A person's profile, checked against a catalog: every skill id exists,
/// every level is on the scale and the current role (if any) is a catalog
/// role id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Profile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The id of the role the person holds now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_role: Option<String>,
    pub skills: Vec<AssessedSkill>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssessedSkill {
    pub skill: String,
    /// Self-assessed level on the proficiency scale, 1 to 5.
    pub level: u8,
    /// The person's manager's rating of the same skill, 1 to 5, when
    /// there is one: shown beside the person's own rating, which alone
    /// counts in gaps and readiness.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manager_level: Option<u8>,
    /// What the level is based on: projects, feedback, certificates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

impl Profile {
    /// The self-assessed level of a skill; 0 when it is not in the profile.
    pub fn level(&self, skill: &str) -> u8 {
        self.skills
            .iter()
            .find(|s| s.skill == skill)
            .map_or(0, |s| s.level)
    }

    /// The profile as `profile.toml` text, which [`parse_profile`] reads
    /// back to an equal profile.
    pub fn to_toml(&self) -> String {
        // Serialising plain strings and small integers cannot fail; an
        // empty document is the safe answer should it ever.
        toml::to_string(self).unwrap_or_default()
    }
}

/// The outcome of [`parse_profile`]: the source (for rendering
/// diagnostics), every problem found, and the profile when there was no
/// error.
#[derive(Debug)]
pub struct ParsedProfile {
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
    pub profile: Option<Profile>,
}

impl ParsedProfile {
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

const FILE: usize = 0;
const TOP_KEYS: [&str; 3] = ["name", "current_role", "skills"];
const SKILL_KEYS: [&str; 4] = ["skill", "level", "manager_level", "evidence"];
const FORMAT_DOC: &str = "docs/profile-format.md";

/// Parses and checks `text`, the contents of the profile at `path` (used
/// only to name the file in diagnostics).
pub fn parse_profile(path: &str, text: &str, catalog: &Catalog) -> ParsedProfile {
    let mut sources = Sources::new([SourceFile::new(path, text.to_string())]);
    // An empty root shows the path exactly as given.
    sources.root = Some(PathBuf::new());
    let mut checker = Checker {
        catalog,
        diagnostics: Vec::new(),
    };
    let profile = checker.document(text);
    let mut diagnostics = checker.diagnostics;
    diagnostics.sort_by_key(|d| (d.span.start, d.code));
    let has_errors = diagnostics.iter().any(Diagnostic::is_error);
    ParsedProfile {
        sources,
        diagnostics,
        profile: if has_errors { None } else { profile },
    }
}

struct Checker<'c> {
    catalog: &'c Catalog,
    diagnostics: Vec<Diagnostic>,
}

type Value<'i> = Spanned<DeValue<'i>>;

impl Checker<'_> {
    fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    fn document(&mut self, text: &str) -> Option<Profile> {
        let (root, syntax_errors) = DeTable::parse_recoverable(text);
        // After the first syntax error the parser's recovery guesses; the
        // first error is the one worth fixing.
        if let Some(error) = syntax_errors
            .iter()
            .min_by_key(|e| e.span().map_or(0, |s| s.start))
        {
            self.error(
                Diagnostic::error(
                    "toml-syntax",
                    format!("invalid TOML: {}", error.message().trim_end()),
                )
                .at(
                    FILE,
                    rolebook_core::diagnostic::toml_error_span(text, error.span()),
                )
                .hint("check quotes and brackets on this line and the lines before it"),
            );
            return None;
        }
        rolebook_core::text::check_document(FILE, root.get_ref(), &mut self.diagnostics);
        let root = root.into_inner();
        let mut profile = Profile {
            name: None,
            current_role: None,
            skills: Vec::new(),
        };
        let mut saw_skills = false;
        for (key, value) in root.iter() {
            match key.get_ref().as_ref() {
                "name" => profile.name = self.string(value, "name"),
                "current_role" => {
                    if let Some(query) = self.string(value, "current_role") {
                        profile.current_role = self.role(&query, value.span());
                    }
                }
                "skills" => {
                    saw_skills = true;
                    profile.skills = self.skills(value);
                }
                other => self.unknown_key(other, key.span(), &TOP_KEYS, "at the top of a profile"),
            }
        }
        if !saw_skills {
            self.error(
                Diagnostic::warning("no-skills", "the profile assesses no skills")
                    .at(FILE, 0..0)
                    .hint("add a [[skills]] table for each skill: `skill = \"<id>\"` and `level = 1..5`; every required skill counts as level 0 until then"),
            );
        }
        Some(profile)
    }

    fn unknown_key(&mut self, key: &str, span: Range<usize>, allowed: &[&str], place: &str) {
        let hint = did_you_mean(key, allowed.iter().copied())
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| format!("keys allowed {place}: {}", allowed.join(", ")));
        self.error(
            Diagnostic::error("unknown-key", format!("unknown key `{key}`"))
                .at(FILE, span)
                .label("not part of the profile format")
                .hint(hint),
        );
    }

    fn wrong_type(&mut self, value: &Value<'_>, key: &str, expected: &str) {
        self.error(
            Diagnostic::error(
                "wrong-type",
                format!(
                    "`{key}` must be {expected}, not {}",
                    article(value.get_ref().type_str())
                ),
            )
            .at(FILE, value.span())
            .hint(format!("{FORMAT_DOC} shows the type of each key")),
        );
    }

    fn string(&mut self, value: &Value<'_>, key: &str) -> Option<String> {
        match value.get_ref() {
            DeValue::String(text) => Some(text.to_string()),
            _ => {
                self.wrong_type(value, key, "a string");
                None
            }
        }
    }

    /// Resolves `current_role` (id, title or alias) to a role id.
    fn role(&mut self, query: &str, span: Range<usize>) -> Option<String> {
        if let Some(role) = self.catalog.find_role(query) {
            return Some(role.id.to_string());
        }
        let suggestions: Vec<String> = self
            .catalog
            .suggest_roles(query)
            .iter()
            .map(|r| format!("`{}` ({})", r.id.as_str(), r.title.as_str()))
            .collect();
        let hint = if suggestions.is_empty() {
            "use a role id, title or alias from the catalog; `rolebook list` shows every role"
                .to_string()
        } else {
            format!("did you mean {}?", suggestions.join(", or "))
        };
        self.error(
            Diagnostic::error("unknown-role", format!("no role matches `{query}`"))
                .at(FILE, span)
                .label("not a role id, title or alias in the catalog")
                .hint(hint),
        );
        None
    }

    fn skills(&mut self, value: &Value<'_>) -> Vec<AssessedSkill> {
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(value, "skills", "an array of tables ([[skills]])");
            return Vec::new();
        };
        let mut seen: HashMap<String, Range<usize>> = HashMap::new();
        let mut skills = Vec::new();
        for (index, item) in items.iter().enumerate() {
            // Checking stops where nobody reads on: a profile with
            // thousands of bad entries costs no more than one with a page.
            // One place is kept for saying so, within what is shown.
            if self.error_count() >= MAX_REPORTED - 1 {
                let unchecked = items.len() - index;
                self.error(
                    Diagnostic::error(
                        "too-many-errors",
                        format!("checking stopped after {} errors; {unchecked} more [[skills]] entries were not checked", MAX_REPORTED - 1),
                    )
                    .at(FILE, item.span())
                    .hint("fix the errors above, then check the profile again"),
                );
                break;
            }
            let Some(assessed) = self.skill(item) else {
                continue;
            };
            let (skill, span) = assessed;
            if let Some(first) = seen.get(&skill.skill) {
                self.error(
                    Diagnostic::error(
                        "duplicate-skill",
                        format!("skill `{}` is assessed twice", skill.skill),
                    )
                    .at(FILE, span)
                    .related(FILE, first.clone(), "first assessed here")
                    .hint("keep one [[skills]] entry per skill"),
                );
                continue;
            }
            seen.insert(skill.skill.clone(), span);
            skills.push(skill);
        }
        skills
    }

    /// One `[[skills]]` entry, with the span of its skill id.
    fn skill(&mut self, item: &Value<'_>) -> Option<(AssessedSkill, Range<usize>)> {
        let DeValue::Table(table) = item.get_ref() else {
            self.wrong_type(item, "skills", "an array of tables ([[skills]])");
            return None;
        };
        let mut skill: Option<(String, Range<usize>)> = None;
        let mut level: Option<u8> = None;
        let mut manager_level: Option<u8> = None;
        let mut evidence = None;
        let mut complete = true;
        for (key, value) in table.iter() {
            match key.get_ref().as_ref() {
                "skill" => match self.string(value, "skill") {
                    Some(id) => match self.known_skill(&id, value.span()) {
                        Some(()) => skill = Some((id, value.span())),
                        None => complete = false,
                    },
                    None => complete = false,
                },
                "level" => match self.level(value) {
                    Some(l) => level = Some(l),
                    None => complete = false,
                },
                "manager_level" => match self.level(value) {
                    Some(l) => manager_level = Some(l),
                    None => complete = false,
                },
                "evidence" => match self.string(value, "evidence") {
                    Some(text) => evidence = Some(text),
                    None => complete = false,
                },
                other => self.unknown_key(other, key.span(), &SKILL_KEYS, "in [[skills]]"),
            }
        }
        for (key, present) in [
            ("skill", table.contains_key("skill")),
            ("level", table.contains_key("level")),
        ] {
            if !present {
                complete = false;
                self.error(
                    Diagnostic::error("missing-key", format!("missing key `{key}`"))
                        .at(FILE, item.span())
                        .label(format!("this [[skills]] entry needs `{key}`"))
                        .hint(format!("add `{key} = ...`; {FORMAT_DOC} lists every key")),
                );
            }
        }
        match (complete, skill, level) {
            (true, Some((skill, span)), Some(level)) => Some((
                AssessedSkill {
                    skill,
                    level,
                    manager_level,
                    evidence,
                },
                span,
            )),
            _ => None,
        }
    }

    fn known_skill(&mut self, id: &str, span: Range<usize>) -> Option<()> {
        if self.catalog.skill(id).is_some() {
            return Some(());
        }
        let by_name = self
            .catalog
            .skills()
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(id.trim()));
        let hint = match by_name {
            Some(skill) => format!("that is the skill's name; its id is `{}`", skill.id.as_str()),
            None => match did_you_mean(id, self.catalog.skills().iter().map(|s| s.id.as_str())) {
                Some(close) => format!("did you mean `{close}`?"),
                None => "use a skill id from the catalog's skill taxonomy (skills/*.toml); `rolebook show ROLE` lists a role's skills".to_string(),
            },
        };
        self.error(
            Diagnostic::error("unknown-skill", format!("unknown skill `{id}`"))
                .at(FILE, span)
                .label("no skill has this id")
                .hint(hint),
        );
        None
    }

    fn level(&mut self, value: &Value<'_>) -> Option<u8> {
        let scale = self.scale();
        let DeValue::Integer(integer) = value.get_ref() else {
            self.wrong_type(value, "level", "a whole number from 1 to 5");
            return None;
        };
        let digits = integer.as_str().replace('_', "");
        let parsed = i64::from_str_radix(&digits, integer.radix()).ok();
        match parsed
            .and_then(|n| u8::try_from(n).ok())
            .filter(|n| (1..=5).contains(n))
        {
            Some(level) => Some(level),
            None => {
                let shown = parsed.map_or_else(|| integer.as_str().to_string(), |n| n.to_string());
                self.error(
                    Diagnostic::error(
                        "out-of-range",
                        format!("level {shown} is off the proficiency scale"),
                    )
                    .at(FILE, value.span())
                    .label("levels run from 1 to 5")
                    .hint(format!(
                        "use {scale}; leave a skill out if you have not assessed it"
                    )),
                );
                None
            }
        }
    }

    /// "1 (Awareness) to 5 (Expert)" from the catalog's scale.
    fn scale(&self) -> String {
        let name = |n: u8| {
            self.catalog
                .proficiency_level(n)
                .map_or_else(|| n.to_string(), |p| format!("{n} ({})", p.name))
        };
        format!("{} to {}", name(1), name(5))
    }
}

fn article(type_name: &str) -> String {
    match type_name {
        "integer" | "array" => format!("an {type_name}"),
        other => format!("a {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::catalog;

    fn test_catalog() -> Catalog {
        catalog(&[
            (
                "sre-manager",
                "fam",
                "manager",
                &[
                    ("slo-engineering", 4, true),
                    ("people-leadership", 3, false),
                ],
            ),
            (
                "sre-director",
                "fam",
                "director",
                &[("slo-engineering", 5, true)],
            ),
        ])
    }

    fn codes(parsed: &ParsedProfile) -> Vec<&'static str> {
        parsed.diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn a_valid_profile_resolves_its_role_by_title() {
        let catalog = test_catalog();
        let text = "name = \"Ada\"\ncurrent_role = \"role sre-manager\"\n\n[[skills]]\nskill = \"slo-engineering\"\nlevel = 3\nevidence = \"Ran the SLO review\"\n\n[[skills]]\nskill = \"people-leadership\"\nlevel = 0x2\n";
        let parsed = parse_profile("me.toml", text, &catalog);
        assert_eq!(codes(&parsed), Vec::<&str>::new());
        let profile = parsed.profile.expect("valid");
        assert_eq!(profile.name.as_deref(), Some("Ada"));
        assert_eq!(profile.current_role.as_deref(), Some("sre-manager"));
        assert_eq!(profile.level("slo-engineering"), 3);
        assert_eq!(profile.level("people-leadership"), 2);
        assert_eq!(profile.level("anything-else"), 0);
        assert_eq!(
            profile.skills[0].evidence.as_deref(),
            Some("Ran the SLO review")
        );
    }

    #[test]
    fn checking_stops_after_the_reported_maximum() {
        let catalog = test_catalog();
        let mut text = String::from("name = \"x\"\n");
        for i in 0..5_000 {
            text.push_str(&format!("[[skills]]\nskill = \"nope-{i}\"\nlevel = 3\n"));
        }
        let parsed = parse_profile("many.toml", &text, &catalog);
        assert_eq!(parsed.error_count(), MAX_REPORTED);
        let last = parsed.diagnostics.last().expect("diagnostics");
        assert_eq!(last.code, "too-many-errors");
        assert!(last.message.contains("4951 more"), "{}", last.message);
    }

    #[test]
    fn control_characters_in_a_name_are_refused_where_they_are() {
        let catalog = test_catalog();
        let text = "name = \"Ada\\u001b[2J\"\n[[skills]]\nskill = \"slo-engineering\"\nlevel = 3\n";
        let parsed = parse_profile("me.toml", text, &catalog);
        assert_eq!(codes(&parsed), ["invalid-text"]);
        assert_eq!(parsed.diagnostics[0].span, 7..21);
        assert!(parsed.profile.is_none());
    }

    #[test]
    fn to_toml_round_trips() {
        let catalog = test_catalog();
        let profile = Profile {
            name: Some("Grace \"G\" H.".to_string()),
            current_role: Some("sre-manager".to_string()),
            skills: vec![AssessedSkill {
                skill: "slo-engineering".to_string(),
                level: 5,
                manager_level: Some(4),
                evidence: Some("Line one\nline two".to_string()),
            }],
        };
        let parsed = parse_profile("p.toml", &profile.to_toml(), &catalog);
        assert_eq!(parsed.profile, Some(profile));
    }

    #[test]
    fn every_problem_is_reported_in_one_pass_and_located() {
        let catalog = test_catalog();
        let text = "nam = \"Ada\"\ncurrent_role = \"sre-manger\"\n\n[[skills]]\nskill = \"slo-engineerin\"\nlevel = 3\n\n[[skills]]\nskill = \"people-leadership\"\nlevel = 7\n\n[[skills]]\nskill = \"people-leadership\"\nlevel = 2.5\nevidenc = \"x\"\n\n[[skills]]\nlevel = 2\n";
        let parsed = parse_profile("me.toml", text, &catalog);
        assert!(parsed.profile.is_none());
        assert_eq!(
            codes(&parsed),
            [
                "unknown-key",
                "unknown-role",
                "unknown-skill",
                "out-of-range",
                "wrong-type",
                "unknown-key",
                "missing-key"
            ]
        );
        let hints: Vec<&str> = parsed
            .diagnostics
            .iter()
            .map(|d| d.hint.as_deref().unwrap_or(""))
            .collect();
        assert_eq!(hints[0], "did you mean `name`?");
        assert!(hints[1].contains("`sre-manager`"), "{}", hints[1]);
        assert_eq!(hints[2], "did you mean `slo-engineering`?");
        assert!(
            hints[3].contains("1 (Awareness) to 5 (Expert)"),
            "{}",
            hints[3]
        );
        assert_eq!(hints[5], "did you mean `evidence`?");
        // Spans point at the offending text.
        let source = parsed.sources.file(0);
        let at = |i: usize| &source.text[parsed.diagnostics[i].span.clone()];
        assert_eq!(at(0), "nam");
        assert_eq!(at(2), "\"slo-engineerin\"");
        assert_eq!(at(3), "7");
        assert_eq!(source.line_col(parsed.diagnostics[3].span.start), (10, 9));
    }

    #[test]
    fn duplicates_names_and_types() {
        let catalog = test_catalog();
        let text = "name = 3\nskills = [{ skill = \"Skill slo-engineering\", level = 2 }, { skill = \"people-leadership\", level = 1 }, { skill = \"people-leadership\", level = 2 }, \"x\"]\n";
        let parsed = parse_profile("me.toml", text, &catalog);
        assert_eq!(
            codes(&parsed),
            [
                "wrong-type",
                "unknown-skill",
                "duplicate-skill",
                "wrong-type"
            ]
        );
        assert_eq!(
            parsed.diagnostics[0].message,
            "`name` must be a string, not an integer"
        );
        assert_eq!(
            parsed.diagnostics[1].hint.as_deref(),
            Some("that is the skill's name; its id is `slo-engineering`")
        );
        assert_eq!(parsed.diagnostics[2].related.len(), 1);
    }

    #[test]
    fn syntax_errors_and_empty_profiles() {
        let catalog = test_catalog();
        let parsed = parse_profile("me.toml", "name = \"unclosed\n[[skills]\n", &catalog);
        assert_eq!(codes(&parsed), ["toml-syntax"]);
        assert!(parsed.profile.is_none());

        let parsed = parse_profile("me.toml", "", &catalog);
        assert_eq!(codes(&parsed), ["no-skills"]);
        assert!(
            parsed.profile.is_some(),
            "a warning does not reject the profile"
        );

        let parsed = parse_profile("me.toml", "skills = 3\n[x]\n", &catalog);
        assert_eq!(codes(&parsed), ["wrong-type", "unknown-key"]);
        let parsed = parse_profile(
            "me.toml",
            "[[skills]]\nskill = \"slo-engineering\"\nlevel = 99999999999999999999\n",
            &catalog,
        );
        assert_eq!(codes(&parsed), ["out-of-range"]);
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(256))]

        /// Whatever the text, parsing returns (no panic) and every
        /// diagnostic points inside the file.
        #[test]
        fn any_text_is_checked_without_panicking(
            text in "(name|skills|skill|level|evidence|current_role|slo-engineering|\\[\\[skills\\]\\]|\\[x\\]| = |\"|'|[0-9]{1,4}|-|\\.|\n| |\\{|\\}|,|\\[|\\]|é|0x|true)*"
        ) {
            let catalog = test_catalog();
            let parsed = parse_profile("p.toml", &text, &catalog);
            for d in &parsed.diagnostics {
                proptest::prop_assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "{d:?}");
                proptest::prop_assert!(d.hint.is_some());
            }
            proptest::prop_assert_eq!(parsed.profile.is_some(), parsed.error_count() == 0);
        }
    }
}
