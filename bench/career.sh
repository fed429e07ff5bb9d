#!/usr/bin/env bash
# Benchmark of the career commands, with baselines from the same run:
#  (a) ranking every role of a generated 3,000-role catalog for one profile
#      (`fit`), against loading and validating that catalog;
#  (b) 10,000 generated profiles, each parsed and ranked against the built-in
#      catalog, against parsing alone (in process: 10,000 process starts
#      would measure the operating system).
# End-to-end command timings use hyperfine (apt-get install -y hyperfine);
# the in-process figures come from the career_bench example.
# Run from the repository root.
set -euo pipefail
roles=${1:-3000}
profiles=${2:-10000}
. "$(dirname "$0")/lib.sh"
generated_catalog "$roles"
cargo build --release --quiet -p rolebook-career --example career_bench
profile=testdata/profiles/example.toml
echo "== in process"
target/release/examples/career_bench "$out/catalog" "$profiles"
echo "== end to end (one process per command)"
hyperfine --warmup 2 --runs 10 --export-markdown "$out/report.md" \
  -n "baseline: validate ($roles roles)" "$bin validate $out/catalog" \
  -n "fit, all $roles roles" "$bin --catalog $out/catalog fit $profile --format json" \
  -n "fit, top 10 of $roles roles" "$bin --catalog $out/catalog fit $profile --top 10" \
  -n "next ($roles roles)" "$bin --catalog $out/catalog next sre-manager" \
  -n "path, k = 3 ($roles roles)" "$bin --catalog $out/catalog path sre-manager chief-technology-officer" \
  -n "baseline: validate (built-in)" "$bin validate" \
  -n "fit (built-in)" "$bin fit $profile" \
  -n "gap with radar (built-in)" "$bin gap $profile --target sre-director --radar $out/radar.svg" \
  -n "graph --format svg (built-in)" "$bin graph --format svg"
cat "$out/report.md"
