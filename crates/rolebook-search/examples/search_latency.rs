//! Search latency of the tantivy index: builds the index for a catalog,
//! writes the indexed documents and a query set for other engines (see
//! bench/fts5_latency.py), then times every query and prints one JSON line
//! with p50 and p99.
//!
//! Queries are drawn from the corpus itself, the same for the same corpus:
//! 40% one word, 30% two adjacent words, 10% three, 10% a word being typed
//! (its first letters), 10% a word with a typo. Each query returns the top
//! 10 with snippets, as `rolebook search` and the web page do.
//!
//! Usage: cargo run --release -p rolebook-search --example search_latency -- CATALOG_DIR|builtin OUT_PREFIX [PASSES]

mod common;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use common::Rng;
use rolebook_core::{Sources, builtin, load};
use rolebook_search::{FullTextIndex, SearchQuery};

const STOP: &[&str] = &[
    "the", "and", "for", "with", "that", "from", "this", "into", "each", "their", "they", "are",
    "its", "not", "than", "who", "which", "when", "what", "one", "per", "all", "has", "have",
];

fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 4 && w.chars().all(|c| c.is_ascii_alphabetic()))
        .map(str::to_lowercase)
        .filter(|w| !STOP.contains(&w.as_str()))
        .collect()
}

fn queries(index: &FullTextIndex, count: usize) -> Vec<String> {
    let mut rng = Rng(0xbe7c);
    let docs: Vec<Vec<String>> = index
        .documents()
        .map(|d| words_of(&format!("{} {} {}", d.title, d.summary, d.body)))
        .filter(|w| w.len() >= 3)
        .collect();
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let words = &docs[rng.below(docs.len())];
        let at = rng.below(words.len() - 2);
        let query = match rng.below(10) {
            0..4 => format!("{} ", words[at]),
            4..7 => format!("{} {} ", words[at], words[at + 1]),
            7 => format!("{} {} {} ", words[at], words[at + 1], words[at + 2]),
            8 => {
                let word = &words[at];
                word[..4.min(word.len())].to_string()
            }
            _ => {
                let word = &words[at];
                if word.len() < 6 {
                    continue;
                }
                // Swap two letters in the middle: a typo.
                let mut chars: Vec<char> = word.chars().collect();
                let i = 1 + rng.below(chars.len() - 3);
                chars.swap(i, i + 1);
                format!("{} ", chars.into_iter().collect::<String>())
            }
        };
        out.push(query);
    }
    out
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let source = args
        .next()
        .ok_or("usage: search_latency CATALOG_DIR|builtin OUT_PREFIX [PASSES]")?;
    let prefix = args
        .next()
        .ok_or("usage: search_latency CATALOG_DIR|builtin OUT_PREFIX [PASSES]")?;
    let passes: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(5);
    let sources = if source == "builtin" {
        builtin::sources()
    } else {
        Sources::from_dir(Path::new(&source))?
    };
    let catalog = load(sources).catalog.ok_or("the catalog must be valid")?;
    let started = Instant::now();
    let index = FullTextIndex::build(&catalog)?;
    let build_ms = started.elapsed().as_secs_f64() * 1000.0;

    let mut docs = BufWriter::new(File::create(format!("{prefix}.docs.jsonl"))?);
    for doc in index.documents() {
        serde_json::to_writer(&mut docs, &doc)?;
        docs.write_all(b"\n")?;
    }
    docs.flush()?;
    let queries = queries(&index, 500);
    std::fs::write(format!("{prefix}.queries.txt"), queries.join("\n") + "\n")?;

    // One pass to warm caches, then the timed passes.
    let mut hits = 0usize;
    for query in &queries {
        hits += index
            .search(&SearchQuery::new(query.clone()).limit(10))?
            .hits
            .len();
    }
    let mut samples = Vec::with_capacity(queries.len() * passes);
    for _ in 0..passes {
        for query in &queries {
            let request = SearchQuery::new(query.clone()).limit(10);
            let started = Instant::now();
            let results = index.search(&request)?;
            samples.push(started.elapsed().as_secs_f64() * 1e6);
            std::hint::black_box(results);
        }
    }
    samples.sort_by(f64::total_cmp);
    println!(
        "{}",
        serde_json::json!({
            "engine": "tantivy (rolebook-search)",
            "corpus": source,
            "documents": index.len(),
            "queries": queries.len(),
            "samples": samples.len(),
            "build_ms": (build_ms * 10.0).round() / 10.0,
            "p50_us": (percentile(&samples, 50.0) * 10.0).round() / 10.0,
            "p99_us": (percentile(&samples, 99.0) * 10.0).round() / 10.0,
            "mean_hits": (hits as f64 / queries.len() as f64 * 100.0).round() / 100.0,
        })
    );
    Ok(())
}
