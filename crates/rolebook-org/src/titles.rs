//! Job titles to catalog roles: each distinct title resolved once with the
//! same resolver as `rolebook resolve`, and a mapping file the user
//! corrects and gives back, which always wins over the resolver.

use std::collections::HashMap;
use std::io::{Read, Write};

use rolebook_core::Catalog;
use rolebook_search::resolve::{MatchStatus, Resolution, TitleResolver};
use serde::Serialize;

use crate::people::Person;

/// Where a title's role came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// The resolver's answer.
    Resolver,
    /// The user's mapping file.
    Mapping,
}

/// One distinct title of the organisation and the role it holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TitleRole {
    pub title: String,
    pub head_count: usize,
    /// The catalog role id; `None` when the title is no catalog role.
    pub role: Option<String>,
    pub confidence: f32,
    pub reason: String,
    pub source: Source,
}

/// The titles of an organisation and, per person, the title's index.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Titles {
    /// Most people first, then by title.
    pub titles: Vec<TitleRole>,
    /// For each person (same order as the people), the index into
    /// `titles`; `None` for a person with no title.
    #[serde(skip)]
    pub of_person: Vec<Option<usize>>,
    /// Corrections whose title no one in the export holds (a typo, or a
    /// title since changed): line and title.
    #[serde(skip)]
    pub unused_corrections: Vec<(u64, String)>,
}

impl Titles {
    /// The role id of the person at `index`.
    pub fn role_of(&self, index: usize) -> Option<&str> {
        self.of_person
            .get(index)
            .copied()
            .flatten()
            .and_then(|t| self.titles[t].role.as_deref())
    }
}

/// A title as the mapping file and the export are compared: case and runs
/// of spaces do not matter.
fn key(title: &str) -> String {
    title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A correction read from a mapping file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub line: u64,
    pub title: String,
    pub role: Option<String>,
}

/// The user's corrections: title key → role.
#[derive(Debug, Clone, Default)]
pub struct Corrections(HashMap<String, Correction>);

/// Mistakes in a mapping file, all of them, each with its line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(|p| format!("line {}: {}", p.0, p.1)).collect::<Vec<_>>().join("\n"))]
pub struct CorrectionsError(pub Vec<(u64, String)>);

impl Corrections {
    /// Reads a mapping file as `rolebook org map` writes it: the `title`
    /// and `role` columns are read (a role id, title or alias; empty for
    /// "no catalog role"); the others are for people and ignored.
    pub fn read(mut input: impl Read, catalog: &Catalog) -> Result<Corrections, CorrectionsError> {
        let mut bytes = Vec::new();
        if let Err(e) = input.read_to_end(&mut bytes) {
            return Err(CorrectionsError(vec![(0, e.to_string())]));
        }
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        // Saved from a spreadsheet in any locale: the separator is sniffed
        // as for exports.
        let separator = crate::table::sniff_separator(bytes);
        if let Some((line, column)) = crate::table::unclosed_quote(bytes, separator) {
            return Err(CorrectionsError(vec![(
                line,
                format!("a quote opens in column {column} and is never closed"),
            )]));
        }
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .delimiter(separator)
            .from_reader(bytes);
        let mut problems = Vec::new();
        let header = match reader.headers() {
            Ok(h) => h.clone(),
            Err(e) => return Err(CorrectionsError(vec![(1, e.to_string())])),
        };
        let position = |name: &str| {
            header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        let (Some(title_at), Some(role_at)) = (position("title"), position("role")) else {
            return Err(CorrectionsError(vec![(
                1,
                "a mapping file needs a `title` and a `role` column (write one with `rolebook org map`)".into(),
            )]));
        };
        let mut out = HashMap::new();
        for record in reader.records() {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    problems.push((line, e.to_string()));
                    continue;
                }
            };
            let line = record.position().map_or(0, |p| p.line());
            let title = unescape(record.get(title_at).unwrap_or("").trim());
            if title.is_empty() {
                continue;
            }
            let role = record.get(role_at).unwrap_or("").trim();
            let role = if role.is_empty() || role == "-" {
                None
            } else {
                match catalog.lookup_role(role) {
                    Ok(found) => Some(found.id.to_string()),
                    Err(unknown) => {
                        let hint = match unknown.suggestions.first() {
                            Some(s) => format!("; did you mean `{}` ({})?", s.id, s.title),
                            None => "; write a role id from `rolebook list`, or leave it empty for no catalog role".into(),
                        };
                        problems.push((
                            line,
                            format!(
                                "role {role:?} for title {title:?} is not in the catalog{hint}"
                            ),
                        ));
                        continue;
                    }
                }
            };
            let correction = Correction {
                line,
                title: title.to_owned(),
                role,
            };
            if let Some(previous) = out.insert(key(title), correction) {
                problems.push((
                    line,
                    format!("title {title:?} is also on line {}", previous.line),
                ));
            }
        }
        if problems.is_empty() {
            Ok(Corrections(out))
        } else {
            Err(CorrectionsError(problems))
        }
    }
}

/// Whether a resolution is taken as the person's role: the resolver's
/// exact and confident answers. A nearby role is at another level, so it
/// is offered in the reason, not assumed.
fn accepted(resolution: &Resolution) -> bool {
    matches!(resolution.status, MatchStatus::Exact | MatchStatus::Match)
}

