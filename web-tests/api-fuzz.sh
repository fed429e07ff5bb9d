#!/usr/bin/env bash
# schemathesis against a live `rolebook serve`: generates requests from the
# OpenAPI document at /api/v1/openapi.json and checks that no answer is a
# 5xx and every answer matches the document (status codes, content types,
# headers, body schemas), the write endpoints included. Kept short: a few
# examples per operation.
# Needs `pip install schemathesis` and a built binary (cargo build).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${ROLEBOOK_BIN:-target/debug/rolebook}")
examples=${SCHEMATHESIS_EXAMPLES:-25}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
log=$(mktemp)
# schemathesis keeps its example database in the working directory.
scratch=$(mktemp -d)
# The server's workspace goes in the scratch directory too (a first start
# creates and seeds it there). Every request carries an approver's write
# token (a made-up person), so that the write endpoints are fuzzed past
# the access guard; the `ignored_auth` check sends requests without it.
database="$scratch/rolebook-data/workspace.db"
mkdir -p "$scratch/rolebook-data"
"$bin" --database "$database" user add fuzz@example.org --role approver --no-password >/dev/null
token=$("$bin" --database "$database" token create fuzz@example.org --name schemathesis --scope write 2>/dev/null)
RUST_LOG=warn NO_COLOR=1 "$bin" serve --addr "127.0.0.1:$port" \
  --database "$database" 2>"$log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$log" "$scratch"' EXIT
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.1
done
# positive_data_acceptance is left out: a schema-valid id such as `x` is
# still an unknown role, and 404 is the right answer for it.
cd "$scratch"
schemathesis run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --url "http://127.0.0.1:$port" \
  --header "Authorization: Bearer $token" \
  --checks all --exclude-checks positive_data_acceptance \
  --max-examples "$examples" \
  --phases examples,coverage,fuzzing \
  --workers 2 \
  --seed 1 \
  --suppress-health-check too_slow,filter_too_much
