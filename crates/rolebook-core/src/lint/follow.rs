//! Prose that will not follow the catalog: a role's title spelled out where
//! a reference would keep it current, and a target's figure copied into
//! other text of the same role, where it goes stale when the target moves.
//! Both read the catalog as written, references unresolved.

use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};

use super::Scope;
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Role;
use crate::prose;
use crate::source::{FileId, Sources};

pub(super) fn spelled_titles(
    catalog: &Catalog,
    sources: &Sources,
    scope: &Scope,
    out: &mut Vec<Diagnostic>,
) {
    let roles = catalog.written_roles();
    let Ok(titles) = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(roles.iter().map(|r| r.title.as_str()))
    else {
        return;
    };
    let mut check = |file: FileId, own: Option<&str>, text: &str, cursor: &mut usize| {
        let source = &sources.file(file).text;
        for (at, _) in text.match_indices("{role") {
            let before = text[..at].trim_end_matches(' ');
            let word_start = before
                .rfind(|c: char| !c.is_alphabetic())
                .map_or(0, |i| i + 1);
            if before.len() < text[..at].len()
                && matches!(&before[word_start..], "a" | "an" | "A" | "An")
            {
                let end = text[at..].find('}').map_or(text.len(), |i| at + i + 1);
                out.push(
                    Diagnostic::warning(
                        "reference-article",
                        format!(
                            "`{}` puts an article before a title that may change",
                            &text[word_start..end]
                        ),
                    )
                    .at(file, place(source, text, word_start..end, cursor))
                    .label("\"a\" or \"an\" depends on the title a reference reads as")
                    .hint("write \"the {role…}\", a plural, or reword the sentence"),
                );
            }
        }
        for found in titles.find_iter(text) {
            if !whole_word(text, found.range()) {
                continue;
            }
            let role = &roles[found.pattern().as_usize()];
            let written = if own == Some(role.id.as_str()) {
                "{role}".to_string()
            } else {
                format!("{{role:{}}}", role.id.as_str())
            };
            out.push(
                Diagnostic::warning(
                    "spelled-title",
                    format!("`{}` is spelled out", role.title.as_str()),
                )
                .at(file, place(source, text, found.range(), cursor))
                .label("this text keeps the old title if the role is retitled")
                .hint(format!(
                    "write `{written}`: it reads as the role's current title everywhere"
                )),
            );
        }
    };
    for role in roles {
        if let Some(file) = catalog.role_file(&role.id).filter(|f| scope.covers(*f)) {
            let mut cursor = 0;
            prose::role_prose(role, |t| {
                check(file, Some(role.id.as_str()), t, &mut cursor)
            });
        }
    }
    for skill in catalog.written_skills() {
        if let Some(file) = catalog.skill_file(&skill.id).filter(|f| scope.covers(*f)) {
            prose::skill_prose(skill, |t| check(file, None, t, &mut 0));
        }
    }
    for kpi in catalog.written_kpis() {
        if let Some(file) = catalog.kpi_file(&kpi.id).filter(|f| scope.covers(*f)) {
            prose::kpi_prose(kpi, |t| check(file, None, t, &mut 0));
        }
    }
    if let Some(file) = sources.find("framework.toml").filter(|f| scope.covers(*f)) {
        prose::framework_prose(catalog.written_framework(), |t| {
            check(file, None, t, &mut 0)
        });
    }
}

pub(super) fn restated_targets(role: &Role, file: FileId, source: &str, out: &mut Vec<Diagnostic>) {
    let mut figures: Vec<(String, &str)> = Vec::new();
    for owned in &role.kpis {
        for (figure, _) in figures_in(&owned.target) {
            if !figures.iter().any(|(f, _)| *f == figure) {
                figures.push((figure, owned.kpi.as_str()));
            }
        }
    }
    if figures.is_empty() {
        return;
    }
    let mut cursor = 0;
    prose::role_prose(role, |text| {
        for (figure, range) in figures_in(text) {
            let Some((_, kpi)) = figures.iter().find(|(f, _)| *f == figure) else {
                continue;
            };
            out.push(
                Diagnostic::warning(
                    "restated-target",
                    format!("`{}` restates this role's target for `{kpi}`", &text[range.clone()]),
                )
                .at(file, place(source, text, range, &mut cursor))
                .label("a copy of the target goes stale when the target changes")
                .hint(format!(
                    "refer to it instead: `{{target:{kpi}}}` for the target, or `{{kpi:{kpi}}}` and \"its target\"; or suppress with [[lint.allow]] rule = \"restated-target\""
                )),
            );
        }
    });
}

