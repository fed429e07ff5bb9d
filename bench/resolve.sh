#!/usr/bin/env bash
# Benchmark: batch title resolution throughput (titles/s) on a generated
# file of job titles (1,000,000 rows by default), against two baselines
# measured in the same run on the same file: passing the CSV through
# unchanged, and an exact id/title/alias lookup (see the resolve_throughput
# example). Then the CLI end to end on a tenth of the file and on all of
# it, with peak memory, which should not grow with the file.
# Needs GNU time (apt-get install -y time). Run from the repository root:
# bench/resolve.sh [ROWS]
set -euo pipefail
rows=${1:-1000000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo build --release --quiet --bin rolebook
cargo build --release --quiet -p rolebook-search --examples
examples=target/release/examples
"$examples/generate_titles" "$out/titles.csv" "$rows"
"$examples/resolve_throughput" "$out/titles.csv"
head -n $((rows / 10 + 1)) "$out/titles.csv" >"$out/tenth.csv"
for file in tenth titles; do
  /usr/bin/time -f "rolebook resolve --csv $file.csv: %e s wall, peak memory %M KB" \
    target/release/rolebook resolve --csv "$out/$file.csv" >/dev/null
done
