//! Full-text search over the built-in catalog: ranking by field, kinds,
//! typo and prefix tolerance, phrases, snippets and bad queries.

mod common;

use std::sync::OnceLock;

use rolebook_search::{FullTextIndex, Kind, SearchError, SearchQuery, SearchResults};

fn index() -> &'static FullTextIndex {
    static INDEX: OnceLock<FullTextIndex> = OnceLock::new();
    INDEX.get_or_init(|| FullTextIndex::build(&common::builtin_catalog()).expect("index builds"))
}

fn search(text: &str) -> SearchResults {
    index()
        .search(&SearchQuery::new(text).limit(10))
        .unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn ids(results: &SearchResults) -> Vec<&str> {
    results.hits.iter().map(|h| h.id.as_str()).collect()
}

#[test]
fn every_role_skill_and_kpi_is_indexed() {
    let catalog = common::builtin_catalog();
    assert_eq!(
        index().len(),
        catalog.roles().len() + catalog.skills().len() + catalog.kpis().len()
    );
}

#[test]
fn a_title_match_outranks_a_mention_in_the_body() {
    let results = search("ciso ");
    assert_eq!(ids(&results)[0], "chief-information-security-officer");
    let results = search("platform engineering ");
    assert_eq!(ids(&results)[0], "vp-of-platform-engineering");
    let results = search("error budget ");
    let first = &results.hits[0];
    assert!(
        first.title.to_lowercase().contains("error-budget"),
        "{:?}",
        ids(&results)
    );
}

#[test]
fn kinds_filter_results() {
    let results = index()
        .search(
            &SearchQuery::new("reliability ")
                .kinds([Kind::Kpi])
                .limit(50),
        )
        .expect("searches");
    assert!(!results.hits.is_empty());
    assert!(results.hits.iter().all(|h| h.kind == Kind::Kpi));
    let roles = index()
        .search(
            &SearchQuery::new("reliability ")
                .kinds([Kind::Role, Kind::Skill])
                .limit(50),
        )
        .expect("searches");
    assert!(roles.hits.iter().all(|h| h.kind != Kind::Kpi));
    assert!(roles.hits.iter().any(|h| h.kind == Kind::Role));
}

#[test]
fn typos_are_corrected_and_reported() {
    let results = search("reliabilty ");
    assert_eq!(results.corrections.len(), 1);
    assert_eq!(results.corrections[0].word, "reliabilty");
    assert!(
        results.corrections[0]
            .read_as
            .contains(&"reliability".to_string())
    );
    assert!(!results.hits.is_empty());
    let exact = search("reliability ");
    assert_eq!(
        results.total, exact.total,
        "the typo finds what the word finds"
    );
    let results = search("kuberentes ");
    assert_eq!(ids(&results)[0], "container-platform-engineering");
}

#[test]
fn the_last_word_is_a_prefix_while_typing() {
    let typing = search("platf");
    assert!(typing.total > 0);
    assert_eq!(ids(&typing)[0], "vp-of-platform-engineering");
    // A closed word is not a prefix.
    assert_eq!(search("platf ").total, 0);
    // A star makes any word a prefix.
    assert!(search("platf* strategy ").total > 0);
}

#[test]
fn quoted_words_are_a_phrase() {
    let phrase = search("\"error budget policy\"");
    let words = search("error budget policy ");
    assert!(phrase.total > 0);
    assert!(phrase.total <= words.total);
    for hit in &phrase.hits {
        let snippet = hit.snippet.as_ref().expect("a snippet");
        assert!(!snippet.highlights.is_empty(), "{}", hit.id);
    }
}

#[test]
fn all_words_must_match_unless_none_does() {
    let both = search("kubernetes budget ");
    assert!(!both.partial);
    let fallback = search("kubernetes zzzzzz ");
    assert!(fallback.partial);
    assert!(fallback.total > 0);
}

#[test]
fn snippets_mark_exactly_the_matching_words() {
    let results = search("incident postmortem ");
    assert!(!results.hits.is_empty());
    for hit in &results.hits {
        let Some(snippet) = &hit.snippet else {
            continue;
        };
        assert!(snippet.text.len() <= 220, "{}: {}", hit.id, snippet.text);
        for range in &snippet.highlights {
            let word = snippet.text[range.clone()].to_lowercase();
            assert!(
                word.starts_with("incident") || word.starts_with("postmortem"),
                "{}: marked {word:?} in {}",
                hit.id,
                snippet.text
            );
        }
        for range in &hit.title_highlights {
            assert!(
                hit.title.is_char_boundary(range.start) && hit.title.is_char_boundary(range.end)
            );
        }
    }
    let html = results.hits[0]
        .snippet
        .as_ref()
        .expect("a snippet")
        .to_html();
    assert!(html.contains("<mark>"), "{html}");
}

#[test]
fn results_serialise_for_the_api() {
    let results = search("slo ");
    let json = serde_json::to_value(&results).expect("serialises");
    let hit = &json["hits"][0];
    assert!(hit["kind"].is_string());
    assert!(hit["snippet"]["highlights"][0].is_array());
    assert_eq!(json["query"], "slo ");
}

#[test]
fn bad_queries_are_client_errors() {
    for (text, check) in [("", "empty"), ("  \"\" ", "empty"), ("!!! ???", "empty")] {
        let error = index().search(&SearchQuery::new(text)).expect_err(text);
        assert!(matches!(error, SearchError::EmptyQuery), "{check}: {error}");
        assert!(error.is_client_error());
    }
    let long = "word ".repeat(60);
    let error = index()
        .search(&SearchQuery::new(long))
        .expect_err("too long");
    assert!(matches!(error, SearchError::QueryTooLong { .. }));
    let many = "a b c d e f g h i j k l m n o p q r";
    let error = index()
        .search(&SearchQuery::new(many))
        .expect_err("too many");
    assert!(matches!(error, SearchError::TooManyWords { .. }));
    assert!(error.to_string().contains("limit is 16"));
}

#[test]
fn limits_are_clamped() {
    let results = index()
        .search(&SearchQuery::new("the ").limit(10_000))
        .expect("searches");
    assert!(results.hits.len() <= rolebook_search::search::MAX_LIMIT);
    let one = index()
        .search(&SearchQuery::new("the ").limit(0))
        .expect("searches");
    assert_eq!(one.hits.len(), 1);
}

#[test]
fn odd_input_never_panics() {
    for text in [
        "*",
        "\"",
        "\"\"\"",
        "a*b*c",
        "🙂 emoji",
        "ÉRROR BÜDGET",
        "-",
        "x\u{0}y",
        "'",
    ] {
        let _ = index().search(&SearchQuery::new(text));
    }
}

/// A catalog whose text has what real text has: wide spaces, other line
/// breaks, long compound words.
fn odd_text_index() -> &'static FullTextIndex {
    static INDEX: OnceLock<FullTextIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let spaces = [
            ("nbsp", '\u{00a0}'),
            ("emsp", '\u{2003}'),
            ("ideographic", '\u{3000}'),
            ("linesep", '\u{2028}'),
        ];
        let mut roles: Vec<_> = spaces
            .iter()
            .map(|(name, space)| {
                common::role_file(
                    &format!("{name}-role"),
                    &format!("{name} role"),
                    "",
                    "engineering",
                    "director",
                    &format!("Leads the function as the business goes.{space}Zebrafoo{name} x."),
                )
            })
            .collect();
        roles.push(common::role_file(
            "compound-role",
            "Compound role",
            "",
            "engineering",
            "director",
            &format!(
                "Owns the {} and the {} register.",
                LONG_WORD,
                "Überlängenbeschränkungsverwaltungsvorschrift".repeat(4)
            ),
        ));
        FullTextIndex::build(&common::builtin_with(roles)).expect("index builds")
    })
}

