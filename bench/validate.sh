#!/usr/bin/env bash
# Benchmark: load and validate a generated 3,000-role catalog, against the
# built-in catalog (29 roles) as the baseline measured in the same run.
# Needs hyperfine (apt-get install -y hyperfine). Run from the repository root.
set -euo pipefail
roles=${1:-3000}
. "$(dirname "$0")/lib.sh"
generated_catalog "$roles"
hyperfine --warmup 2 --runs 10 --export-markdown "$out/report.md" \
  -n "built-in (29 roles)" "$bin validate" \
  -n "generated ($roles roles)" "$bin validate $out/catalog" \
  -n "generated ($roles roles), lint" "$bin lint $out/catalog --format json"
cat "$out/report.md"
