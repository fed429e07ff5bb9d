#!/usr/bin/env bash
# Benchmark: how long everyday CLI commands take on the built-in catalog,
# against `rolebook --version` (the process start of the same binary),
# measured with hyperfine in the same run; then the same commands on a
# copy of the built-in catalog given as `--catalog DIR`, which is read and
# validated every time. `search` keeps the built-in catalog's index
# between runs (its cache is in a temporary directory here, warmed by
# hyperfine's warm-up runs); "search, no cache" is every run indexing, as
# the first search after an install does. Prints hyperfine's table and each command's ratio
# to `--version`. Needs hyperfine (apt-get install -y hyperfine).
# Run from the repository root: bench/startup.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-50}
command -v hyperfine >/dev/null || { echo "bench/startup.sh needs hyperfine (apt-get install -y hyperfine)" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo build --release --quiet --bin rolebook
bin=$PWD/target/release/rolebook
cp -r catalog "$out/catalog"
export XDG_CACHE_HOME="$out/cache"
hyperfine -N --warmup 5 --runs "$runs" --export-json "$out/times.json" \
  --command-name "rolebook --version" "$bin --version" \
  --command-name "rolebook show sre-manager" "$bin show sre-manager" \
  --command-name "rolebook search error budget" "$bin search error budget" \
  --command-name "rolebook search, no cache" "env ROLEBOOK_NO_CACHE=1 $bin search error budget" \
  --command-name "rolebook resolve \"Sr. Dir., Site Reliability\"" "$bin resolve 'Sr. Dir., Site Reliability'" \
  --command-name "rolebook show --catalog DIR" "$bin show sre-manager --catalog $out/catalog" \
  --command-name "rolebook search --catalog DIR" "$bin search error budget --catalog $out/catalog" \
  >/dev/null
python3 - "$out/times.json" <<'EOF'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
base = results[0]["mean"]
base_median = results[0]["median"]
print("| command | mean (ms) | ± (ms) | median (ms) | × --version (mean) | × --version (median) |")
print("|---|---:|---:|---:|---:|---:|")
for r in results:
    print(f"| `{r['command']}` | {r['mean'] * 1000:.1f} | {r['stddev'] * 1000:.1f} | {r['median'] * 1000:.1f} | {r['mean'] / base:.1f}× | {r['median'] / base_median:.1f}× |")
print("\naims on the built-in catalog: show <= 2x and search <= 3x --version")
EOF