/// 42 letters: longer than the 40-byte words the index used to drop.
const LONG_WORD: &str = "Donaudampfschifffahrtsgesellschaftskapitän";

#[test]
fn wide_spaces_in_catalog_text_do_not_break_snippets() {
    for name in ["nbsp", "emsp", "ideographic", "linesep"] {
        let query = format!("zebrafoo{name}");
        let results = odd_text_index()
            .search(&SearchQuery::new(query.as_str()))
            .unwrap_or_else(|e| panic!("{query}: {e}"));
        assert_eq!(ids(&results), vec![format!("{name}-role")], "{query}");
        let snippet = results.hits[0].snippet.as_ref().expect("a snippet");
        assert_eq!(
            snippet.render("[", "]"),
            format!("… [Zebrafoo{name}] x."),
            "{query}"
        );
    }
}

#[test]
fn long_words_are_findable() {
    let index = odd_text_index();
    let long = LONG_WORD.to_lowercase();
    assert!(long.chars().count() > 40);
    for query in [
        format!("{long} "),
        long.clone(),
        format!("\"the {long}\""),
        // A prefix while typing, and a typo.
        long.chars().take(30).collect::<String>(),
        long.replacen("schiff", "shiff", 1) + " ",
    ] {
        let results = index
            .search(&SearchQuery::new(query.as_str()))
            .unwrap_or_else(|e| panic!("{query}: {e}"));
        assert_eq!(ids(&results), vec!["compound-role"], "{query}");
        let snippet = results.hits[0].snippet.as_ref().expect("a snippet");
        assert!(
            snippet.render("[", "]").contains(&format!("[{LONG_WORD}]")),
            "{query}: {}",
            snippet.render("[", "]")
        );
    }
    // A word of 176 letters, past the longest indexed word (255 bytes
    // folded): found by the part that is indexed.
    let longer = "Überlängenbeschränkungsverwaltungsvorschrift".repeat(4);
    let results = index
        .search(&SearchQuery::new(format!("{longer} ")))
        .expect("searches");
    assert_eq!(ids(&results), vec!["compound-role"]);
}

