#!/usr/bin/env bash
# Benchmark: `rolebook serve` answering a role page, against nginx serving
# the same page saved as a static file, measured with wrk in the same run
# (64 connections on loopback). Prints requests/s and p99 latency for both
# and the ratio. Needs wrk and nginx (apt-get install -y wrk nginx).
# Run from the repository root: bench/web.sh [SECONDS] [PAGE]
# WRK_THREADS (default 2) sets wrk's threads; RUST_LOG (default warn) the
# server's log level (info logs one line per request).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
page=${2:-/roles/sre-manager}
connections=64
threads=${WRK_THREADS:-2}

for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "bench/web.sh needs $tool (apt-get install -y wrk nginx curl)" >&2; exit 2; }
done

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

work=$(mktemp -d)
# nginx's workers drop root privileges and must be able to read the page.
chmod 755 "$work"
app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

cargo build --release --quiet --bin rolebook
app_port=$(free_port)
RUST_LOG=${RUST_LOG:-warn} target/release/rolebook serve --addr "127.0.0.1:$app_port" 2>"$work/app.log" &
app_pid=$!
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$app_port/healthz" >/dev/null && break
  sleep 0.1
done
curl -fs "http://127.0.0.1:$app_port/healthz" >/dev/null || { cat "$work/app.log" >&2; exit 2; }

# The same page, saved as a file nginx serves.
mkdir -p "$work/www/roles"
curl -fs "http://127.0.0.1:$app_port$page" -o "$work/www$page.html"
nginx_port=$(free_port)
cat >"$work/nginx.conf" <<EOF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  default_type text/html;
  client_body_temp_path $work/tmp;
  proxy_temp_path $work/tmp;
  fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp;
  scgi_temp_path $work/tmp;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    location / { try_files \$uri.html \$uri =404; etag on; }
  }
}
EOF
mkdir -p "$work/tmp"
nginx -c "$work/nginx.conf" -p "$work"
for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$nginx_port$page" >/dev/null && break
  sleep 0.1
done
cmp -s <(curl -fs "http://127.0.0.1:$nginx_port$page") <(curl -fs "http://127.0.0.1:$app_port$page") \
  || { echo "nginx does not serve the same page" >&2; exit 2; }
bytes=$(wc -c <"$work/www$page.html")

# wrk's own summary gives requests/s; the Lua report prints p99 in µs.
cat >"$work/report.lua" <<'EOF'
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.0f %.3f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests))
end
EOF

measure() {
  local url=$1
  wrk -t"$threads" -c"$connections" -d2s "$url" >/dev/null # warm-up
  wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$work/report.lua" "$url" | awk '/^RESULT/ {print $2, $3, $4, $5}'
}

echo "page $page ($bytes bytes), wrk -t$threads -c$connections -d${seconds}s, $(nproc) cores"
read -r nginx_rps nginx_p99 nginx_err nginx_n < <(measure "http://127.0.0.1:$nginx_port$page")
read -r app_rps app_p99 app_err app_n < <(measure "http://127.0.0.1:$app_port$page")
printf "%-16s %12s %10s %8s\n" "server" "requests/s" "p99 (ms)" "errors"
printf "%-16s %12s %10s %8s\n" "nginx (static)" "$nginx_rps" "$nginx_p99" "$nginx_err"
printf "%-16s %12s %10s %8s\n" "rolebook serve" "$app_rps" "$app_p99" "$app_err"
python3 - "$app_rps" "$nginx_rps" "$app_p99" <<'EOF'
import sys
app, nginx, p99 = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(f"throughput ratio rolebook/nginx: {app / nginx:.2f} (aim: >= 0.50); rolebook p99 {p99:.2f} ms (aim: < 5 ms)")
EOF
