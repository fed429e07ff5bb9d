#!/usr/bin/env bash
# Benchmark of the exports, with baselines from the same run:
#  (a) one role as PDF (typst, embedded fonts) and as DOCX, against the same
#      role as Markdown (the cheapest format: load the catalog, walk the role);
#  (b) the whole catalog's tables as XLSX and CSV, for the built-in catalog
#      and a generated 3,000-role catalog, against `validate` of the same
#      catalog (loading is the floor every command pays).
# Needs hyperfine (apt-get install -y hyperfine). Run from the repository root.
set -euo pipefail
roles=${1:-3000}
. "$(dirname "$0")/lib.sh"
generated_catalog "$roles"
role=sre-manager
hyperfine --warmup 2 --runs 10 --export-markdown "$out/report.md" \
  -n "baseline: export $role --format md" "$bin export $role --format md -o $out/r.md" \
  -n "export $role --format html" "$bin export $role --format html -o $out/r.html" \
  -n "export $role --format docx" "$bin export $role --format docx -o $out/r.docx" \
  -n "export $role --format pdf" "$bin export $role --format pdf -o $out/r.pdf" \
  -n "jd $role --format pdf" "$bin jd $role --format pdf -o $out/jd.pdf" \
  -n "baseline: validate (built-in)" "$bin validate" \
  -n "export --all --format xlsx (built-in)" "$bin export --all --format xlsx -o $out/all.xlsx" \
  -n "baseline: validate ($roles roles)" "$bin validate $out/catalog" \
  -n "export --all --format xlsx ($roles roles)" "$bin --catalog $out/catalog export --all --format xlsx -o $out/big.xlsx" \
  -n "export --all --format csv ($roles roles)" "$bin --catalog $out/catalog export --all --format csv -o $out/csv-\$RANDOM"
ls -l "$out"/r.* "$out"/jd.pdf "$out"/all.xlsx "$out"/big.xlsx
cat "$out/report.md"