#[test]
fn a_very_long_word_is_a_word_not_an_empty_query() {
    // The longest query there is: one word of 200 characters, the widest
    // that fold (four bytes each).
    for word in ["x".repeat(200), "𝔁".repeat(200), "ж".repeat(200)] {
        match index().search(&SearchQuery::new(word.as_str())) {
            Ok(results) => assert_eq!(results.total, 0),
            Err(error) => panic!("{}…: {error}", word.chars().take(4).collect::<String>()),
        }
    }
}

/// What a search returns, as JSON (scores, highlights and snippets).
fn answers(index: &FullTextIndex, queries: &[&str]) -> Vec<String> {
    queries
        .iter()
        .map(|q| {
            let results = index.search(&SearchQuery::new(*q)).expect("a valid query");
            serde_json::to_string(&results).expect("serialises")
        })
        .collect()
}

fn borrowed(files: &[(String, Vec<u8>)]) -> Vec<(&str, &[u8])> {
    files
        .iter()
        .map(|(name, bytes)| (name.as_str(), bytes.as_slice()))
        .collect()
}

#[test]
fn a_kept_index_answers_as_the_index_it_was_kept_from() {
    let catalog = common::builtin_catalog();
    let queries = [
        "error budget",
        "platf",
        "privacy impact",
        "\"on-call\" load",
        "budgte",
    ];
    let built = FullTextIndex::build(&catalog).expect("indexes");
    let files = built.files().expect("its files");
    assert!(files.iter().any(|(name, _)| name == "meta.json"));
    let prepared = FullTextIndex::prepare(&catalog);
    assert_eq!(prepared.key(), FullTextIndex::prepare(&catalog).key());
    let opened = prepared.open(&borrowed(&files)).expect("opens");
    assert_eq!(answers(&opened, &queries), answers(&built, &queries));
}

#[test]
fn a_damaged_kept_index_is_refused() {
    let catalog = common::builtin_catalog();
    let files = FullTextIndex::build(&catalog)
        .expect("indexes")
        .files()
        .expect("its files");
    // One flipped byte in each file in turn, and each file left out.
    for (i, (name, bytes)) in files.iter().enumerate() {
        let mut damaged = files.clone();
        damaged[i].1[bytes.len() / 2] ^= 0x55;
        let refused = FullTextIndex::prepare(&catalog).open(&borrowed(&damaged));
        assert!(refused.is_err(), "{name} damaged was opened");
        let mut missing = files.clone();
        missing.remove(i);
        let refused = FullTextIndex::prepare(&catalog).open(&borrowed(&missing));
        assert!(refused.is_err(), "{name} missing was opened");
    }
}

#[test]
fn the_key_follows_the_indexed_text() {
    let catalog = common::builtin_catalog();
    let edited = common::builtin_with(vec![common::role_file(
        "head-of-widgets",
        "Head of Widgets",
        r#""Widget Lead""#,
        "engineering",
        "manager",
        "Runs the widget teams.",
    )]);
    assert_ne!(
        FullTextIndex::prepare(&catalog).key(),
        FullTextIndex::prepare(&edited).key()
    );
}