fn reason_of(resolution: &Resolution) -> String {
    let explanation = resolution.explanation.summary();
    match (&resolution.role, resolution.status) {
        (Some(role), MatchStatus::Exact | MatchStatus::Match) => {
            format!(
                "{}: {} — {explanation}",
                resolution.status.label(),
                role.title
            )
        }
        (Some(role), _) => format!(
            "nearest is {} ({}) at another level, not assumed; write its id in `role` if right — {explanation}",
            role.title, role.role_id
        ),
        (None, MatchStatus::Ambiguous) => format!(
            "ambiguous between {}; write the right id in `role` — {explanation}",
            resolution
                .candidates
                .iter()
                .map(|c| format!("{} ({})", c.title, c.role_id))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        (None, _) => format!("no catalog role — {explanation}"),
    }
}

/// Resolves every distinct title of `people`, once each; corrections win.
pub fn map(people: &[Person], resolver: &TitleResolver, corrections: &Corrections) -> Titles {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut titles: Vec<TitleRole> = Vec::new();
    let mut of_person = Vec::with_capacity(people.len());
    for person in people {
        if person.title.is_empty() {
            of_person.push(None);
            continue;
        }
        let k = key(&person.title);
        let at = *index.entry(k).or_insert_with_key(|k| {
            let entry = match corrections.0.get(k) {
                Some(correction) => TitleRole {
                    title: person.title.clone(),
                    head_count: 0,
                    role: correction.role.clone(),
                    confidence: 1.0,
                    reason: format!("from the mapping file, line {}", correction.line),
                    source: Source::Mapping,
                },
                None => {
                    let resolution = resolver.resolve_title(&person.title);
                    TitleRole {
                        title: person.title.clone(),
                        head_count: 0,
                        role: accepted(&resolution)
                            .then(|| resolution.role.as_ref().map(|r| r.role_id.clone()))
                            .flatten(),
                        confidence: (resolution.confidence * 100.0).round() / 100.0,
                        reason: reason_of(&resolution),
                        source: Source::Resolver,
                    }
                }
            };
            titles.push(entry);
            titles.len() - 1
        });
        titles[at].head_count += 1;
        of_person.push(Some(at));
    }
    // Most people first; the remap keeps each person's index right.
    let mut order: Vec<usize> = (0..titles.len()).collect();
    order.sort_by(|&a, &b| {
        titles[b]
            .head_count
            .cmp(&titles[a].head_count)
            .then_with(|| titles[a].title.cmp(&titles[b].title))
    });
    let mut new_place = vec![0; titles.len()];
    for (place, &old) in order.iter().enumerate() {
        new_place[old] = place;
    }
    let mut sorted: Vec<Option<TitleRole>> = titles.into_iter().map(Some).collect();
    let titles = order.iter().filter_map(|&old| sorted[old].take()).collect();
    let of_person = of_person
        .into_iter()
        .map(|t| t.map(|t| new_place[t]))
        .collect();
    let mut unused_corrections: Vec<(u64, String)> = corrections
        .0
        .iter()
        .filter(|(k, _)| !index.contains_key(*k))
        .map(|(_, c)| (c.line, c.title.clone()))
        .collect();
    unused_corrections.sort();
    Titles {
        titles,
        of_person,
        unused_corrections,
    }
}

/// The characters that make a spreadsheet read a cell as a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell a spreadsheet will show as text: one that would start a
/// formula (`=HYPERLINK(…)` as a job title) gets a leading `'`, which
/// spreadsheets hide and [`unescape`] removes.
fn escape(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(FORMULA_START) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

fn unescape(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest,
        _ => cell,
    }
}

/// Writes the mapping file: one row per distinct title, most people
/// first, for the user to correct and give back with `--mapping`.
pub fn write_mapping(titles: &Titles, output: impl Write) -> Result<(), csv::Error> {
    let mut writer = csv::Writer::from_writer(output);
    writer.write_record(["title", "head_count", "role", "confidence", "reason"])?;
    for title in &titles.titles {
        writer.write_record([
            escape(&title.title).as_ref(),
            &title.head_count.to_string(),
            title.role.as_deref().unwrap_or(""),
            &format!("{:.2}", title.confidence),
            escape(&title.reason).as_ref(),
        ])?;
    }
    writer.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::Person;

    fn person(id: &str, title: &str) -> Person {
        Person {
            line: 2,
            id: id.into(),
            name: String::new(),
            email: String::new(),
            title: title.into(),
            manager: String::new(),
            department: String::new(),
            location: String::new(),
            start_date: None,
        }
    }

    #[test]
    fn the_mapping_round_trips_through_a_spreadsheet_of_any_locale() {
        let catalog = rolebook_core::load(rolebook_core::builtin::sources())
            .catalog
            .expect("the built-in catalog is valid");
        let resolver = TitleResolver::new(&catalog);
        let people = [person("1", "=HYPERLINK(\"x\")"), person("2", "SRE Manager")];
        let titles = map(&people, &resolver, &Corrections::default());
        let mut written = Vec::new();
        write_mapping(&titles, &mut written).expect("written");
        let written = String::from_utf8(written).expect("UTF-8");
        assert!(written.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{written}");
        // Saved back by a European spreadsheet: semicolons.
        let corrected = "title;head_count;role\n\"'=HYPERLINK(\"\"x\"\")\";1;sre-director\nSRE Managr;1;sre-manager\n";
        let corrections = Corrections::read(corrected.as_bytes(), &catalog).expect("reads");
        let titles = map(&people, &resolver, &corrections);
        assert_eq!(titles.role_of(0), Some("sre-director"));
        assert_eq!(titles.unused_corrections, [(3, "SRE Managr".to_string())]);
        let error = Corrections::read("title,role\n\"SRE,sre-manager\n".as_bytes(), &catalog)
            .expect_err("fails");
        assert_eq!(error.0[0].0, 2);
    }
}
