//! TOML to model, reporting as many problems per file as it can.
//!
//! serde stops at the first error in a value. To report more in one run,
//! [`parse_file`] removes the offending entry from the parsed document (a
//! whole element when the error is inside an array of tables, otherwise the
//! key) and deserialises again, until the document is accepted or nothing
//! more can be removed. Entries removed this way are remembered so that
//! later checks do not report references to them a second time.

use std::borrow::Cow;
use std::ops::Range;

use serde::de::{DeserializeOwned, IntoDeserializer};
use serde_spanned::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::suggest::did_you_mean;

/// Upper bound on re-parses of one file; each pass removes one entry.
const MAX_PASSES: usize = 64;

/// What parsing one file produced.
#[derive(Debug)]
pub(crate) struct Parsed<T> {
    pub value: Option<T>,
    /// `id` values of array elements dropped because they were invalid.
    pub dropped_ids: Vec<String>,
}

pub(crate) fn parse_file<T: DeserializeOwned>(
    file: FileId,
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Parsed<T> {
    let mut parsed = Parsed {
        value: None,
        dropped_ids: Vec::new(),
    };
    let (root, syntax_errors) = DeTable::parse_recoverable(text);
    // After the first syntax error the parser's recovery guesses, and an
    // unclosed string turns every later line into noise: report the first.
    if let Some(error) = syntax_errors
        .iter()
        .min_by_key(|e| e.span().map_or(0, |s| s.start))
    {
        let span = crate::diagnostic::toml_error_span(text, error.span());
        let more = syntax_errors.len() - 1;
        let hint = if more > 0 {
            "check quotes and brackets on this line and the lines before it; the rest of the file is checked once this is fixed"
        } else {
            "check quotes and brackets on this line and the lines before it"
        };
        diagnostics.push(
            Diagnostic::error("toml-syntax", format!("invalid TOML: {}", error.message()))
                .at(file, span)
                .hint(hint),
        );
        return parsed;
    }
    crate::text::check_document(file, root.get_ref(), diagnostics);
    let root_span = root.span();
    let mut table = root.into_inner();
    let mut removed_keys: Vec<String> = Vec::new();
    for _ in 0..MAX_PASSES {
        let document = Spanned::new(root_span.clone(), DeValue::Table(table.clone()));
        match T::deserialize(document.into_deserializer()) {
            Ok(value) => {
                parsed.value = Some(value);
                return parsed;
            }
            Err(error) => {
                let message = error.message().to_string();
                if let Some(field) = backticked(&message, "missing field `") {
                    // A field we removed for being invalid is now "missing":
                    // that was already reported.
                    if !removed_keys.iter().any(|key| key == field) {
                        let span = error.span().unwrap_or(0..0);
                        diagnostics.push(missing_field(file, text, span, field));
                    }
                    return parsed;
                }
                let span = error.span().unwrap_or(0..0);
                diagnostics.push(schema_error(file, span.clone(), &message));
                match remove_at(&mut table, &span) {
                    Some(removed) => {
                        removed_keys.extend(removed.key);
                        parsed.dropped_ids.extend(removed.id);
                    }
                    None => return parsed,
                }
            }
        }
    }
    parsed
}

fn missing_field(file: FileId, text: &str, span: Range<usize>, field: &str) -> Diagnostic {
    // The error spans the whole table; point at its first line only.
    let start = span.start.min(text.len());
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let where_ = if start == 0 {
        "this file"
    } else {
        "this table"
    };
    Diagnostic::error("missing-key", format!("missing key `{field}`"))
        .at(file, start..line_end)
        .label(format!("{where_} needs `{field}`"))
        .hint(format!(
            "add `{field} = ...`; docs/catalog-format.md lists every key"
        ))
}

fn schema_error(file: FileId, span: Range<usize>, message: &str) -> Diagnostic {
    if let Some(field) = backticked(message, "unknown field `") {
        let expected = expected_list(message);
        let hint = did_you_mean(field, expected.iter().copied())
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| format!("keys allowed here: {}", expected.join(", ")));
        return Diagnostic::error("unknown-key", format!("unknown key `{field}`"))
            .at(file, span)
            .label("not part of the catalog format")
            .hint(hint);
    }
    if let Some(variant) = backticked(message, "unknown variant `") {
        let expected = expected_list(message);
        let hint = did_you_mean(variant, expected.iter().copied())
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| format!("allowed values: {}", expected.join(", ")));
        return Diagnostic::error(
            "invalid-value",
            format!("`{variant}` is not an allowed value"),
        )
        .at(file, span)
        .hint(hint);
    }
    if message.starts_with("invalid type") || message.starts_with("invalid value") {
        return Diagnostic::error("wrong-type", plain_types(message))
            .at(file, span)
            .hint("see docs/catalog-format.md for the type of each key");
    }
    Diagnostic::error("invalid-value", plain_types(message))
        .at(file, span)
        .hint("see docs/catalog-format.md for the values each key takes")
}

