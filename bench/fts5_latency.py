#!/usr/bin/env python3
"""SQLite FTS5 baseline for bench/search.sh: the same documents and the same
queries as the tantivy run (written by the search_latency example), timed the
same way, one JSON line out.

The table has the same fields with the same weights (bm25 column weights
title 5, aliases 4, id 3, summary 2, body 1), the porter stemmer, every word
required (falling back to any word when that finds nothing, as rolebook
does), the last word of a query as a prefix while typing, the top 10 by
rank, and a highlighted snippet for each. FTS5 has no typo tolerance: a
query with a typo finds what its other words find.

Python's own cost per query (a SELECT 1 through the same code path) is
measured too and reported, so it can be subtracted.

Usage: bench/fts5_latency.py OUT_PREFIX [PASSES]
"""

import json
import re
import sqlite3
import sys
import time


def percentile(values, p):
    rank = round(p / 100 * (len(values) - 1))
    return values[min(rank, len(values) - 1)]


def fts_query(text, any_word):
    words = re.findall(r"[A-Za-z0-9]+", text)
    if not words:
        return None
    typing = not text.endswith(" ")
    parts = []
    for i, word in enumerate(words):
        quoted = '"' + word.lower() + '"'
        if typing and i == len(words) - 1 and len(word) >= 2:
            quoted += "*"
        parts.append(quoted)
    return (" OR " if any_word else " ").join(parts)


SEARCH = """
SELECT id, kind, title,
       snippet(docs, -1, '[', ']', '…', 24) AS snippet
FROM docs
WHERE docs MATCH ?
ORDER BY bm25(docs, 0.0, 0.0, 5.0, 4.0, 3.0, 2.0, 1.0)
LIMIT 10
"""


def main():
    prefix = sys.argv[1]
    passes = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5("
        "kind UNINDEXED, ord UNINDEXED, title, aliases, id, summary, body, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    started = time.perf_counter()
    with open(prefix + ".docs.jsonl", encoding="utf-8") as f:
        rows = []
        for n, line in enumerate(f):
            d = json.loads(line)
            rows.append(
                (
                    d["kind"],
                    n,
                    d["title"],
                    d["aliases"],
                    d["id"].replace("-", " "),
                    d["summary"],
                    d["body"],
                )
            )
    db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    db.commit()
    build_ms = (time.perf_counter() - started) * 1000
    with open(prefix + ".queries.txt", encoding="utf-8") as f:
        queries = [line.rstrip("\n") for line in f if line.strip()]

    def search(text):
        match = fts_query(text, False)
        if match is None:
            return []
        found = db.execute(SEARCH, (match,)).fetchall()
        if not found and len(re.findall(r"[A-Za-z0-9]+", text)) > 1:
            found = db.execute(SEARCH, (fts_query(text, True),)).fetchall()
        return found

    hits = sum(len(search(q)) for q in queries)  # warm-up pass
    samples = []
    for _ in range(passes):
        for q in queries:
            t = time.perf_counter_ns()
            search(q)
            samples.append((time.perf_counter_ns() - t) / 1000)
    samples.sort()
    overhead = []
    for _ in range(2000):
        t = time.perf_counter_ns()
        db.execute("SELECT 1").fetchall()
        overhead.append((time.perf_counter_ns() - t) / 1000)
    overhead.sort()
    print(
        json.dumps(
            {
                "engine": "SQLite FTS5 " + sqlite3.sqlite_version + " (Python sqlite3)",
                "documents": len(rows),
                "queries": len(queries),
                "samples": len(samples),
                "build_ms": round(build_ms, 1),
                "p50_us": round(percentile(samples, 50), 1),
                "p99_us": round(percentile(samples, 99), 1),
                "mean_hits": round(hits / len(queries), 2),
                "python_overhead_p50_us": round(percentile(overhead, 50), 1),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