/// Percentages and durations of minutes, hours and seconds: the figures
/// targets are made of. Counts of days, weeks and months are too often
/// unrelated ("in 90 days") to compare. Each figure comes normalised
/// ("35%", "45 min") with where it is written.
fn figures_in(text: &str) -> Vec<(String, Range<usize>)> {
    let bytes = text.as_bytes();
    let mut figures = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_number = bytes[i].is_ascii_digit()
            && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'.'));
        if !starts_number {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len()
            && (bytes[i].is_ascii_digit()
                || (bytes[i] == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)))
        {
            i += 1;
        }
        let number = &text[start..i];
        if bytes.get(i) == Some(&b'%') {
            figures.push((format!("{number}%"), start..i + 1));
            i += 1;
            continue;
        }
        let gap = text[i..].len() - text[i..].trim_start_matches([' ', '-']).len();
        let word_start = i + gap;
        let word_end = text[word_start..]
            .find(|c: char| !c.is_ascii_alphabetic())
            .map_or(text.len(), |n| word_start + n);
        let unit = match &text[word_start..word_end] {
            "min" | "mins" | "minute" | "minutes" => "min",
            "h" | "hr" | "hrs" | "hour" | "hours" => "h",
            "s" | "sec" | "secs" | "second" | "seconds" => "s",
            "ms" | "millisecond" | "milliseconds" => "ms",
            _ => continue,
        };
        if gap <= 1 {
            figures.push((format!("{number} {unit}"), start..word_end));
        }
        i = word_end;
    }
    figures
}

fn whole_word(text: &str, range: Range<usize>) -> bool {
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// Where `range` of a prose value is written in the file: found through
/// the value's opening words, checked against the file; else the first
/// place the same words are written at or after `cursor`.
fn place(source: &str, value: &str, range: Range<usize>, cursor: &mut usize) -> Range<usize> {
    let wanted = &value[range.clone()];
    let probe_end = value.char_indices().nth(60).map_or(value.len(), |(i, _)| i);
    let probe = &value[..probe_end];
    let from = source
        .get(*cursor..)
        .and_then(|rest| rest.find(probe))
        .map(|i| *cursor + i)
        .or_else(|| source.find(probe));
    if let Some(value_start) = from {
        let start = value_start + range.start;
        if source.get(start..start + wanted.len()) == Some(wanted) {
            *cursor = value_start;
            return start..start + wanted.len();
        }
    }
    match source.get(*cursor..).and_then(|rest| rest.find(wanted)) {
        Some(i) => *cursor + i..*cursor + i + wanted.len(),
        None => source.find(wanted).map_or(0..0, |i| i..i + wanted.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_percentages_and_short_durations() {
        let found: Vec<String> = figures_in(
            "Toil at or below 35% (ceiling 50%), MTTR under 45 minutes, p99 300 ms, a 12-hour shift, 90 days, ISO 27001, 99.95% and v2.5%",
        )
        .into_iter()
        .map(|(f, _)| f)
        .collect();
        assert_eq!(found, ["35%", "50%", "45 min", "300 ms", "12 h", "99.95%"]);
    }

    #[test]
    fn places_a_match_inside_its_value() {
        let source = "a = \"The Head of IT leads.\"\nb = \"Head of IT again\"\n";
        let value = "Head of IT again";
        let range = 0..10;
        assert_eq!(&source[place(source, value, range, &mut 0)], "Head of IT");
        assert_eq!(place(source, value, 0..10, &mut 0).start, 33);
    }

    #[test]
    fn titles_match_whole_words_only() {
        assert!(whole_word("the CTO office", 4..7));
        assert!(!whole_word("the CTOs", 4..7));
    }
}