/// serde's Rust type names in the words of the catalog format.
fn plain_types(message: &str) -> String {
    let mut out = message.to_string();
    for (rust, plain) in [
        ("expected u8", "expected a whole number from 0 to 255"),
        ("expected u16", "expected a whole number from 0 to 65535"),
        ("expected a sequence", "expected an array"),
        ("expected a map", "expected a table"),
        ("expected struct", "expected a table"),
    ] {
        out = out.replace(rust, plain);
    }
    out
}

/// The text between `prefix` and the next backtick.
fn backticked<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    let start = message.find(prefix)? + prefix.len();
    let end = message[start..].find('`')? + start;
    Some(&message[start..end])
}

/// The names serde lists after "expected one of".
fn expected_list(message: &str) -> Vec<&str> {
    let Some(start) = message.find("expected") else {
        return Vec::new();
    };
    message[start..].split('`').skip(1).step_by(2).collect()
}

#[derive(Debug)]
struct Removed {
    key: Option<String>,
    id: Option<String>,
}

fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// Whether `span` lies inside `value` or any value nested in it. Container
/// spans are not trusted: an array of tables spans only its first header.
fn reaches(value: &Spanned<DeValue<'_>>, span: &Range<usize>) -> bool {
    match value.get_ref() {
        DeValue::Table(table) => table
            .iter()
            .any(|(key, inner)| contains(&key.span(), span) || reaches(inner, span)),
        DeValue::Array(items) => items.iter().any(|item| reaches(item, span)),
        _ => contains(&value.span(), span),
    }
}

/// Removes the entry that `span` points into; `None` when nothing matches.
fn remove_at(table: &mut DeTable<'_>, span: &Range<usize>) -> Option<Removed> {
    let mut target: Option<Spanned<Cow<'_, str>>> = None;
    for (key, value) in table.iter_mut() {
        let key_hit = contains(&key.span(), span);
        if !key_hit && !reaches(value, span) {
            continue;
        }
        if !key_hit {
            match value.get_mut() {
                DeValue::Table(inner) => {
                    if let Some(removed) = remove_at(inner, span) {
                        return Some(removed);
                    }
                }
                DeValue::Array(items) => {
                    if let Some(index) = items.iter().position(|item| reaches(item, span)) {
                        let item = items[index].clone();
                        // DeArray has no `remove`; rebuild it without the element.
                        let mut rest = toml::de::DeArray::new();
                        for (i, kept) in items.iter().enumerate() {
                            if i != index {
                                rest.push(kept.clone());
                            }
                        }
                        *items = rest;
                        let id = item
                            .get_ref()
                            .as_table()
                            .and_then(|t| t.get("id"))
                            .and_then(|v| v.get_ref().as_str())
                            .map(str::to_string);
                        return Some(Removed { key: None, id });
                    }
                }
                _ => {}
            }
        }
        target = Some(key.clone());
        break;
    }
    let key = target?;
    table.remove(key.get_ref().as_ref());
    Some(Removed {
        key: Some(key.into_inner().into_owned()),
        id: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        name: String,
        #[serde(default)]
        items: Vec<Item>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        id: String,
        size: u8,
    }

    fn run(text: &str) -> (Parsed<Doc>, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let parsed = parse_file::<Doc>(0, text, &mut diagnostics);
        (parsed, diagnostics)
    }

    #[test]
    fn reports_every_bad_element_and_keeps_the_good_ones() {
        let text = "name = \"x\"\n[[items]]\nid = \"a\"\nsize = \"big\"\n[[items]]\nid = \"b\"\nsize = 2\n[[items]]\nid = \"c\"\nsize = 3\ncolour = 1\n";
        let (parsed, diagnostics) = run(text);
        let codes: Vec<_> = diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["wrong-type", "unknown-key"]);
        assert_eq!(parsed.value.map(|d| d.items.len()), Some(1));
        assert_eq!(parsed.dropped_ids, ["a", "c"]);
    }

    #[test]
    fn unknown_key_suggests_the_closest_key() {
        let (_, diagnostics) = run("nam = \"x\"\n");
        assert_eq!(diagnostics[0].code, "unknown-key");
        assert_eq!(diagnostics[0].hint.as_deref(), Some("did you mean `name`?"));
        assert_eq!(diagnostics[0].span, 0..3);
    }

    #[test]
    fn a_removed_required_key_is_not_reported_again_as_missing() {
        let (parsed, diagnostics) = run("name = 3\n");
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].code, "wrong-type");
        assert!(parsed.value.is_none());
    }

    #[test]
    fn a_key_nested_past_the_parser_limit_is_located_on_its_line() {
        let text = format!("name = \"x\"\nk{} = 1\n", ".b".repeat(300));
        let (_, diagnostics) = run(&text);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].code, "toml-syntax");
        assert_eq!(diagnostics[0].span.start, 11);
    }

    #[test]
    fn syntax_errors_are_located() {
        let (parsed, diagnostics) = run("name = \"x\nitems = [\n");
        assert!(parsed.value.is_none());
        assert!(diagnostics.iter().all(|d| d.code == "toml-syntax"));
        assert!(!diagnostics.is_empty());
    }
}
