#!/usr/bin/env bash
# Benchmark: search latency (p50, p99) of rolebook-search (tantivy, in
# memory) against SQLite FTS5 on the same documents and the same 500
# queries, in the same run, on the built-in catalog and on a generated
# ESCO-sized catalog (3,000 roles and 14,000 skills by default). Both return
# the top 10 with highlighted snippets; see the search_latency example and
# bench/fts5_latency.py for what each side does.
# Needs python3 with its sqlite3 module (FTS5 is built in). Run from the
# repository root: bench/search.sh [ROLES] [SKILLS] [PASSES]
set -euo pipefail
roles=${1:-3000}
skills=${2:-14000}
passes=${3:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo build --release --quiet -p rolebook-search --examples
examples=target/release/examples
"$examples/generate_corpus" "$out/esco" "$roles" "$skills"
for corpus in builtin esco; do
  source=builtin
  [ "$corpus" = esco ] && source="$out/esco"
  "$examples/search_latency" "$source" "$out/$corpus" "$passes" >"$out/$corpus.tantivy.json"
  python3 bench/fts5_latency.py "$out/$corpus" "$passes" >"$out/$corpus.fts5.json"
done
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
print("| corpus | engine | documents | build (ms) | p50 (µs) | p99 (µs) | hits/query |")
print("|---|---|---:|---:|---:|---:|---:|")
for corpus in ("builtin", "esco"):
    rows = [json.load(open(f"{out}/{corpus}.{e}.json")) for e in ("tantivy", "fts5")]
    for r in rows:
        print(f"| {corpus} | {r['engine']} | {r['documents']} | {r['build_ms']} | "
              f"{r['p50_us']} | {r['p99_us']} | {r['mean_hits']} |")
    t, f = rows
    print(f"| {corpus} | FTS5 ÷ tantivy | | {f['build_ms'] / t['build_ms']:.2f}× | "
          f"{f['p50_us'] / t['p50_us']:.1f}× | {f['p99_us'] / t['p99_us']:.1f}× | |")
print(f"\nFTS5 figures include Python's own cost per query, about "
      f"{rows[1]['python_overhead_p50_us']} µs.")
PY
