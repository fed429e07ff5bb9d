#!/usr/bin/env bash
# Benchmark: the org design check (`rolebook org check`) on generated
# organisations with planted defects. In-process timings against a CSV
# pass-through that reads every field of the same file, in the same run
# (the org_throughput example: 100,000 people, 10,000 distinct titles, the
# same people as XLSX); then the CLI end to end with wall time and peak
# memory, against `rolebook --version` (process start) in the same run.
# Needs GNU time. Run from the repository root: bench/org.sh [PEOPLE]
set -euo pipefail
people=${1:-100000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo build --release --quiet --bin rolebook
cargo build --release --quiet -p rolebook-org --example org_throughput
bin=target/release/rolebook
target/release/examples/org_throughput "$people"
"$bin" org sample --people "$people" --defects --seed 1 -o "$out/people.csv"
"$bin" org sample --people 2000 --defects --seed 1 -o "$out/small.csv"
/usr/bin/time -f "rolebook --version: %e s wall, peak memory %M KB (baseline)" "$bin" --version >/dev/null
for file in small people; do
  /usr/bin/time -f "rolebook org check $file.csv: %e s wall, peak memory %M KB" \
    "$bin" org check "$out/$file.csv" --format json -o /dev/null
done
/usr/bin/time -f "rolebook org check people.csv --format xlsx: %e s wall, peak memory %M KB" \
  "$bin" org check "$out/people.csv" --format xlsx -o "$out/check.xlsx"
