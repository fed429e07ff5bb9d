#!/usr/bin/env bash
# Benchmark: search under load. `rolebook serve` answers three URLs with
# wrk (64 connections on loopback) in interleaved rounds of the same run:
# a role page (cached, the baseline), `/api/v1/search` and the search page,
# for the same query. Prints the mean requests/s and the worst p99 of each,
# and each search URL's throughput as a share of the role page's.
# Needs wrk and curl (apt-get install -y wrk curl).
# Run from the repository root:
#   bench/search-load.sh [SECONDS] [ROUNDS] [QUERY] [SERVE OPTIONS]
# (default `--catalog catalog`, this repository's built-in catalog).
# WRK_THREADS (default 2) sets wrk's threads; ROLEBOOK_BIN another binary
# to measure (an older build, for a before/after in the same run).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}
rounds=${2:-3}
query=${3:-error budget}
shift $(($# < 3 ? $# : 3))
# Without one, the repository's catalog files (no workspace is created).
[ $# -eq 0 ] && set -- --catalog catalog
connections=64
threads=${WRK_THREADS:-2}

for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "bench/search-load.sh needs $tool (apt-get install -y wrk curl)" >&2; exit 2; }
done

work=$(mktemp -d)
app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

cargo build --release --quiet --bin rolebook
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
RUST_LOG=warn "${ROLEBOOK_BIN:-target/release/rolebook}" serve --addr "127.0.0.1:$port" "$@" 2>"$work/app.log" &
app_pid=$!
for _ in $(seq 300); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.1
done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$work/app.log" >&2; exit 2; }

encoded=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$query")
role=$(curl -fs "http://127.0.0.1:$port/api/v1/roles" | python3 -c 'import json, sys; print(json.load(sys.stdin)["roles"][0]["id"])')
names=(role api page)
urls=("/roles/$role" "/api/v1/search?q=$encoded" "/search?q=$encoded")
for url in "${urls[@]}"; do
  curl -fs -o /dev/null "http://127.0.0.1:$port$url" || { echo "$url does not answer 200" >&2; exit 2; }
done

cat >"$work/report.lua" <<'EOF'
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.0f %.3f %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
EOF

echo "query \"$query\", wrk -t$threads -c$connections -d${seconds}s, $rounds interleaved rounds, $(nproc) cores"
for i in 0 1 2; do
  wrk -t"$threads" -c"$connections" -d1s "http://127.0.0.1:$port${urls[$i]}" >/dev/null # warm-up
done
for round in $(seq "$rounds"); do
  for i in 0 1 2; do
    wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$work/report.lua" \
      "http://127.0.0.1:$port${urls[$i]}" | awk -v name="${names[$i]}" '/^RESULT/ {print name, $2, $3, $4}' >>"$work/results"
  done
done
python3 - "$work/results" "${urls[@]}" <<'EOF'
import sys
from collections import defaultdict
rows = defaultdict(list)
for line in open(sys.argv[1]):
    name, rps, p99, errors = line.split()
    rows[name].append((float(rps), float(p99), int(errors)))
urls = dict(zip(("role", "api", "page"), sys.argv[2:]))
base = sum(r for r, _, _ in rows["role"]) / len(rows["role"])
print("| URL | requests/s (mean) | worst p99 (ms) | errors | share of the role page |")
print("|---|---:|---:|---:|---:|")
for name in ("role", "api", "page"):
    runs = rows[name]
    rps = sum(r for r, _, _ in runs) / len(runs)
    print(f"| `{urls[name]}` | {rps:,.0f} | {max(p for _, p, _ in runs):.2f} | "
          f"{sum(e for _, _, e in runs)} | {rps / base:.0%} |")
print("\naims: API search >= 30% and the search page >= 20% of the role page, p99 < 10 ms")
EOF
